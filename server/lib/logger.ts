/** Minimal structured logger. Never pass secrets, tokens or request bodies to it. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(format('info', message, fields)),
  warn: (message, fields) => console.warn(format('warn', message, fields)),
  error: (message, fields) => console.error(format('error', message, fields)),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

function format(level: string, message: string, fields?: Record<string, unknown>): string {
  if (!fields || Object.keys(fields).length === 0) return `[${level}] ${message}`;
  const extras = Object.entries(fields).map(([k, v]) => `${k}=${v instanceof Error ? v.message : JSON.stringify(v)}`);
  return `[${level}] ${message} ${extras.join(' ')}`;
}
