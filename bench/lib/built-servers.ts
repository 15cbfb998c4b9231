import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServer } from '../../scripts/build-server';
import { projectPath } from '../../server/lib/project-root';

/** The benchmark's server entries, by name: bench/servers/{name}.ts. */
export type ServerName = 'api' | 'floor' | 'hello' | 'stack';

export interface BenchServers {
  /** Where to start each: the built entry, or the source (run through tsx) with `fromSource`. */
  entry(name: ServerName): URL;
  remove(): void;
}

/**
 * The servers a benchmark starts, built as `npm run build` builds the server
 * (scripts/build-server.ts) and run on plain Node, as production runs it — or, with
 * `fromSource`, their TypeScript through tsx, as `npm start` does. Built inside the
 * project (dist/), where the built code finds the project's files.
 */
export async function benchServers(names: ServerName[], fromSource: boolean): Promise<BenchServers> {
  const source = (name: ServerName) => pathToFileURL(projectPath('bench', 'servers', `${name}.ts`));
  if (fromSource) return { entry: source, remove: () => {} };
  mkdirSync(projectPath('dist'), { recursive: true });
  const dir = mkdtempSync(projectPath('dist', 'bench-servers-'));
  await buildServer(
    dir,
    names.map((name) => `bench/servers/${name}.ts`),
  );
  return {
    entry: (name) => pathToFileURL(join(dir, `${name}.js`)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
