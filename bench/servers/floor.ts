import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { floorReads } from '../lib/floor-reads';
import { floorWrites } from '../lib/floor-writes';
import { checkpointInBackground } from '../../server/db/checkpoints';
import { failChild, serveNodeChild } from '../lib/serve-child';

/**
 * The floor of the Server API's and Portal API's reads (bench/lib/floor-reads) and of
 * the login-link request (bench/lib/floor-writes): a bare
 * node:http server over raw prepared better-sqlite3 statements on the database file
 * (argv[2]), opened with the portal's pragmas. No framework, no validation, no ORM.
 */
const path = process.argv[2];
try {
  if (!path) throw new Error('usage: servers/floor.ts <database path>');
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpointed as the portal's database is (main.ts), so that a write's floor carries no inline checkpoints the app is spared.
  if (process.env.BENCH_CHECKPOINTS !== 'inline') checkpointInBackground({ $client: sqlite }, path);
  const reads = floorReads(sqlite);
  const writes = floorWrites(sqlite);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://floor');
    const ip = request.socket.remoteAddress ?? 'unknown';
    if (request.method === 'POST') {
      // The body in full, then the write (the app reads it within its limit the same way).
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const storeId = url.pathname.split('/')[2] ?? '';
        const forwarded = String(request.headers['x-forwarded-for'] ?? ip)
          .split(',')
          .at(-1)!
          .trim();
        const body = writes.loginLink(storeId, forwarded, Buffer.concat(chunks).toString('utf8'));
        response.writeHead(body === undefined ? 404 : 202, { 'content-type': 'application/json' });
        response.end(body ?? '{"error":{"code":"store_not_found"}}');
      });
      return;
    }
    const auth = request.headers.authorization;
    const parts = url.pathname.split('/');
    let body: string | undefined;
    if (url.pathname === '/api/orders') body = reads.ordersOfAccount(auth, ip, url.searchParams.get('accountId') ?? '');
    else if (parts[1] === 'api' && parts[2] === 'orders' && parts.length === 4) body = reads.order(auth, ip, parts[3]);
    else if (parts[1] === 'portal' && parts[3] === 'me' && parts.length === 4) body = reads.me(parts[2], auth);
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(body ?? '{"error":{"code":"not_found"}}');
  });
  serveNodeChild(server as Server, () => sqlite.close());
} catch (error) {
  failChild(error);
}
