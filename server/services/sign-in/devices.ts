import { affected, first } from '../../db/query';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { devices } from '../../db/schema';
import { DAY } from '../../lib/clock';
import { hashSecret, randomSecret, safeEqual } from '../../lib/crypto';
import { newId } from '../../lib/ids';
import type { DeviceRow } from '../../db/schema';

/** How long a browser stays recognised without signing in again (Chrome caps cookies at 400 days). */
export const DEVICE_TTL_MS = 400 * DAY;

/** The device whose secret this is, if it belongs to the store and is still valid. */
export async function recogniseDevice(
  db: DbOrTx,
  storeId: string,
  secret: string | undefined,
  now: Date,
): Promise<DeviceRow | undefined> {
  if (!secret) return undefined;
  const hash = hashSecret(secret);
  const row = first(await db.select().from(devices).where(eq(devices.secretHash, hash)));
  if (!row || !safeEqual(row.secretHash, hash) || row.storeId !== storeId || row.revokedAt || now >= row.expiresAt) {
    return undefined;
  }
  return row;
}

/**
 * Remembers the browser a customer just signed in on: keeps its current device
 * credential when it already belongs to this account, otherwise issues a new one.
 * Returns the secret to set as a cookie (a fresh one each time, so it rotates).
 */
export async function rememberDevice(
  tx: Tx,
  storeId: string,
  accountId: string,
  currentSecret: string | undefined,
  now: Date,
): Promise<{ device: DeviceRow; secret: string }> {
  const current = await recogniseDevice(tx, storeId, currentSecret, now);
  const secret = randomSecret(32, 'dv_');
  const expiresAt = new Date(now.getTime() + DEVICE_TTL_MS);
  if (current && current.accountId === accountId) {
    await tx
      .update(devices)
      .set({ secretHash: hashSecret(secret), lastUsedAt: now, expiresAt })
      .where(eq(devices.id, current.id));
    return { device: { ...current, lastUsedAt: now, expiresAt }, secret };
  }
  const device: DeviceRow = {
    id: newId('dev'),
    storeId,
    accountId,
    secretHash: hashSecret(secret),
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
    revokedAt: null,
  };
  await tx.insert(devices).values(device);
  return { device, secret };
}

/** Forgets every device of an account. */
export async function revokeDevices(tx: Tx, storeId: string, accountId: string, now: Date): Promise<number> {
  return affected(
    await tx
      .update(devices)
      .set({ revokedAt: now })
      .where(and(eq(devices.storeId, storeId), eq(devices.accountId, accountId), isNull(devices.revokedAt))),
  );
}
