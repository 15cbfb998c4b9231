import { affected } from '../../db/query';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { ActivityActor, ActivityDetails, ActivityKind, SignInMethod } from '../../contract';
import type { DbOrTx, Tx } from '../../db/client';
import { insertRow } from '../../db/prepared';
import { accountActivity, type ActivityRow } from '../../db/schema';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { newId } from '../../lib/ids';
import type { DeviceDescription } from '../../lib/user-agent';
import type { ActivityView } from '../../schemas/activity';

/** One entry of an account's activity log, as a change records it. */
export interface ActivityEntry {
  storeId: string;
  accountId: string;
  kind: ActivityKind;
  actor: ActivityActor;
  /** The subscription, payment method or order concerned. */
  subjectId?: string | null;
  details?: ActivityDetails;
  /** For a sign-in: how, and on what. */
  method?: SignInMethod;
  device?: DeviceDescription | null;
}

/**
 * Appends an entry to the account's activity log inside the change's transaction:
 * the entry exists exactly when the change does. The one place that writes the log.
 */
export async function recordActivity(tx: Tx, entry: ActivityEntry, now: Date): Promise<void> {
  await insertRow(tx, accountActivity, {
    id: newId('act'),
    storeId: entry.storeId,
    accountId: entry.accountId,
    at: now,
    kind: entry.kind,
    actor: entry.actor,
    method: entry.method ?? null,
    browser: entry.device?.browser ?? null,
    os: entry.device?.os ?? null,
    subjectId: entry.subjectId ?? null,
    details: entry.details ?? {},
  });
}

/** An account's activity log, newest first, a page at a time (`nextCursor` for the next). */
export async function listActivity(
  db: DbOrTx,
  storeId: string,
  accountId: string,
  query: { cursor?: string; limit: number },
): Promise<{ data: ActivityView[]; nextCursor: string | null }> {
  const cursor = decodeCursor(query.cursor);
  const seq = cursor ? Number(cursor.id) : NaN;
  const after =
    cursor && Number.isInteger(seq)
      ? or(
          lt(accountActivity.at, new Date(cursor.at)),
          and(eq(accountActivity.at, new Date(cursor.at)), lt(accountActivity.seq, seq)),
        )
      : undefined;
  const rows = await db
    .select()
    .from(accountActivity)
    .where(and(eq(accountActivity.storeId, storeId), eq(accountActivity.accountId, accountId), after))
    .orderBy(desc(accountActivity.at), desc(accountActivity.seq))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const data = more ? rows.slice(0, query.limit) : rows;
  const last = data.at(-1);
  return { data: data.map(toActivityView), nextCursor: more && last ? encodeCursor(last.at, String(last.seq)) : null };
}

/** An entry as both APIs show it. */
export function toActivityView(row: ActivityRow): ActivityView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    kind: row.kind,
    actor: row.actor,
    method: row.method,
    device: row.browser && row.os ? { browser: row.browser, os: row.os } : null,
    subjectId: row.subjectId,
    details: row.details,
  };
}

/** The account's whole activity log, newest first (the data export's `activity` section). */
export async function allActivity(db: DbOrTx, storeId: string, accountId: string): Promise<ActivityView[]> {
  return (
    await db
      .select()
      .from(accountActivity)
      .where(and(eq(accountActivity.storeId, storeId), eq(accountActivity.accountId, accountId)))
      .orderBy(desc(accountActivity.at), desc(accountActivity.seq))
  ).map(toActivityView);
}

/**
 * Takes what could still tell something about the person out of an erased account's
 * log: the browser and system of each sign-in. What happened and when stays, as the
 * account's other records do.
 */
export async function anonymiseActivity(tx: Tx, storeId: string, accountId: string): Promise<number> {
  return affected(
    await tx
      .update(accountActivity)
      .set({ browser: null, os: null })
      .where(and(eq(accountActivity.storeId, storeId), eq(accountActivity.accountId, accountId))),
  );
}
