import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../server/lib/project-root';
import type { FromChild, ProcessStats, ToChild } from './ipc';

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  stats(): Promise<ProcessStats>;
  /** Stops the server and waits for the process to exit. */
  stop(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Extra Node flags, such as `--cpu-prof`. */
  nodeFlags?: string[];
  /** How long the server may take to start listening. */
  timeoutMs?: number;
}

const isBuilt = (entry: string | URL) => String(entry).endsWith('.js');

/**
 * The Node flags `npm start` runs the server with (package.json): a 128 MB old
 * generation keeps the heap near its live size (~25 MB) instead of letting it grow
 * to 150–200 MB under load. Benchmarks run their servers the same way.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=128'];

/**
 * Starts a server entry (a module that calls serveChild) in its own Node process, so
 * the load generator never shares an event loop or a core's time slice with it.
 */
export function startServerProcess(entry: string | URL, options: StartOptions = {}): Promise<ServerProcess> {
  const child = fork(entry instanceof URL ? fileURLToPath(entry) : entry, options.args ?? [], {
    cwd: projectRoot,
    // A built entry (bench/lib/built-servers.ts) runs on plain Node, as the built server does.
    execArgv: [...SERVER_NODE_FLAGS, ...(isBuilt(entry) ? [] : ['--import', 'tsx']), ...(options.nodeFlags ?? [])],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave a server behind when the benchmark itself dies.
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${entry} did not start listening in time.`)),
      options.timeoutMs ?? 30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    const early = (code: number | null) => fail(new Error(`${entry} exited with code ${code} before listening.`));
    child.once('exit', early);
    child.on('message', (message: FromChild) => {
      if (message.type === 'failed') fail(new Error(`${entry} failed to start:\n${message.message}`));
      if (message.type !== 'listening') return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        pid: child.pid!,
        stats: () => request(child),
        stop: async () => {
          child.send({ type: 'stop' } satisfies ToChild);
          await exited;
          process.off('exit', killOnExit);
        },
      });
    });
  });
}

function request(child: ChildProcess): Promise<ProcessStats> {
  return new Promise((resolve) => {
    const listener = (message: FromChild) => {
      if (message.type !== 'stats') return;
      child.off('message', listener);
      resolve(message.stats);
    };
    child.on('message', listener);
    child.send({ type: 'stats' } satisfies ToChild);
  });
}
