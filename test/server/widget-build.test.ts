import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Logger } from '../../server/lib/logger';
import { ensureWidgetBundle, widgetBundleState } from '../../server/widget-build';

const base = mkdtempSync(join(tmpdir(), 'portal-widget-build-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** A project folder without node_modules (so without Vite), with widget sources and optionally a bundle. */
function project(name: string, options: { sourceTime: string; bundleTime?: string }): string {
  const root = join(base, name);
  mkdirSync(join(root, 'widget', 'components'), { recursive: true });
  const source = join(root, 'widget', 'components', 'thing.ts');
  writeFileSync(source, 'export {};\n');
  utimesSync(source, new Date(options.sourceTime), new Date(options.sourceTime));
  if (options.bundleTime) {
    mkdirSync(join(root, 'dist'));
    const bundle = join(root, 'dist', 'account-portal.js');
    writeFileSync(bundle, 'export {};\n');
    utimesSync(bundle, new Date(options.bundleTime), new Date(options.bundleTime));
  }
  return root;
}

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => {
      lines.push(`info ${message}`);
    },
    warn: (message) => {
      lines.push(`warn ${message}`);
    },
    error: (message) => {
      lines.push(`error ${message}`);
    },
  };
}

describe('ensureWidgetBundle (npm start)', () => {
  test('a bundle newer than every widget source is fresh: nothing is built', async () => {
    const root = project('fresh', { sourceTime: '2026-01-01T00:00:00Z', bundleTime: '2026-01-02T00:00:00Z' });
    assert.deepEqual(widgetBundleState(root), { exists: true, stale: false, hasSources: true });
    const logger = recorder();
    assert.equal(await ensureWidgetBundle({ logger, root }), 'fresh');
    assert.match(logger.lines.join('\n'), /^info .*is up to date/m);
  });

  test('a bundle older than a widget source is stale; without Vite the old one keeps being served', async () => {
    const root = project('stale', { sourceTime: '2026-01-03T00:00:00Z', bundleTime: '2026-01-02T00:00:00Z' });
    assert.equal(widgetBundleState(root).stale, true);
    const logger = recorder();
    assert.equal(await ensureWidgetBundle({ logger, root }), 'stale-no-tools');
    assert.match(logger.lines.join('\n'), /^warn .*Vite is not installed; serving the existing, older/m);
  });

  test('a missing bundle without Vite is logged as an error, and the server still starts', async () => {
    const root = project('missing', { sourceTime: '2026-01-03T00:00:00Z' });
    assert.deepEqual(widgetBundleState(root), { exists: false, stale: true, hasSources: true });
    const logger = recorder();
    assert.equal(await ensureWidgetBundle({ logger, root }), 'missing-no-tools');
    assert.match(logger.lines.join('\n'), /^error No widget bundle .* answers 404/m);
  });

  test('WIDGET_BUILD=off never builds, and says what is wrong', async () => {
    const root = project('off', { sourceTime: '2026-01-03T00:00:00Z', bundleTime: '2026-01-02T00:00:00Z' });
    const logger = recorder();
    assert.equal(await ensureWidgetBundle({ logger, root, mode: 'off' }), 'skipped');
    assert.match(logger.lines.join('\n'), /^warn .*older than widget\/; not building it \(WIDGET_BUILD=off\)/m);
  });

  test('a deployment with a bundle and no widget sources serves the bundle', async () => {
    const root = join(base, 'deployed');
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'account-portal.js'), 'export {};\n');
    const logger = recorder();
    assert.equal(await ensureWidgetBundle({ logger, root }), 'no-sources');
    assert.deepEqual(logger.lines, []);
  });
});

/**
 * A stand-in for Vite at node_modules/vite/bin/vite.js: writes an entry, its compressed
 * copies and a hashed chunk into WIDGET_OUT_DIR, as the real build does, named after BUILD.
 */
const fakeVite = `import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const out = process.env.WIDGET_OUT_DIR;
const build = process.env.FAKE_BUILD;
mkdirSync(join(out, 'chunks'), { recursive: true });
writeFileSync(join(out, 'chunks', 'tab-' + build + '.js'), 'export const build = "' + build + '";');
writeFileSync(join(out, 'account-portal.js'), 'import("./chunks/tab-' + build + '.js");');
writeFileSync(join(out, 'account-portal.js.br'), 'br ' + build);
writeFileSync(join(out, 'account-portal.js.gz'), 'gz ' + build);
`;

describe('ensureWidgetBundle building with Vite', () => {
  test('moves the entry, its compressed copies and its chunks into dist/, keeps a day of older chunks, leaves no temporary folder', async () => {
    const root = project('builds', { sourceTime: '2026-01-03T00:00:00Z' });
    mkdirSync(join(root, 'node_modules', 'vite', 'bin'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'vite', 'bin', 'vite.js'), fakeVite);
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'chunks'), { recursive: true });
    writeFileSync(join(dist, 'chunks', 'tab-ancient.js'), 'old');
    utimesSync(
      join(dist, 'chunks', 'tab-ancient.js'),
      new Date('2020-01-01T00:00:00Z'),
      new Date('2020-01-01T00:00:00Z'),
    );
    writeFileSync(join(dist, 'chunks', 'tab-recent.js'), 'recent');

    process.env.FAKE_BUILD = 'AAAAAAAA';
    try {
      assert.equal(await ensureWidgetBundle({ logger: recorder(), root }), 'built');
    } finally {
      delete process.env.FAKE_BUILD;
    }
    assert.equal(readFileSync(join(dist, 'account-portal.js'), 'utf8'), 'import("./chunks/tab-AAAAAAAA.js");');
    assert.equal(readFileSync(join(dist, 'account-portal.js.br'), 'utf8'), 'br AAAAAAAA');
    assert.equal(readFileSync(join(dist, 'account-portal.js.gz'), 'utf8'), 'gz AAAAAAAA');
    assert.deepEqual(
      readdirSync(join(dist, 'chunks')).sort(),
      ['tab-AAAAAAAA.js', 'tab-recent.js'],
      'the new chunk is in; a chunk of a recent build stays for pages still running it; a day-old one is gone',
    );
    assert.deepEqual(
      readdirSync(dist).filter((name) => name.startsWith('.build-')),
      [],
    );
    assert.equal(widgetBundleState(root).stale, false);
    assert.ok(!existsSync(join(dist, 'chunks', 'tab-ancient.js')));
  });
});
