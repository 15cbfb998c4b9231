import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { startServer, type RunningServer } from './server-process';

/** Where end-to-end tests put their screenshots. */
export const shots = join(process.cwd(), 'test-results', 'e2e');

/** The demo store's Server API credentials, as a Basic `Authorization` header. */
export const demoAuth = `Basic ${Buffer.from('demo:demo-password').toString('base64')}`;

export interface DemoRun {
  /** The portal server, as `npm start` runs it. */
  server: RunningServer;
  /** The demo merchant site's base URL. */
  url: string;
  browser: Browser;
  /** A scratch directory of the run (the database lives there; downloads may go there); removed after. */
  dir: string;
}

/**
 * Runs the demo — the portal on a fresh database and its merchant site — and Chromium
 * for the test file that calls it: started before its tests, stopped after them. The
 * fields are set once `before` has run.
 */
export function useDemo(name: string): DemoRun {
  const dir = mkdtempSync(join(tmpdir(), `portal-e2e-${name}-`));
  const run = { dir } as DemoRun;
  before(async () => {
    mkdirSync(shots, { recursive: true });
    run.server = await startServer(
      { DATABASE_PATH: join(dir, 'portal.db'), DEMO_PORT: '0', WIDGET_BUILD: 'auto' },
      /merchant site on/,
    );
    run.url = /merchant site on (http:\/\/\S+),/.exec(run.server.output())![1];
    run.browser = await launchChromium();
  });
  after(async () => {
    await run.browser?.close();
    await run.server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return run;
}
