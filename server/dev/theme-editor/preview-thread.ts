import { parentPort, workerData } from 'node:worker_threads';
import { describeError, type Logger, type LogLevel } from '../../lib/logger';
import type { FromSandbox, SandboxData, ToSandbox } from './preview-messages';
import { openSandbox } from './preview-sandbox';

/**
 * The preview's sandbox in a worker thread of its own (preview.ts starts it on a server
 * on PostgreSQL): a thread has its own modules, so its database is SQLite whichever
 * engine the server's is (one engine per module graph: server/db/schema/index.ts).
 */
const port = parentPort!;
const data = workerData as SandboxData;
const post = (message: FromSandbox, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** The server's "now", as its last message said (at the start: when it started the thread). */
let now = data.now;

/** Log lines go to the server's logger (its format, its destination); an error as its description. */
const line =
  (level: LogLevel) =>
  (message: string, fields?: Record<string, unknown>): void => {
    const plain = fields
      ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? describeError(v) : v]))
      : undefined;
    post({ type: 'log', level, message, fields: plain });
  };
const logger: Logger = { info: line('info'), warn: line('warn'), error: line('error') };

const sandbox = openSandbox({ publicBaseUrl: data.publicBaseUrl, clock: { now: () => new Date(now) }, logger });

async function answer(message: ToSandbox): Promise<void> {
  const preview = await sandbox;
  if (message.type === 'auth-url') return post({ id: message.id, type: 'auth-url', url: await preview.authUrl() });
  const request = new Request(message.url, { method: message.method, headers: message.headers, body: message.body });
  // The connection as @hono/node-server hands it on, so the preview's limits see the browser's address.
  const env = message.remote && {
    incoming: {
      socket: {
        remoteAddress: message.remote.address,
        remotePort: message.remote.port,
        remoteFamily: message.remote.family,
      },
    },
  };
  const response = await preview.fetch(request, env);
  const body = await response.arrayBuffer();
  post({ id: message.id, type: 'response', status: response.status, headers: [...response.headers], body }, [body]);
}

port.on('message', (message: ToSandbox) => {
  now = message.now;
  answer(message).catch((error: unknown) =>
    post({ id: message.id, type: 'failed', message: error instanceof Error ? describeError(error) : String(error) }),
  );
});
