import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with the body exactly as sent. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How to answer one request: a status, a status with headers, or `'hang'` (never answer). */
export type ScriptedAnswer = number | { status: number; headers?: Record<string, string> } | 'hang';

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/webhooks`. */
  url: string;
  requests: ReceivedRequest[];
  /** Queues answers for the next requests, in order; once the queue is empty the answer is 200. */
  answer(...answers: ScriptedAnswer[]): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Stops listening and drops open connections, including hanging ones. */
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (a free port) that records what it receives. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '', path: req.url ?? '', headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const next = queue.shift() ?? 200;
      if (next === 'hang') return;
      const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    requests,
    answer: (...answers) => queue.push(...answers),
    waitForRequests: (count) => (requests.length >= count
      ? Promise.resolve()
      : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
