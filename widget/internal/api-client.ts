import type { ErrorCode } from '../../server/contract';
import type { PortalAccountView } from '../../server/schemas/portal';
import type { SessionScopeView } from '../../server/schemas/session-scope';

/** The answers that mean the session is over: the portal then asks the customer to sign in again. */
const sessionEnded: readonly ErrorCode[] = ['session_expired', 'invalid_session'];

/** An error answer of the Portal API, in plain words, with the server's machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait before asking again (from `Retry-After`). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field-level problems of a 422, keyed by field path (`address.city`). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const issue of this.details as { field?: string; message?: string }[]) {
        if (issue.field !== undefined && issue.message && !(issue.field in out)) out[issue.field] = issue.message;
      }
    }
    return out;
  }
}

export interface Session {
  token: string;
  expiresAt: string;
  account: PortalAccountView;
  /** What the session may do (a merchant may have limited it); kept sessions from before it was sent lack it. */
  scope?: SessionScopeView;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Send the session token (default true). */
  auth?: boolean;
  /** Do not report an ended session (signing out of one that already expired). */
  silent?: boolean;
  /** Read a successful answer as a file (a PDF) instead of JSON. */
  file?: boolean;
}

/**
 * A small typed client for one store's Portal API. It sends the session token as a
 * bearer header and the device cookie (credentials: include), and turns every
 * error answer into an {@link ApiError}. `onSessionExpired` runs when the server
 * says the session expired, before the error is thrown.
 */
export class PortalApiClient {
  token: string | null = null;

  constructor(
    readonly apiBase: string,
    readonly store: string,
    /** Told when the server says the session ended (the portal that uses the client sets it). */
    public onSessionError: (error: ApiError) => void = () => {},
  ) {}

  /** Calls `path` under `/portal/{store}`. */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: options.file ? '*/*' : 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.apiBase}/portal/${encodeURIComponent(this.store)}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'include',
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'network_error', 'The connection failed. Check your network and try again.');
    }
    if (response.status === 204) return undefined as T;
    if (options.file && response.ok) {
      const blob = await response.blob();
      return new File([blob], fileNameOf(response.headers.get('content-disposition')), { type: blob.type }) as T;
    }
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code: string; message: string; details?: unknown } } | undefined;
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after')) || undefined;
      const error = new ApiError(
        response.status,
        body?.error?.code ?? 'error',
        body?.error?.message ?? response.statusText,
        body?.error?.details,
        retryAfter,
      );
      if (
        response.status === 401 &&
        options.auth !== false &&
        !options.silent &&
        sessionEnded.some((code) => code === error.code)
      ) {
        this.onSessionError(error);
      }
      throw error;
    }
    return body as T;
  }

  /** Redeems a sign-in token (a single-use one, or a management URL's) for a session. */
  redeem(token: string, kind: 'token' | 'management'): Promise<Session> {
    const path = kind === 'management' ? '/sessions/management' : '/sessions';
    return this.request<Session>(path, { method: 'POST', body: { token }, auth: false });
  }

  /**
   * GET requests started ahead of the part that reads them, by path, each answering one
   * reader, with the session token each was asked with: an answer is this session's when it
   * was asked with its token, or with none (a public answer, like the config).
   */
  private readonly prefetched = new Map<string, { token: string | null; answer: Promise<unknown> }>();

  /**
   * Starts a GET now for a part that will ask for it soon (the orders list's first page
   * as soon as the session is there, rather than after the tab has rendered). The next
   * `get` of the same path in the same session takes it; `forget()` drops what nobody took.
   */
  prefetch(path: string): void {
    if (this.prefetched.get(path)?.token === this.token) return;
    const answer = this.request(path);
    answer.catch(() => undefined);
    this.prefetched.set(path, { token: this.token, answer });
  }

  private owns(token: string | null): boolean {
    return token === null || token === this.token;
  }

  /** Drops unread prefetched answers of other sessions than the current one (the session changed). */
  forget(): void {
    for (const [path, { token }] of this.prefetched) if (!this.owns(token)) this.prefetched.delete(path);
  }

  get<T>(path: string, signal?: AbortSignal) {
    const early = this.prefetched.get(path);
    if (early) {
      this.prefetched.delete(path);
      if (this.owns(early.token)) return early.answer as Promise<T>;
    }
    return this.request<T>(path, { signal });
  }

  /** Downloads a file (`GET`), such as an invoice PDF, named as the server's `Content-Disposition` names it. */
  file(path: string): Promise<File> {
    return this.request<File>(path, { file: true });
  }

  send<T>(method: string, path: string, body?: unknown) {
    return this.request<T>(path, { method, body });
  }
}

/**
 * The file name a `Content-Disposition` header offers: its RFC 5987 `filename*` when
 * present, else its plain `filename`; empty when there is none.
 */
export function fileNameOf(header: string | null): string {
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed escape: the plain name below is as good.
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(header ?? '')?.[1] ?? '';
}

/** Whether `error` is the abort of a superseded or abandoned request (not worth telling anyone). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
