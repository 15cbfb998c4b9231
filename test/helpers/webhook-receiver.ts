import { startRecordingServer, type RecordedRequest } from './recording-server';

/** One request the receiver got, with the body exactly as sent. */
export type ReceivedRequest = RecordedRequest<string>;

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
  const server = await startRecordingServer<ScriptedAnswer, string>({
    parse: (text) => text,
    fallback: 200,
    respond: (_request, res, nextAnswer) => {
      const next = nextAnswer();
      if (next === 'hang') return;
      const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('ok');
    },
  });
  return { ...server, url: `http://127.0.0.1:${server.port}/webhooks` };
}
