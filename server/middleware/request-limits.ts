import type { Context, MiddlewareHandler } from 'hono';
import { DomainError, problemSaying } from '../lib/errors';
import { nestsDeeperThan } from '../lib/json-depth';

/**
 * The longest URL (path and query) any route accepts. The longest real ones, a
 * paginated list with its cursor or a portal link with its token, stay under 1 kB;
 * Node's parser refuses a request line and headers over 16 KiB before the app sees it.
 */
export const MAX_URL_LENGTH = 8 * 1024;

/** How deeply a JSON body may nest arrays and objects; no request needs more than a handful. */
export const MAX_JSON_DEPTH = 32;

/**
 * The NUL character, escaped (`%00` in a URL, `\u0000` in a JSON string, preceded by an
 * even number of backslashes). No identifier, name or address the portal keeps has one,
 * and PostgreSQL's text cannot hold it, so it is refused at the door on both engines.
 */
const NUL_IN_URL = /%00/i;
const NUL_IN_JSON = /(?<!\\)(?:\\\\)*\\u0000/;

/**
 * Answers URLs longer than MAX_URL_LENGTH with `414 uri_too_long`, and URLs carrying a
 * NUL character with `400 bad_request`.
 */
export function limitUrl(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    // The path and query: what follows the origin (whose Host header counts against the header limit).
    if (url.length - url.indexOf('/', url.indexOf('//') + 2) > MAX_URL_LENGTH) {
      throw problemSaying('uri_too_long', `The URL's path and query are longer than ${MAX_URL_LENGTH} characters.`);
    }
    if (NUL_IN_URL.test(url)) throw problemSaying('bad_request', 'The URL contains a NUL character (%00).');
    await next();
  };
}

const tooLarge = (maxBytes: number) =>
  problemSaying('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, { limit: maxBytes });

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * The methods whose requests carry a body that a route reads. The Server API registers
 * {@link limitBody} for these only (`router.on(BODY_METHODS, …)`), so that a read does
 * not pass through it at all. (The Portal API keeps it on every method: its route table
 * is checked against its document, where a method's middleware would look like a route.)
 */
export const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Holds request bodies to `maxBytes` while they stream in (`413 payload_too_large`,
 * whether `Content-Length` is declared or the body is chunked) and refuses a JSON body
 * nested deeper than MAX_JSON_DEPTH, or carrying a NUL character, before anything parses
 * it (`400 invalid_json`).
 * A JSON body is read here, within the limit, and the route reads it from Hono's cache.
 *
 * GET and HEAD pass untouched: they carry no body a route reads, and asking the Node
 * adapter's lightweight request for its body would make it build a full `Request`.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    await holdToLimit(c, maxBytes);
    if (JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      const text = await readOrFail(c.req.text());
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
        throw problemSaying(
          'invalid_json',
          `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
        );
      }
      if (NUL_IN_JSON.test(text))
        throw problemSaying('invalid_json', 'The request body contains a NUL character (\\u0000).');
    }
    await next();
  };
}

/**
 * A declared length is checked as it stands: Node's parser never hands over more than
 * it, so whoever reads the body later reads at most that. Any other body (chunked, or
 * an in-process request) is read here, counting, and put back as the request's body.
 */
async function holdToLimit(c: Context, maxBytes: number): Promise<void> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared) && c.req.header('transfer-encoding') === undefined) {
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    return;
  }
  const stream = c.req.raw.body;
  if (!stream) return;
  c.req.raw = new Request(c.req.raw, { body: await readOrFail(readStream(stream, maxBytes)) });
}

/** A body that could not be read to its end: the client went away, or stalled past the server's request timeout. */
async function readOrFail<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw problemSaying('bad_request', 'The request body ended before it was complete.');
  }
}

/** Reads a body stream to its end, giving up as soon as it passes `maxBytes`. */
async function readStream(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // The rest is the adapter's to discard after the answer (it drains a little, then closes).
      void reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
