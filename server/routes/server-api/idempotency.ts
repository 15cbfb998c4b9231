import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps';
import { basicCredentials } from '../../middleware/api-auth';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../../services/idempotency';
import type { ServerApiEnv } from './router';

/**
 * `Idempotency-Key` for every POST of the Server API, so that no route can forget
 * it: with the same key (per store and path), the same body within 24 hours
 * replays the first successful response (`Idempotent-Replayed: true`) and does
 * nothing again; another body is a 422 `idempotency_key_reused`; while the first
 * request runs, a 409 `idempotency_key_in_use`. A request that fails (4xx, 5xx) is
 * not remembered, so it can be corrected and retried with the same key. Mounted
 * after authentication. A route may store its response in its own transaction
 * (the `idempotency` variable, as `POST /api/orders` does); otherwise it is stored here.
 */
export function idempotency(deps: Deps): MiddlewareHandler<ServerApiEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    const text = await c.req.text();
    const start = await claimIdempotencyKey(deps.db, deps.clock, {
      storeId: c.get('store').id,
      scope: `POST ${c.req.path}`,
      key,
      request: parsedOrText(text),
      callerSecret: basicCredentials(c.req.header('authorization'))?.password ?? '',
    });
    if (start.replay) {
      return c.body(start.body, start.status as 200, {
        'Content-Type': 'application/json',
        'Idempotent-Replayed': 'true',
      });
    }
    const { claim } = start;
    c.set('idempotency', claim);
    try {
      await next();
    } catch (error) {
      await releaseIdempotencyKey(deps.db, claim);
      throw error;
    }
    if (c.error || c.res.status < 200 || c.res.status > 299) {
      await releaseIdempotencyKey(deps.db, claim);
      return;
    }
    await completeIdempotencyKey(deps.db, claim, { status: c.res.status, body: await c.res.clone().text() });
  };
}

/** The body as JSON when it is JSON (so key order and spacing do not matter), else its text. */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
