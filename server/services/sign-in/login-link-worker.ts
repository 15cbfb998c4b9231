import { first } from '../../db/query';
import { eq } from 'drizzle-orm';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { Tx } from '../../db/client';
import { claimDue, leaseHeld, type LeasedOutbox } from '../../db/lease';
import { loginLinkRequests } from '../../db/schema';
import type { Deps } from '../../deps';
import { backoffDelayMs } from '../../lib/backoff';
import { MINUTE, SECOND } from '../../lib/clock';
import { createPoller, type Poller } from '../../lib/poller';
import { findAccountByEmail } from '../accounts';
import { findStore } from '../stores';
import { sendLoginLink } from './login-links';
import { sendPasswordResetLink } from './password-reset';
import { concurrentTransaction } from '../../db/concurrent';

/**
 * How long to wait after each failed attempt before the next one (after the 1st, the
 * 2nd, the 3rd). A customer is waiting for the email, so the request is given up
 * after about six minutes: by then they have asked again or gone.
 */
export const LOGIN_LINK_RETRY_SCHEDULE_MS = [10 * SECOND, MINUTE, 5 * MINUTE];

/** The number of attempts after which a request is given up. */
export const LOGIN_LINK_MAX_ATTEMPTS = LOGIN_LINK_RETRY_SCHEDULE_MS.length + 1;

/** Retry delays vary by up to this fraction either way. */
export const LOGIN_LINK_RETRY_JITTER = 0.1;

export interface LoginLinkWorkerOptions {
  /** The most requests claimed in one round (default 20). */
  batchSize?: number;
  /** The pause between rounds when there was nothing more to do, in real milliseconds (default 250). */
  pollIntervalMs?: number;
  /** How long a claim holds a request; a worker that dies leaves it to another once it lapses (default 1 min). */
  leaseMs?: number;
  /** A number in [0, 1) for the retry jitter (default Math.random). */
  random?: () => number;
}

type WorkerDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>;
type Settings = Required<LoginLinkWorkerOptions>;

const outbox: LeasedOutbox = {
  table: loginLinkRequests,
  id: loginLinkRequests.id,
  status: loginLinkRequests.status,
  nextAttemptAt: loginLinkRequests.nextAttemptAt,
  leaseUntil: loginLinkRequests.leaseUntil,
};

/**
 * Creates the worker that answers queued login-link (and password reset) requests:
 * for each, it looks the address up and, when it has an account, issues the link
 * and queues the email —
 * exactly what the request did itself before — then deletes the request, all in one
 * transaction. Requests are claimed with a lease (server/db/lease.ts), so two
 * workers never answer one twice and a request survives a restart or a crash.
 */
export function createLoginLinkWorker(deps: WorkerDeps, options: LoginLinkWorkerOptions = {}): Poller {
  const settings: Settings = {
    batchSize: options.batchSize ?? 20,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    leaseMs: options.leaseMs ?? MINUTE,
    random: options.random ?? Math.random,
  };
  return createPoller({
    runOnce: () => runRound(deps, settings),
    batchSize: settings.batchSize,
    pollIntervalMs: settings.pollIntervalMs,
    logger: deps.logger,
    name: 'login-link',
  });
}

/** One round: claim what is due and answer it, one request at a time. */
async function runRound(deps: WorkerDeps, settings: Settings): Promise<number> {
  const { ids, lease } = await concurrentTransaction(
    deps.db,
    async (tx) => await claimDue(tx, outbox, deps.clock.now(), settings),
  );
  for (const id of ids) {
    // A request takes a millisecond or two (mostly rendering the email): let waiting requests in between.
    await yieldToRequests();
    try {
      await deps.db.transaction(async (tx) => await answer(tx, deps, id, lease));
    } catch (error) {
      await retryLater(deps, id, lease, error, settings.random);
    }
  }
  return ids.length;
}

async function answer(tx: Tx, deps: WorkerDeps, id: string, lease: Date): Promise<void> {
  const request = first(
    await tx
      .select()
      .from(loginLinkRequests)
      .where(leaseHeld(outbox, id, lease)),
  );
  // The lease lapsed and another worker took the request over.
  if (!request) return;
  const store = await findStore(tx, request.storeId);
  const account = store && (await findAccountByEmail(tx, store.id, request.email));
  const { publicBaseUrl } = deps.config;
  // A deleted account is answered as an unknown address: no link, no email.
  if (store && account && !account.deletedAt) {
    if (request.purpose === 'password_reset')
      await sendPasswordResetLink(tx, store, account, { publicBaseUrl }, deps.clock.now());
    else await sendLoginLink(tx, store, account, { publicBaseUrl, returnTo: request.returnTo }, deps.clock.now());
  }
  await tx.delete(loginLinkRequests).where(eq(loginLinkRequests.id, id));
}

/** Puts a request that failed back for later, or gives it up once the schedule is spent. */
async function retryLater(
  deps: WorkerDeps,
  id: string,
  lease: Date,
  error: unknown,
  random: () => number,
): Promise<void> {
  const request = first(
    await deps.db
      .select()
      .from(loginLinkRequests)
      .where(leaseHeld(outbox, id, lease)),
  );
  if (!request) return;
  const attempts = request.attempts + 1;
  const delay = backoffDelayMs(LOGIN_LINK_RETRY_SCHEDULE_MS, attempts, LOGIN_LINK_RETRY_JITTER, random);
  const fields = { requestId: id, storeId: request.storeId, attempt: attempts, error };
  if (delay === undefined) {
    await deps.db.delete(loginLinkRequests).where(leaseHeld(outbox, id, lease));
    deps.logger.error('login-link request given up', fields);
    return;
  }
  await deps.db
    .update(loginLinkRequests)
    .set({ attempts, leaseUntil: null, nextAttemptAt: new Date(deps.clock.now().getTime() + delay) })
    .where(leaseHeld(outbox, id, lease));
  deps.logger.warn('login-link request failed; will retry', fields);
}
