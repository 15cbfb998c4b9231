import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export interface RunningServer {
  url: string;
  process: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How each npm script that runs the server names its entry (package.json). */
const serverScripts = { start: '--import tsx server/main.ts', 'start:built': 'dist/server/main.js' } as const;

/**
 * The Node flags of `npm start` (package.json's `start` script, such as its heap
 * limit), or of `npm run start:built` (the built server, as production runs it), for
 * tests that must see the server exactly as it runs in production.
 */
export function npmStartNodeFlags(script: keyof typeof serverScripts = 'start'): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const entry = serverScripts[script];
  const command = scripts[script] ?? '';
  if (!command.startsWith('node ') || !command.endsWith(` ${entry}`)) {
    throw new Error(`npm run ${script} is not "node … ${entry}": ${command}`);
  }
  return command.slice('node '.length, -entry.length).split(/\s+/).filter(Boolean);
}

/**
 * Starts the real `server/main.ts` on a free port and waits for its "listening" line
 * (and for `readyWhen`, when given, to match the output). It does not build a stale
 * widget bundle (a build takes longer than a start may) unless `WIDGET_BUILD: 'auto'`
 * is passed, as the end-to-end tests do. `nodeFlags` go before `--import tsx` (such as
 * npm start's heap limit), `nodeArgs` after it, before the entry point (such as another `--import`).
 * `built` runs a built server's main.js (scripts/build-server.ts) with plain Node instead.
 */
export async function startServer(
  env: Record<string, string>,
  readyWhen?: RegExp,
  options: { nodeFlags?: string[]; nodeArgs?: string[]; built?: string } = {},
): Promise<RunningServer> {
  const entry = options.built ? [options.built] : ['--import', 'tsx', ...(options.nodeArgs ?? []), 'server/main.ts'];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WIDGET_BUILD: 'off', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match && (!readyWhen || readyWhen.test(output))) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      // Already gone (exited, or killed by a signal): its 'exit' event will not come again.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}
