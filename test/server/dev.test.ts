import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test, type TestContext as NodeTestContext } from 'node:test';
import { createDevelopment } from '../../server/dev';
import { isLoopbackHost } from '../../server/lib/loopback';
import type { Logger } from '../../server/lib/logger';
import { createTestContext } from '../helpers/app';
import { startServer } from '../helpers/server-process';
import { tempDatabasePath } from '../helpers/temp-database';

const devFolder = new URL('../../server/dev/', import.meta.url).href;
const demoFolder = new URL('../../demo/', import.meta.url).href;
const moduleLog = new URL('../helpers/module-log.mjs', import.meta.url).href;

/**
 * Starts `server/main.ts` with a module-load hook registered after tsx: every module
 * the process loads, TypeScript ones included, is written to a log file. Returns the
 * server and a reader of that log.
 */
async function startWatched(t: NodeTestContext, env: Record<string, string>) {
  const databasePath = tempDatabasePath(t);
  const log = join(dirname(databasePath), 'modules.log');
  const server = await startServer({ DATABASE_PATH: databasePath, MODULE_LOG: log, ...env }, undefined, {
    nodeArgs: ['--import', moduleLog],
  });
  t.after(() => server.stop());
  const loaded = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  return { server, loaded };
}

describe('server/dev (development only)', () => {
  test('a production start never loads server/dev nor demo/, and has no development routes', async (t) => {
    const { server, loaded } = await startWatched(t, { NODE_ENV: 'production', ALLOW_TEST_GATEWAY: 'true' });
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    for (const path of [
      '/',
      '/dev/outbox',
      '/dev/outbox.json',
      '/demo/files/studio-release-notes.md',
      '/theme-editor',
      '/theme-editor/preview/portal/demo/config',
    ]) {
      assert.equal((await fetch(`${server.url}${path}`)).status, 404, path);
    }
    const modules = loaded();
    assert.ok(
      modules.some((url) => url.endsWith('/server/main.ts')),
      'the log saw the entry point',
    );
    assert.ok(
      modules.some((url) => url.endsWith('/server/app.ts')),
      'the log saw TypeScript modules',
    );
    assert.deepEqual(
      modules.filter((url) => url.startsWith(devFolder) || url.startsWith(demoFolder)),
      [],
    );
    assert.equal(await server.stop(), 0);
  });

  test('a production start with THEME_EDITOR=true serves the theme editor and its preview, and nothing else of server/dev', async (t) => {
    const { server, loaded } = await startWatched(t, {
      NODE_ENV: 'production',
      ALLOW_TEST_GATEWAY: 'true',
      THEME_EDITOR: 'true',
    });
    const page = await fetch(`${server.url}/theme-editor`);
    assert.equal(page.status, 401, 'there, behind the Server API credentials');
    assert.match(page.headers.get('www-authenticate') ?? '', /^Basic /);
    const preview = await fetch(`${server.url}/theme-editor/preview/portal/demo/config`);
    assert.equal(preview.status, 200);
    assert.equal(((await preview.json()) as { store: { name: string } }).store.name, 'Northwind Software');
    for (const path of ['/', '/dev/outbox.json', '/demo/files/studio-release-notes.md', '/portal/demo/config']) {
      assert.equal((await fetch(`${server.url}${path}`)).status, 404, path);
    }
    assert.ok(loaded().includes(`${devFolder}theme-editor/index.ts`));
    assert.match(server.output(), /Theme editor: http:\/\/\S+\/theme-editor/);
    assert.equal(await server.stop(), 0);
  });

  test('a development start loads server/dev (so the watch above would see it) and serves its routes', async (t) => {
    const { server, loaded } = await startWatched(t, {});
    const modules = loaded();
    assert.ok(modules.includes(`${devFolder}index.ts`), 'server/dev/index.ts was loaded');
    assert.ok(
      modules.some((url) => url.startsWith(demoFolder)),
      'demo/ was loaded',
    );
    assert.equal((await fetch(`${server.url}/`)).status, 200);
    assert.equal((await fetch(`${server.url}/dev/outbox.json`)).status, 200);
    assert.equal(await server.stop(), 0);
  });

  test('a start on every interface (HOST=0.0.0.0) refuses the outbox and says so in one log line', async (t) => {
    const { server } = await startWatched(t, { HOST: '0.0.0.0' });
    const url = server.url.replace('//localhost:', '//127.0.0.1:');
    const refused = await fetch(`${url}/dev/outbox.json`);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'dev_outbox_not_served');
    assert.equal(
      server.output().match(/dev outbox: not served, HOST=0\.0\.0\.0 is not loopback/g)?.length,
      1,
      server.output(),
    );
    assert.match(server.output(), /local outbox \(the emails table; its pages are not served\)/);
    assert.equal(await server.stop(), 0);
  });

  test('createDevelopment logs nothing on loopback and one warning elsewhere; it refuses production', async () => {
    const { deps } = await createTestContext();
    const warnings: string[] = [];
    const logger: Logger = { info: () => {}, warn: (message) => warnings.push(message), error: () => {} };
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', 'localhost', 'LOCALHOST']) {
      assert.ok(isLoopbackHost(host), host);
      assert.equal(
        createDevelopment({ ...deps, logger }, { host }).outboxUrl(),
        'https://portal.test/dev/outbox',
        host,
      );
    }
    assert.deepEqual(warnings, []);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'portal.example', 'localhost.example']) {
      assert.ok(!isLoopbackHost(host), host);
      assert.equal(createDevelopment({ ...deps, logger }, { host }).outboxUrl(), undefined, host);
    }
    assert.equal(warnings.length, 5);
    assert.throws(
      () => createDevelopment({ ...deps, config: { ...deps.config, production: true } }, { host: '127.0.0.1' }),
      /never used in production/,
    );
  });

  test('createApp has the development routes only when server/dev is mounted', async () => {
    const development = await createTestContext();
    const production = await createTestContext({ config: { production: true } });
    for (const path of ['/', '/dev/outbox', '/dev/outbox.json', '/demo/files/studio-release-notes.md']) {
      assert.equal((await development.app.request(path)).status, 200, path);
      assert.equal((await production.app.request(path)).status, 404, path);
    }
  });
});
