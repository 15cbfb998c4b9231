import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

export interface RunningServer {
  url: string;
  process: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the real `server/main.ts` on a free port and waits for its "listening" line
 * (and for `readyWhen`, when given, to match the output). It does not build a stale
 * widget bundle (a build takes longer than a start may) unless `WIDGET_BUILD: 'auto'`
 * is passed, as the end-to-end tests do. `nodeArgs` go before the entry point
 * (after `--import tsx`), such as another `--import`.
 */
export async function startServer(
  env: Record<string, string>, readyWhen?: RegExp, options: { nodeArgs?: string[] } = {},
): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WIDGET_BUILD: 'off', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
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
