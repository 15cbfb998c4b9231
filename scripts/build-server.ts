import { build, type BuildOptions } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../server/lib/project-root';

/** Where `npm run build` writes the built server; production runs `node dist/server/main.js`. */
export const serverBuildDir = resolve(projectRoot, 'dist/server');

/**
 * How the server is built for production: its TypeScript compiled and bundled into
 * ES modules, one per entry, with what it imports on demand (the PDF renderer, Stripe,
 * server/dev) in chunks of their own, loaded as they are when run from source. Packages
 * stay in node_modules (better-sqlite3's native module among them). Not minified: a
 * stack trace in a log names the functions of the source.
 */
export function serverBuildOptions(outdir: string, entryPoints: string[] = ['server/main.ts']): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  };
}

/** Builds the server into `outdir` (replacing what was there). */
export async function buildServer(outdir = serverBuildDir, entryPoints?: string[]): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build(serverBuildOptions(outdir, entryPoints));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer();
  console.log(`Built the server into ${serverBuildDir}.`);
}
