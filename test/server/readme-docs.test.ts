import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderWidgetDocs, replaceSection } from '../../scripts/widget-docs';

test('the README\'s widget API tables match the JSDoc (run `npm run build:manifest && npm run docs` if not)', () => {
  // The analyzer takes its output folder relative to the project.
  const dir = join('node_modules', '.cache', `cem-check-${process.pid}`);
  try {
    execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze',
      '--config', 'custom-elements-manifest.config.mjs'], { env: { ...process.env, CEM_OUTDIR: dir }, stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
    const docs = renderWidgetDocs(manifest);
    for (const name of ['`auth-url`', '`ap-signed-in`', '`--ap-color-primary`', '`signOut()`', '<ap-orders>']) {
      assert.ok(docs.includes(name), `${name} is documented`);
    }
    const readme = readFileSync('README.md', 'utf8');
    assert.equal(readme, replaceSection(readme, docs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
