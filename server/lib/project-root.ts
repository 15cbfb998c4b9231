import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `from` that holds a package.json. */
function rootAbove(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}.`);
  }
}

/**
 * The project's folder (where package.json is), found from where this module runs:
 * server/lib/ from source (tsx), dist/server/ as the built server (`npm run build`).
 * The files the server reads as it runs — migrations, locales, the widget bundle, the
 * pages' scripts, the demo's files — are named from here, so both find them.
 */
export const projectRoot = rootAbove(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, such as `projectPath('drizzle', 'sqlite')`. */
export const projectPath = (...segments: string[]): string => resolve(projectRoot, ...segments);
