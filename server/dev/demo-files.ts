import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import { errorBody } from '../lib/errors';
import { projectPath } from '../lib/project-root';

/** The folder holding the files the demo store's download fulfilments point to. */
export const demoFilesDir = projectPath('demo/files');

const contentTypes: Record<string, string> = {
  '.zip': 'application/zip',
  '.pdf': 'application/pdf',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// Plain names only: no slashes, no leading dot, so nothing outside the folder can be named.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** The regular files directly inside `dir` (none when it does not exist). */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Serves the demo's downloadable files (`GET /:name`) as attachments. Only files
 * that exist directly in `dir` are served; any other name is a JSON 404. Meant to
 * be mounted at `/demo/files` outside production.
 */
export function demoFileRoutes(dir: string = demoFilesDir) {
  return new Hono().get('/:name', (c) => {
    const name = c.req.param('name');
    if (!SAFE_NAME.test(name) || !listFiles(dir).includes(name)) {
      return c.json(errorBody('not_found', 'There is no demo file with that name.'), 404);
    }
    const body = new Uint8Array(readFileSync(join(dir, name)));
    return c.body(body, 200, {
      'Content-Type': contentTypes[extname(name).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(body.byteLength),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    });
  });
}
