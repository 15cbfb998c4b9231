import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from 'node:http';

/** A response header as middleware adds it: name, value. */
export type HeaderPair = readonly [name: string, value: string];

/**
 * Node's `ServerResponse` (the server's, through `httpServerOptions`) that takes
 * header defaults from middleware and writes them with the route's own headers, in
 * one `writeHead`.
 *
 * Why: the headers every response carries (security headers, request id, caching) are
 * added after the route has answered, and both ways Node and @hono/node-server offer
 * cost more than writing them: `setHeader` validates and stores each one and makes
 * Node merge the route's headers into them one by one; touching `c.res.headers` turns
 * the route's plain header object into WHATWG `Headers` and back. Here they stay the
 * constant lists they are until Node writes them beside the route's headers, in its
 * flat list of names and values. A Server API read's thirteen headers cost the server
 * ~4 µs of CPU this way, ~8 µs with `setHeader` (a Hono app answering a 1 kB JSON
 * body over HTTP: 21, 25 and 29 µs a request without them, here, with `setHeader`);
 * bench:api's order by id went from 0.71 to 0.75 of its floor.
 *
 * Precedence: the route's headers (and any set with `setHeader`) win over the
 * defaults, and the first default given for a name wins over later ones, as
 * middleware adding defaults after `next()` gives them from the inside out. `Vary`
 * fields are appended to the route's own `Vary`.
 */
export class DefaultingServerResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  #defaults: (readonly HeaderPair[])[] | undefined;
  #vary: string[] | undefined;

  /** Adds headers that the response gets unless it has its own of that name. */
  addDefaults(headers: readonly HeaderPair[]): void {
    (this.#defaults ??= []).push(headers);
  }

  /** Adds a field to the response's `Vary`. */
  addVary(field: string): void {
    (this.#vary ??= []).push(field);
  }

  override writeHead(
    statusCode: number,
    reasonOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
    const own = reason === undefined ? (reasonOrHeaders as OutgoingHttpHeaders | OutgoingHttpHeader[]) : headers;
    const all = this.#defaults || this.#vary ? this.#withDefaults(own) : own;
    return reason === undefined ? super.writeHead(statusCode, all) : super.writeHead(statusCode, reason, all);
  }

  /** The route's headers and then the defaults it has no header for, as Node's flat list of names and values. */
  #withDefaults(own: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined): OutgoingHttpHeader[] {
    const list = flatList(own);
    // Lower-case names already present: the route's, then any set with setHeader.
    const present: string[] = [];
    for (let i = 0; i < list.length; i += 2) present.push(String(list[i]).toLowerCase());
    present.push(...this.getHeaderNames());
    if (this.#vary) this.#appendVary(list, present, this.#vary);
    for (const defaults of this.#defaults ?? []) {
      for (const [name, value] of defaults) {
        const lower = name.toLowerCase();
        if (present.includes(lower)) continue;
        present.push(lower);
        list.push(name, value);
      }
    }
    return list;
  }

  /** Appends the fields to the `Vary` the route gave (or set with `setHeader`), or adds one. */
  #appendVary(list: OutgoingHttpHeader[], present: string[], fields: readonly string[]): void {
    const at = present.indexOf('vary');
    const current = at < 0 ? undefined : at * 2 < list.length ? list[at * 2 + 1] : this.getHeader('vary');
    const value = (current === undefined ? fields : [String(current), ...fields]).join(', ');
    if (at < 0) {
      list.push('Vary', value);
      present.push('vary');
    } else if (at * 2 < list.length) list[at * 2 + 1] = value;
    else this.setHeader('Vary', value);
  }
}

/** Headers as `writeHead` takes them (an object or a flat list of names and values), as a new flat list. */
function flatList(headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined): OutgoingHttpHeader[] {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers.slice();
  const list: OutgoingHttpHeader[] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) list.push(name, value);
  }
  return list;
}
