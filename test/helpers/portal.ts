import { first } from '../../server/db/query';
import { and, desc, eq } from 'drizzle-orm';
import { emails } from '../../server/db/schema';
import { createLoginLinkWorker } from '../../server/services/sign-in';
import { setStoreValue } from '../../server/services/stores/stores';
import type { TestContext, TestStore } from './app';

export interface PortalRequestOptions {
  store?: TestStore;
  token?: string;
  headers?: Record<string, string>;
}

/** A Portal API request (`/portal/{store}…`), with an optional bearer session. */
export function portal(
  t: TestContext,
  method: string,
  path: string,
  body?: unknown,
  options: PortalRequestOptions = {},
) {
  return t.app.request(`/portal/${(options.store ?? t.store).id}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The newest queued email to an address (of a kind), or undefined. */
export async function latestEmail(t: TestContext, to: string, kind?: string) {
  return first(
    await t.db
      .select()
      .from(emails)
      .where(and(eq(emails.toAddress, to), kind ? eq(emails.kind, kind) : undefined))
      .orderBy(desc(emails.createdAt), desc(emails.id)),
  );
}

/** All queued emails. */
export async function allEmails(t: TestContext) {
  return await t.db.select().from(emails);
}

/** The first link in a text body that carries `param`, parsed. */
export function linkIn(text: string | null | undefined, param = 'portal_token'): URL {
  const match = (text ?? '')
    .match(/https?:\/\/\S+/g)
    ?.map((u) => new URL(u))
    .find((u) => u.searchParams.has(param));
  if (!match) throw new Error(`no link with ${param} in:\n${text}`);
  return match;
}

export const tokenIn = (text: string | null | undefined, param = 'portal_token') =>
  linkIn(text, param).searchParams.get(param)!;

/**
 * Runs the login-link worker until no request is waiting — what the server process
 * does in the background — so that requested login links have been emailed.
 * Returns how many requests it answered.
 */
export async function runLoginLinkWorker(t: TestContext): Promise<number> {
  const worker = createLoginLinkWorker(t.deps);
  let answered = 0;
  for (let round = await worker.runOnce(); round > 0; round = await worker.runOnce()) answered += round;
  return answered;
}

/** Requests a login link for `email` and redeems it; returns the session and the device cookie. */
export async function signInByEmail(t: TestContext, email: string, options: PortalRequestOptions = {}) {
  const requested = await portal(t, 'POST', '/login-links', { email }, options);
  if (requested.status !== 202) throw new Error(`login-links: ${requested.status} ${await requested.text()}`);
  await runLoginLinkWorker(t);
  const token = tokenIn((await latestEmail(t, email, 'login_link'))?.textBody);
  const response = await portal(t, 'POST', '/sessions', { token }, options);
  if (response.status !== 201) throw new Error(`sessions: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie') ?? '';
  const session = (await response.json()) as { token: string; expiresAt: string; account: { id: string } };
  return { ...session, deviceCookie: cookie.split(';')[0] };
}

/** Changes a store setting as the CLI would. */
export async function setSetting(t: TestContext, name: string, value: string, store: TestStore = t.store) {
  await setStoreValue(t.db, t.clock, store.id, name, value);
}
