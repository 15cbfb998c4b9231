import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL dialect: server/db/schema-pg/ → drizzle/pg/ (`npm run db:generate` runs this and drizzle.sqlite.config.ts). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema-pg/index.ts',
  out: './drizzle/pg',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/portal' },
});
