import { randomUUID } from 'node:crypto';
import { startRecordingServer, type RecordedRequest } from './recording-server';

/** One request the fake received, with its JSON body parsed. */
export type PostmarkRequest = RecordedRequest<Record<string, unknown>>;

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
  const accepted: string[] = [];
  const server = await startRecordingServer<PostmarkAnswer, Record<string, unknown>>({
    parse: (text) => (text ? (JSON.parse(text) as Record<string, unknown>) : {}),
    fallback: 'ok',
    respond: (request, res, nextAnswer) => {
      const send = (status: number, payload: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (request.method !== 'POST' || request.path !== '/email')
        return send(404, { ErrorCode: 404, Message: 'Not found.' });
      if (request.headers['x-postmark-server-token'] !== token) {
        return send(401, { ErrorCode: 10, Message: 'Request does not contain a valid Server token.' });
      }
      const next = nextAnswer();
      if (next === 'hang') return;
      if (next === 'ok') {
        const id = randomUUID();
        accepted.push(id);
        return send(200, {
          To: request.body.To,
          SubmittedAt: new Date().toISOString(),
          MessageID: id,
          ErrorCode: 0,
          Message: 'OK',
        });
      }
      const failure = typeof next === 'number' ? { status: next, errorCode: 0, message: `Error ${next}.` } : next;
      send(failure.status, { ErrorCode: failure.errorCode, Message: failure.message ?? `Error ${failure.errorCode}.` });
    },
  });
  return { ...server, host: `127.0.0.1:${server.port}`, token, accepted };
}
