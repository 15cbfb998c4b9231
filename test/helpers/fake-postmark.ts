import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, with its JSON body parsed. */
export interface PostmarkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * How to answer one `POST /email`: `'ok'`, a bare status (answered with a
 * Postmark-style error body), an explicit Postmark error, or `'hang'` (never answer).
 */
export type PostmarkAnswer = 'ok' | 'hang' | number | { status: number; errorCode: number; message?: string };

export interface FakePostmark {
  /** `127.0.0.1:<port>`, the value for `POSTMARK_API_HOST`. */
  host: string;
  /** The server token it accepts. */
  token: string;
  requests: PostmarkRequest[];
  /** The MessageIDs of the emails it accepted, in order. */
  accepted: string[];
  /** Queues answers for the next `POST /email` requests; once the queue is empty the answer is `'ok'`. */
  answer(...answers: PostmarkAnswer[]): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Stops listening and drops open connections, including hanging ones. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (a free port) that behaves like Postmark's
 * `POST /email`: it checks `X-Postmark-Server-Token` (401 with ErrorCode 10 when
 * wrong), answers `{ To, SubmittedAt, MessageID, ErrorCode: 0, Message: 'OK' }`, and
 * fails on request as scripted. Every request is recorded, failed ones included.
 */
export async function startFakePostmark(token = 'pm-server-token-for-tests'): Promise<FakePostmark> {
  const requests: PostmarkRequest[] = [];
  const accepted: string[] = [];
  const queue: PostmarkAnswer[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) as Record<string, unknown> : {};
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const send = (status: number, payload: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (req.method !== 'POST' || req.url !== '/email') return send(404, { ErrorCode: 404, Message: 'Not found.' });
      if (req.headers['x-postmark-server-token'] !== token) {
        return send(401, { ErrorCode: 10, Message: 'Request does not contain a valid Server token.' });
      }
      const next = queue.shift() ?? 'ok';
      if (next === 'hang') return;
      if (next === 'ok') {
        const id = randomUUID();
        accepted.push(id);
        return send(200, { To: body.To, SubmittedAt: new Date().toISOString(), MessageID: id, ErrorCode: 0, Message: 'OK' });
      }
      const failure = typeof next === 'number' ? { status: next, errorCode: 0, message: `Error ${next}.` } : next;
      send(failure.status, { ErrorCode: failure.errorCode, Message: failure.message ?? `Error ${failure.errorCode}.` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    token,
    requests,
    accepted,
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
