import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../server/app';
import { openDatabase } from '../server/db/client';
import { createDeps } from '../server/deps';
import { systemClock } from '../server/lib/clock';
import { silentLogger } from '../server/lib/logger';

/** The two OpenAPI documents, by the file name they are written to. */
export const OPENAPI_DOCUMENTS = {
  'server-api.json': '/api/openapi.json',
  'portal-api.json': '/portal/openapi.json',
} as const;

/**
 * Both OpenAPI documents exactly as the server serves them, from an app over an
 * empty in-memory database (the documents do not depend on any store's data).
 */
export async function openapiDocuments(
  publicBaseUrl = 'https://account-portal.invalid',
): Promise<Record<keyof typeof OPENAPI_DOCUMENTS, unknown>> {
  const db = openDatabase(':memory:');
  const app = createApp(
    createDeps({ db, clock: systemClock, logger: silentLogger, config: { production: false, publicBaseUrl } }),
  );
  const entries = await Promise.all(
    Object.entries(OPENAPI_DOCUMENTS).map(async ([file, url]) => {
      const response = await app.request(url);
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
      return [file, await response.json()] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<keyof typeof OPENAPI_DOCUMENTS, unknown>;
}

/** Writes both documents into `dir`; returns their paths. */
export async function writeOpenapiDocuments(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  return Object.entries(await openapiDocuments()).map(([file, doc]) => {
    const path = join(dir, file);
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
    return path;
  });
}

/**
 * `npm run lint:openapi`: writes both documents to a temporary folder and lints them
 * with Redocly's recommended rules (redocly.yaml); exits with Redocly's status.
 * `npm run lint:openapi -- --out <dir>` keeps the documents in `<dir>` instead.
 */
async function main() {
  const out = process.argv.indexOf('--out');
  const dir = out > 0 ? resolve(process.argv[out + 1]) : mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const files = await writeOpenapiDocuments(dir);
    execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.resolve('@redocly/cli/bin/cli.js')), 'lint', '--config', 'redocly.yaml', ...files],
      // Redocly sends usage data and checks for updates unless told not to.
      { stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
  } catch (error) {
    process.exitCode = (error as { status?: number }).status ?? 1;
    if (!('status' in (error as object))) console.error(error);
  } finally {
    if (out < 0) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
