/** Minimal structured logger. Never pass secrets, tokens, cookies, credentials or request bodies to it. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = keyof Logger;

/** `text`: `[level] message key=value …`, for people; `json`: one JSON object per line, for log collectors. */
export type LogFormat = 'text' | 'json';

/** Where a finished line goes; by default info to stdout, warnings and errors to stderr. */
export type LogSink = (level: LogLevel, line: string) => void;

const consoleSink: LogSink = (level, line) => (level === 'info' ? console.log(line) : console[level](line));

/**
 * A logger writing lines in `format` (`LOG_FORMAT`). A JSON line has `time` (ISO 8601,
 * UTC), `level` and `msg`, then the fields (an error as its message); a field may
 * not replace those three.
 */
export function createLogger(options: { format?: LogFormat; sink?: LogSink } = {}): Logger {
  const render = options.format === 'json' ? jsonLine : textLine;
  const sink = options.sink ?? consoleSink;
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    sink(level, render(level, message, fields));
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const consoleLogger: Logger = createLogger();

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * An error as a log line tells it: its message and its cause's (a database error's code
 * too: `23505`, `40001`), but not the parameters of a failed query, which Drizzle puts
 * in its message and which may hold hashed tokens, emails or addresses.
 */
export function describeError(error: Error): string {
  const message = error.message.replace(/\nparams: [\s\S]*$/, '');
  const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
  if (!cause || typeof cause.message !== 'string') return message;
  return `${message} (cause: ${cause.message}${typeof cause.code === 'string' ? `, code ${cause.code}` : ''})`;
}

function textLine(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  if (!fields || Object.keys(fields).length === 0) return `[${level}] ${message}`;
  const extras = Object.entries(fields).map(
    ([k, v]) => `${k}=${v instanceof Error ? describeError(v) : JSON.stringify(v)}`,
  );
  return `[${level}] ${message} ${extras.join(' ')}`;
}

const RESERVED = new Set(['time', 'level', 'msg']);

function jsonLine(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message };
  for (const key in fields) if (!RESERVED.has(key)) line[key] = fields[key];
  try {
    return JSON.stringify(line, (_key, value: unknown) => (value instanceof Error ? describeError(value) : value));
  } catch {
    // A field that cannot be written (a cycle, a bigint) must not cost the line.
    return JSON.stringify({ time: line.time, level, msg: message, fields: 'not serialisable' });
  }
}
