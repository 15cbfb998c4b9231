import type { ProcessStats } from './ipc';
import { startServerProcess, type ServerProcess } from './server-process';

/** Starts a server process, runs `body` against it, and stops it again, with its memory figures. */
export async function withServer<T>(
  entry: URL,
  args: string[],
  body: (server: ServerProcess) => Promise<T>,
  options: { nodeFlags?: string[]; env?: Record<string, string> } = {},
): Promise<{ result: T; stats: ProcessStats }> {
  const server = await startServerProcess(entry, { args, nodeFlags: options.nodeFlags, env: options.env });
  try {
    const result = await body(server);
    return { result, stats: await server.stats() };
  } finally {
    await server.stop();
  }
}

/** A benchmark of 401s or 404s is worthless: check one real answer before loading the server. */
export async function expectOk(
  url: string,
  init: RequestInit,
  check: (body: string, status: number) => boolean,
): Promise<void> {
  const response = await fetch(url, init);
  const body = await response.text();
  if (!check(body, response.status)) {
    throw new Error(
      `Sanity check failed: ${init.method ?? 'GET'} ${url} answered ${response.status}: ${body.slice(0, 500)}`,
    );
  }
}
