import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running throwaway cluster. */
export interface Postgres {
  /** `postgres://portal@127.0.0.1:<port>/postgres`: the superuser `portal`, trusted on loopback, no password. */
  url: string;
  port: number;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The directory of the newest installed PostgreSQL's programs (Debian's `postgresql`
 * package puts them in /usr/lib/postgresql/<major>/bin), or `PG_BINDIR`.
 */
export function postgresBinDir(): string {
  const given = process.env.PG_BINDIR;
  if (given) {
    if (!existsSync(join(given, 'initdb'))) throw new Error(`PG_BINDIR=${given} has no initdb.`);
    return given;
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((major) => existsSync(join(root, major, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(
      "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb. Install Debian's package " +
        '(`apt-get install postgresql`; .ci/run does it) or set PG_BINDIR to the directory of initdb and pg_ctl.',
    );
  }
  return join(root, majors[0], 'bin');
}

/**
 * The user to run the server as. initdb and postgres refuse to run as root, so as
 * root they run as the `postgres` system user (the Debian package makes it), or
 * `nobody`; otherwise as ourselves.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(':');
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('Running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as.');
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program as `user`, rejecting with its output when it fails. */
function run(
  program: string,
  args: string[],
  options: { cwd: string; user?: { uid: number; gid: number } },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      ...options.user,
      env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${program} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** Clusters not yet stopped, stopped when the process exits, so that a failed test run leaves no server behind. */
const running = new Set<() => void>();
process.once('exit', () => {
  for (const stop of running) stop();
});

/**
 * Starts a throwaway PostgreSQL cluster: `initdb` into a fresh temporary directory and
 * `pg_ctl start` on a free loopback port, its socket in that directory too (no system
 * service, nothing outside the directory), with durability off for speed (fsync,
 * synchronous commit and full-page writes; the cluster is thrown away). `stop()` stops
 * it and removes the directory. When the start fails, the error carries the server's log.
 */
export async function startPostgres(options: { maxConnections?: number } = {}): Promise<Postgres> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'portal-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const readLog = () => (existsSync(log) ? readFileSync(log, 'utf8') : '(no log)');
  const pgCtl = join(bin, 'pg_ctl');
  let started = false;
  const stopNow = () => {
    if (started) {
      try {
        execFileSync(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w'], { ...user, cwd: dir, stdio: 'ignore' });
      } catch {
        // Already stopped.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'portal', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      { cwd: dir, user },
    );
    let port = 0;
    // Another process may take the free port before the server binds it: try another.
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const settings = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-k '${dir}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        `-c max_connections=${options.maxConnections ?? 100}`,
      ].join(' ');
      try {
        await run(pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', settings], { cwd: dir, user });
        started = true;
      } catch (error) {
        if (attempt >= 3 || !/could not bind|already in use/i.test(readLog())) throw error;
      }
    }
    const url = `postgres://portal@127.0.0.1:${port}/postgres`;
    running.add(stopNow);
    return {
      url,
      port,
      async stop() {
        if (!running.delete(stopNow)) return;
        await run(pgCtl, ['stop', '-D', data, '-m', 'fast', '-w'], { cwd: dir, user }).catch(() => undefined);
        started = false;
        stopNow();
      },
    };
  } catch (error) {
    const message = `Could not start a throwaway PostgreSQL (${bin}): ${(error as Error).message}\nServer log:\n${readLog()}`;
    stopNow();
    throw new Error(message);
  }
}
