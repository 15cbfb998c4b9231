import { STATUS_CODES, type Server, type ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors, type ErrorCode } from '../contract';
import { DefaultingServerResponse } from './defaulting-response';
import { errorBody } from './errors';

/** How long a client may take to send its request line and headers. */
export const HEADERS_TIMEOUT_MS = 10_000;

/** The most a request line and its headers may take together (Node's default, stated). */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface HttpLimits {
  /** How long a client may take to send a whole request, body included (`REQUEST_TIMEOUT_SECONDS`). */
  requestTimeoutMs: number;
  /** How many connections are open at most; more are closed as they arrive (`MAX_CONNECTIONS`). */
  maxConnections: number;
}

/** What `REQUEST_TIMEOUT_SECONDS` and `MAX_CONNECTIONS` default to. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { requestTimeoutMs: 30_000, maxConnections: 2000 };

/**
 * Options for Node's HTTP server that keep slow or oversized requests from holding
 * it: a client that trickles its headers or body is answered `408` and disconnected
 * once its time is up (checked every second, not Node's default 30). Its responses
 * take the headers middleware adds as defaults (lib/defaulting-response.ts).
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: headersTimeoutMs(limits),
    connectionsCheckingInterval: 1000,
    maxHeaderSize: MAX_HEADER_BYTES,
    // Writes the headers middleware adds with the route's, cheaply (see defaulting-response.ts).
    ServerResponse: DefaultingServerResponse,
  };
}

const headersTimeoutMs = (limits: HttpLimits) => Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutMs);

/**
 * Caps the server's connections and answers the requests Node's parser refuses itself
 * (oversized headers or URL, malformed HTTP, a request that timed out) in the house
 * JSON error shape instead of Node's bare status line.
 */
export function guardHttpServer(server: Server, limits: HttpLimits): void {
  server.maxConnections = limits.maxConnections;
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's parser reports every further piece of a refused request again; the first report is answered.
    if (answered.has(socket)) return;
    answered.add(socket);
    // As Node's own handler: answer only if no response has started on this socket, or the peer would get garbage.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    lingeringClose(socket, clientErrorResponse(error.code, limits));
  });
}

/** How long a refused client may go on sending (discarded) after its answer, before the connection is cut. */
export const LINGER_MS = 2_000;

/**
 * Sends the last response and half-closes, then discards what the client is still
 * sending for a moment before closing for good (as nginx's lingering close): closing
 * at once while its bytes keep arriving makes the kernel reset the connection, and a
 * reset can destroy the response before the client has read it.
 */
function lingeringClose(socket: Duplex, response: string): void {
  socket.end(response);
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}

/** The raw HTTP response to a request that Node's parser refused, closing the connection. */
export function clientErrorResponse(code: string | undefined, limits: HttpLimits): string {
  const [errorCode, message] = describeClientError(code, limits);
  const { status } = errors[errorCode];
  const body = JSON.stringify(errorBody(errorCode, message));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n' +
    body
  );
}

function describeClientError(code: string | undefined, limits: HttpLimits): [ErrorCode, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['headers_too_large', `The request line and headers are larger than ${MAX_HEADER_BYTES} bytes.`];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return ['payload_too_large', 'The chunk extensions of the request body are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        'request_timeout',
        `The request did not arrive in time (its headers within ${headersTimeoutMs(limits) / 1000} s, ` +
          `all of it within ${limits.requestTimeoutMs / 1000} s).`,
      ];
    default:
      return ['bad_request', 'The request is not valid HTTP.'];
  }
}
