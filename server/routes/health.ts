import type { Handler } from 'hono';
import { databaseProblem } from '../db/health';
import type { Deps } from '../deps';

/**
 * `GET /health` for load balancers and monitors: `200 {"ok":true,"database":"ok"}` while
 * the database answers a query, `503 {"ok":false,"database":"unreachable"}` when it does
 * not, so that a balancer takes this replica out. A status report rather than an API
 * error, so it has no `error` object (the reason is logged, once per outage, not sent).
 * Never cached.
 */
export function health(deps: Pick<Deps, 'db' | 'logger'>): Handler {
  let down = false;
  return async (c) => {
    const problem = await databaseProblem(deps.db);
    if (problem !== null && !down) deps.logger.error('Health check: the database is unreachable', { problem });
    if (problem === null && down) deps.logger.info('Health check: the database is reachable again');
    down = problem !== null;
    c.header('Cache-Control', 'no-store');
    return down ? c.json({ ok: false, database: 'unreachable' }, 503) : c.json({ ok: true, database: 'ok' });
  };
}
