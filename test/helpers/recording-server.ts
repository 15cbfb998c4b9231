import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a recording server got, with its body as `parse` made it. */
export interface RecordedRequest<Body> {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Body;
}

export interface RecordingServer<Answer, Body> {
  port: number;
  requests: RecordedRequest<Body>[];
  /** Queues answers for the next requests, in order; once the queue is empty `fallback` answers. */
  answer(...answers: Answer[]): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Stops listening and drops open connections, including hanging ones. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (a free port) that records every request and lets
 * `respond` answer it; `nextAnswer()` takes the next scripted answer (or `fallback`).
 * The fakes of the services the portal calls (Postmark, a merchant's webhook
 * endpoint) are built on it.
 */
export async function startRecordingServer<Answer, Body>(options: {
  parse: (text: string) => Body;
  fallback: Answer;
  respond: (request: RecordedRequest<Body>, res: ServerResponse, nextAnswer: () => Answer) => void;
}): Promise<RecordingServer<Answer, Body>> {
  const requests: RecordedRequest<Body>[] = [];
  const queue: Answer[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: options.parse(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(request);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      options.respond(request, res, () => queue.shift() ?? options.fallback);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    answer: (...answers) => queue.push(...answers),
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
