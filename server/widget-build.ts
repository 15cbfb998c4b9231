import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from './lib/logger';
import { projectRoot } from './lib/project-root';

/** What `ensureWidgetBundle` found and did; the server starts whatever the outcome. */
export type WidgetBuildOutcome =
  | 'fresh'
  | 'built'
  | 'skipped'
  | 'no-sources'
  | 'stale-no-tools'
  | 'missing-no-tools'
  | 'stale-build-failed'
  | 'missing-build-failed';

export interface WidgetBuildOptions {
  logger: Logger;
  /** The repository root (where widget/, vite.config.ts and dist/ are). */
  root?: string;
  /** `off` never builds (a deployment that ships a prebuilt bundle). */
  mode?: 'auto' | 'off';
}

/** The newest modification time among the widget's sources and the build configuration, or 0 without sources. */
export function newestWidgetSource(root = projectRoot): number {
  const widgetDir = join(root, 'widget');
  if (!existsSync(widgetDir)) return 0;
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(widgetDir);
  for (const file of ['vite.config.ts', 'package.json']) {
    const path = join(root, file);
    if (existsSync(path)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether dist/account-portal.js exists and is at least as new as every widget source. */
export function widgetBundleState(root = projectRoot): { exists: boolean; stale: boolean; hasSources: boolean } {
  const bundle = join(root, 'dist', 'account-portal.js');
  const newest = newestWidgetSource(root);
  if (!existsSync(bundle)) return { exists: false, stale: true, hasSources: newest > 0 };
  return { exists: true, stale: statSync(bundle).mtimeMs < newest, hasSources: newest > 0 };
}

/**
 * Makes sure `dist/account-portal.js` exists and is not older than any file under
 * widget/, building it (with its chunks and their compressed copies) with Vite when
 * needed. The build goes into a temporary directory and the finished files are
 * renamed into place, so a server already serving the widget (or a second process
 * building at the same time) never reads half a file or an entry without its chunks. Never throws: without Vite (a production install without dev
 * dependencies) or after a failed build the server keeps serving the bundle it has,
 * and says so in one clear log line.
 */
export async function ensureWidgetBundle(options: WidgetBuildOptions): Promise<WidgetBuildOutcome> {
  const { logger } = options;
  const root = options.root ?? projectRoot;
  const state = widgetBundleState(root);
  const shown = relative(process.cwd(), join(root, 'dist', 'account-portal.js')) || 'dist/account-portal.js';
  if (!state.hasSources) {
    if (!state.exists)
      logger.error(
        `No widget bundle at ${shown} and no widget/ sources to build it from: /widget/account-portal.js answers 404.`,
      );
    return 'no-sources';
  }
  if (!state.stale) {
    logger.info(`Widget bundle ${shown} is up to date.`);
    return 'fresh';
  }
  if (options.mode === 'off') {
    const problem = state.exists ? 'is older than widget/' : 'is missing';
    logger.warn(`Widget bundle ${shown} ${problem}; not building it (WIDGET_BUILD=off). Run \`npm run build\`.`);
    return 'skipped';
  }
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    if (state.exists) {
      logger.warn(
        `Widget sources changed but Vite is not installed; serving the existing, older ${shown}. ` +
          'Install dev dependencies and run `npm run build` to rebuild it.',
      );
      return 'stale-no-tools';
    }
    logger.error(
      `No widget bundle at ${shown} and Vite is not installed to build it: /widget/account-portal.js answers 404. ` +
        'Install dev dependencies and run `npm run build`.',
    );
    return 'missing-no-tools';
  }
  logger.info(`Widget bundle ${shown} is ${state.exists ? 'older than widget/' : 'missing'}; building it with Vite…`);
  const started = performance.now();
  const failure = await buildInto(root, vite);
  if (failure === null) {
    logger.info(`Widget bundle built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return 'built';
  }
  if (state.exists) {
    logger.warn(`Building the widget failed; serving the existing, older ${shown}.`, { output: failure });
    return 'stale-build-failed';
  }
  logger.error('Building the widget failed: /widget/account-portal.js answers 404 until `npm run build` succeeds.', {
    output: failure,
  });
  return 'missing-build-failed';
}

/** Hashed chunks of earlier builds are kept this long, for pages still running an older entry. */
const OLD_CHUNK_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Runs `vite build` into a temporary directory under dist/ and moves the files into
 * place: first the chunks (new content has new names, so nothing a running page uses
 * changes), then the entry's compressed copies, and the entry itself last, so the
 * stable URL never points at chunks that are not there yet. The server checks each
 * compressed copy against the file it belongs to, so one caught between two renames
 * is never sent. Chunks that the new build no longer has are removed once they are a
 * day old. Returns the error output on failure.
 */
async function buildInto(root: string, vite: string): Promise<string | null> {
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  const outDir = mkdtempSync(join(dist, '.build-'));
  try {
    const output = await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], root, { WIDGET_OUT_DIR: outDir });
    if (output.code !== 0) return tail(output.text);
    if (!existsSync(join(outDir, 'account-portal.js'))) return 'vite build finished without writing account-portal.js';
    const builtChunks = join(outDir, 'chunks');
    const chunks = join(dist, 'chunks');
    mkdirSync(chunks, { recursive: true });
    const fresh = new Set(existsSync(builtChunks) ? readdirSync(builtChunks) : []);
    for (const file of fresh) renameSync(join(builtChunks, file), join(chunks, file));
    for (const file of readdirSync(outDir).filter((name) => name.startsWith('account-portal.js.'))) {
      renameSync(join(outDir, file), join(dist, file));
    }
    renameSync(join(outDir, 'account-portal.js'), join(dist, 'account-portal.js'));
    const now = Date.now();
    for (const file of readdirSync(chunks)) {
      if (!fresh.has(file) && now - statSync(join(chunks, file)).mtimeMs > OLD_CHUNK_GRACE_MS)
        rmSync(join(chunks, file), { force: true });
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; text: string }>((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, text }));
  });
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
