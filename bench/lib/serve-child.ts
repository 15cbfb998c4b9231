import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardHttpServer, httpServerOptions, type HttpLimits } from '../../server/lib/http-server';
import type { FromChild, ProcessStats, ToChild } from './ipc';

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * Serves `fetch` with @hono/node-server on 127.0.0.1 on a free port, inside a child
 * process started by startServerProcess(): reports the port, answers stats requests
 * (RSS from the process itself) and exits cleanly on `stop` or when the parent goes away.
 * With `limits`, the HTTP server is set up as main.ts sets up the portal's.
 */
export function serveChild(fetch: Fetch, onStop: () => void = () => {}, limits?: HttpLimits): void {
  const server = serve(
    { fetch, hostname: '127.0.0.1', port: 0, ...(limits && { serverOptions: httpServerOptions(limits) }) },
    (info) => send({ type: 'listening', port: info.port }),
  );
  if (limits) guardHttpServer(server as Server, limits);
  superviseChild(server as Server, onStop);
}

/** The same for a plain node:http server (the floor server, which has no framework). */
export function serveNodeChild(server: Server, onStop: () => void = () => {}): void {
  server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));
  superviseChild(server, onStop);
}

const send = (message: FromChild) => process.send?.(message);

function superviseChild(server: Server, onStop: () => void): void {
  const stop = () => {
    server.close();
    onStop();
    // Exit explicitly: keep-alive sockets from the load generator may hold the loop open, and
    // exiting normally is what makes --cpu-prof write its profile.
    process.exit(0);
  };
  process.on('message', (message: ToChild) => {
    if (message.type === 'stats') send({ type: 'stats', stats: processStats() });
    if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
}

/** Reports a startup failure to the parent and exits. */
export function failChild(error: unknown): never {
  process.send?.({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies FromChild);
  process.exit(1);
}

function processStats(): ProcessStats {
  const usage = process.resourceUsage();
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    peakRss: peakRss() ?? Math.max(sampledPeak, memory.rss),
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    cpuUser: usage.userCPUTime,
    cpuSystem: usage.systemCPUTime,
  };
}

// Where /proc is missing, sample instead (a spike between samples can be missed).
let sampledPeak = 0;
if (peakRss() === undefined) {
  setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  }, 50).unref();
}

/**
 * The high-water mark of this process's own memory (Linux VmHWM). getrusage's maxRSS
 * would be wrong here: Linux carries it over fork and exec, so a child of a parent that
 * just seeded a database with a 1 GB page cache would report the parent's peak.
 */
function peakRss(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
