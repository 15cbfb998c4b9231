import type { Db } from '../../server/db/types';
import { createDeps } from '../../server/deps';
import { systemClock } from '../../server/lib/clock';
import type { Logger } from '../../server/lib/logger';

/**
 * The app's dependencies as a benchmark's server process runs it: production mode,
 * the system clock, over `db`. `trustProxy` lets a benchmark spread requests over many
 * client addresses (per-IP rate limits).
 */
export function benchDeps(db: Db, logger: Logger, trustProxy = false) {
  return createDeps({
    db,
    clock: systemClock,
    logger,
    config: { production: true, publicBaseUrl: 'http://127.0.0.1', trustProxy },
  });
}
