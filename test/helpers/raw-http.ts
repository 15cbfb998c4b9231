import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  /** The status of the first response, or null when the connection closed without one. */
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** Body bytes written before the server answered or closed the connection. */
  sentBytes: number;
  /** How the connection ended on our side, when it did not end cleanly. */
  error?: string;
}

export interface RawRequest {
  port: number;
  /** The request line and headers, without the blank line that ends them. */
  head: string;
  /** Body pieces, written in order until the server answers or closes. */
  body?: Iterable<Buffer>;
  /** A pause before each body piece (a slow client). */
  delayMs?: number;
  /** Give up waiting for an answer after this long. */
  timeoutMs?: number;
}

/**
 * Sends one HTTP/1.1 request over a bare socket, exactly as written: whatever
 * `Content-Length` claims, chunked or not, as slowly as asked. Stops writing as soon
 * as the server answers or closes, and resolves with the first response.
 */
export function rawRequest(request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(request.port, '127.0.0.1');
    const received: Buffer[] = [];
    let sentBytes = 0;
    let done = false;
    let error: string | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(received)), sentBytes, ...(error && { error }) });
    };
    const timer = setTimeout(() => {
      error = 'timeout';
      finish();
    }, request.timeoutMs ?? 30_000);
    socket.on('data', (chunk) => {
      received.push(chunk);
      if (isComplete(Buffer.concat(received))) finish();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', finish);
    socket.once('connect', async () => {
      socket.write(`${request.head}\r\n\r\n`);
      for (const piece of request.body ?? []) {
        if (request.delayMs) await sleep(request.delayMs);
        if (done || received.length > 0 || socket.destroyed) return;
        sentBytes += piece.length;
        if (!socket.write(piece)) {
          await new Promise<void>((go) => {
            const stop = () => {
              socket.off('drain', stop);
              socket.off('close', stop);
              socket.off('data', stop);
              go();
            };
            socket.on('drain', stop);
            socket.on('close', stop);
            socket.on('data', stop);
          });
        }
      }
    });
  });
}

function headEnd(raw: Buffer): number {
  return raw.indexOf('\r\n\r\n');
}

function isComplete(raw: Buffer): boolean {
  const end = headEnd(raw);
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(raw.subarray(0, end).toString('latin1'));
  return length !== null && raw.length - end - 4 >= Number(length[1]);
}

function parseResponse(raw: Buffer): Pick<RawResponse, 'status' | 'headers' | 'body'> {
  const end = headEnd(raw);
  if (end < 0) return { status: null, headers: {}, body: '' };
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const body = raw.subarray(end + 4, length === undefined ? undefined : end + 4 + length).toString('utf8');
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/** `size` bytes of `[{},{},…]` in pieces of `piece` bytes (the last piece closes the array). */
export function* emptyObjectsArray(size: number, piece = 64 * 1024): Generator<Buffer> {
  const unit = Buffer.from('{},'.repeat(Math.ceil(piece / 3)).slice(0, piece - (piece % 3)));
  yield Buffer.from('[');
  let sent = 1;
  while (sent + unit.length + 3 <= size) {
    yield unit;
    sent += unit.length;
  }
  yield Buffer.from('{}]'.padStart(size - sent, ' '));
}

/** Frames body pieces as HTTP/1.1 chunked transfer encoding, ending with the last chunk. */
export function* chunked(pieces: Iterable<Buffer>): Generator<Buffer> {
  for (const piece of pieces)
    yield Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
  yield Buffer.from('0\r\n\r\n');
}

/** Arrays nested `depth` deep: `[[[…]]]`. */
export const nestedArrays = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));
