import type { ActivityActor, ActivityDetails, ActivityKind } from '../../contract';
import type { Tx } from '../../db/client';
import type { SubscriptionRow } from '../../db/schema';
import { recordActivity } from '../activity';

/**
 * Puts a change of a subscription in its account's activity log, in the change's
 * transaction, with the subscription as its subject.
 */
export async function recordSubscriptionActivity(
  tx: Tx,
  sub: Pick<SubscriptionRow, 'id' | 'storeId' | 'accountId'>,
  kind: ActivityKind,
  actor: ActivityActor,
  details: ActivityDetails,
  now: Date,
): Promise<void> {
  await recordActivity(
    tx,
    { storeId: sub.storeId, accountId: sub.accountId, kind, actor, subjectId: sub.id, details },
    now,
  );
}
