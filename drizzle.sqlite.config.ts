import { defineConfig } from 'drizzle-kit';

/** The SQLite dialect: server/db/schema/ → drizzle/sqlite/ (`npm run db:generate` runs this and drizzle.pg.config.ts). */
export default defineConfig({
  dialect: 'sqlite',
  schema: './server/db/schema/sqlite.ts',
  out: './drizzle/sqlite',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_PATH ?? 'data/portal.db' },
});
