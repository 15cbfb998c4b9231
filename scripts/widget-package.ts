/**
 * Builds the npm package of the widget into packages/widget/ (its `prepack`, so
 * `npm pack ./packages/widget` or `npm publish ./packages/widget` from a fresh clone
 * ships a fresh build): the entry module and its chunks with Lit, @lit/context,
 * @lit/task and i18next left as imports (`WIDGET_PACKAGE=1`, vite.config.ts), the type
 * declarations, custom-elements.json and the repository's LICENSE. Nothing of the server goes in, and the
 * package depends on those four browser libraries only, in the ranges the repository
 * itself uses (checked here, so the two never drift apart).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const packageDir = join(root, 'packages', 'widget');
const out = join(packageDir, 'dist');

function run(command: string, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', command), ...args],
    // Progress goes to stderr: `npm pack --json` prints its answer on stdout.
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 2, 2] },
  );
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}).`);
}

const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const widgetPackage = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
for (const [name, range] of Object.entries(widgetPackage.dependencies)) {
  if (rootPackage.dependencies[name] !== range) {
    throw new Error(
      `packages/widget/package.json wants ${name}@${range}, the repository uses ${rootPackage.dependencies[name]}: make them agree.`,
    );
  }
}
if (widgetPackage.version !== rootPackage.version) {
  throw new Error(
    `packages/widget/package.json is version ${widgetPackage.version}, the repository ${rootPackage.version}: make them agree.`,
  );
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run('vite/bin/vite.js', ['build', '--logLevel', 'warn'], { WIDGET_OUT_DIR: out, WIDGET_PACKAGE: '1' });
run('typescript/bin/tsc', ['-p', 'tsconfig.build.json', '--outDir', join(out, 'types')]);
cpSync(join(root, 'widget', 'locales', 'en.json'), join(out, 'types', 'widget', 'locales', 'en.json'));
cpSync(join(root, 'LICENSE'), join(packageDir, 'LICENSE'));
run('@custom-elements-manifest/analyzer/cem.js', ['analyze', '--config', 'custom-elements-manifest.config.mjs'], {
  CEM_OUTDIR: 'packages/widget',
});
console.error(`Built the widget package in ${packageDir}.`);
