/**
 * `npm run db:generate [-- --name <what>]`: generates the migration of a schema change
 * for both engines, drizzle/sqlite/ from server/db/schema/ and drizzle/pg/ from
 * server/db/schema-pg/, passing its arguments to each `drizzle-kit generate`.
 */
import { spawnSync } from 'node:child_process';

for (const config of ['drizzle.sqlite.config.ts', 'drizzle.pg.config.ts']) {
  const run = spawnSync('npx', ['drizzle-kit', 'generate', '--config', config, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
