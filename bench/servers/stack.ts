import { checkpointInBackground } from '../../server/db/checkpoints';
import { closeDatabase } from '../../server/db/health';
import { openPortalDatabase } from '../../server/db/open';
import { systemClock } from '../../server/lib/clock';
import { DEFAULT_HTTP_LIMITS } from '../../server/lib/http-server';
import { silentLogger } from '../../server/lib/logger';
import { layeredReads, stackReads } from '../lib/stack-reads';
import { benchDeps } from '../lib/bench-deps';
import { failChild, serveChild } from '../lib/serve-child';

/**
 * The stack's floor of bench:api's reads (bench/lib/stack-reads): Hono on
 * @hono/node-server and Drizzle over the database file (argv[2]), served as the
 * portal is (main.ts's HTTP limits), checkpointed as main.ts does. BENCH_LAYERS=1
 * serves it with the work the portal must do for each read (layeredReads).
 */
const path = process.argv[2];
try {
  if (!path) throw new Error('usage: servers/stack.ts <database path>');
  const db = await openPortalDatabase({ postgres: null, sqlitePath: path }, silentLogger);
  checkpointInBackground(db, path);
  const app =
    process.env.BENCH_LAYERS === '1' ? layeredReads(benchDeps(db, silentLogger)) : stackReads(db, systemClock);
  serveChild(app.fetch, () => void closeDatabase(db), DEFAULT_HTTP_LIMITS);
} catch (error) {
  failChild(error);
}
