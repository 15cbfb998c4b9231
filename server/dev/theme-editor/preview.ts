import { Hono } from 'hono';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEMO_STORE_ID } from '../../../demo/seed';
import { isPostgres } from '../../db/engine';
import type { Deps } from '../../deps';
import { errorBody } from '../../lib/errors';
import { limitBody } from '../../middleware/request-limits';
import type { FromSandbox, SandboxData, ToSandbox } from './preview-messages';
import { openSandbox, type Sandbox } from './preview-sandbox';
import { projectPath } from '../../lib/project-root';

/** Where the preview's Portal API is mounted: the widget in the editor takes it as its `api-base`. */
export const PREVIEW_PATH = '/theme-editor/preview';

/** The largest body the preview reads (a sign-in is a few hundred bytes). */
const BODY_LIMIT = 4 * 1024;

/** The store whose demo data the preview shows. */
export const PREVIEW_STORE = DEMO_STORE_ID;

/** The thread's heap: the demo data and the app use ~45 MB of it (the thread ~150 MB in all, with its own TypeScript loader). */
const SANDBOX_HEAP_MB = 96;

/**
 * What the widget in the preview may do: read, sign in with the editor's URL and sign
 * out. Anything else (cancelling, downloading, adding a card) would change the demo
 * data every editor shares, so it is refused with 403.
 */
function allowed(method: string, path: string): boolean {
  const portal = `/portal/${PREVIEW_STORE}`;
  if (!path.startsWith(`${portal}/`) && !path.startsWith('/widget/')) return false;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  return (
    (method === 'POST' && path === `${portal}/sessions`) ||
    (method === 'DELETE' && path === `${portal}/sessions/current`)
  );
}

type Ask = ToSandbox extends infer M ? (M extends ToSandbox ? Omit<M, 'id' | 'now'> : never) : never;

/**
 * The sandbox in the server's own thread: on SQLite, where the server's tables are
 * SQLite's too (~10 MB once seeded).
 */
function inProcess(deps: Deps): Sandbox {
  let opened: Promise<Sandbox> | undefined;
  const open = () =>
    (opened ??= openSandbox({
      publicBaseUrl: `${deps.config.publicBaseUrl}${PREVIEW_PATH}`,
      clock: deps.clock,
      logger: deps.logger,
    }).catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
  return {
    authUrl: async () => await (await open()).authUrl(),
    fetch: async (request, env) => await (await open()).fetch(request, env),
  };
}

/**
 * The sandbox in a worker thread of its own (preview-thread.ts): on PostgreSQL, where
 * this thread's modules use PostgreSQL's tables and cannot open SQLite. A thread costs
 * more (~150 MB with its own TypeScript loader), so only there. Requests and answers
 * travel as messages; a thread that dies is started again at the next request.
 */
function inThread(deps: Deps): Sandbox {
  let worker: Worker | undefined;
  let next = 0;
  const waiting = new Map<number, { resolve(message: FromSandbox): void; reject(error: Error): void }>();
  const start = () => {
    const data: SandboxData = {
      publicBaseUrl: `${deps.config.publicBaseUrl}${PREVIEW_PATH}`,
      now: deps.clock.now().getTime(),
    };
    // The thread runs its TypeScript through tsx, whose loader hooks are its own, whether the server runs from source or built.
    const entry = pathToFileURL(projectPath('server/dev/theme-editor/preview-thread.ts')).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const started = new Worker(
      `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
      { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: SANDBOX_HEAP_MB } },
    );
    started.on('message', (message: FromSandbox) => {
      if (message.type === 'log') {
        return deps.logger[message.level](`Theme editor preview: ${message.message}`, message.fields);
      }
      const asked = waiting.get(message.id);
      waiting.delete(message.id);
      if (waiting.size === 0) started.unref();
      asked?.resolve(message);
    });
    const gone = (error: Error) => {
      if (worker !== started) return;
      worker = undefined;
      deps.logger.error('Theme editor preview stopped', { error });
      for (const asked of waiting.values()) asked.reject(error);
      waiting.clear();
    };
    started.on('error', gone);
    started.on('exit', (code) => gone(new Error(`The preview's thread exited with code ${code}.`)));
    return started;
  };
  const ask = async (message: Ask, transfer: ArrayBuffer[] = []): Promise<FromSandbox> => {
    worker ??= start();
    // An idle thread never keeps the process from exiting; one with questions pending does.
    worker.ref();
    const id = next++;
    const answered = new Promise<FromSandbox>((resolve, reject) => waiting.set(id, { resolve, reject }));
    worker.postMessage({ ...message, id, now: deps.clock.now().getTime() }, transfer);
    const answer = await answered;
    if (answer.type === 'failed') throw new Error(`Theme editor preview: ${answer.message}`);
    return answer;
  };
  return {
    async authUrl() {
      const answer = await ask({ type: 'auth-url' });
      if (answer.type !== 'auth-url') throw new Error('Theme editor preview: no sign-in URL');
      return answer.url;
    },
    async fetch(request, env) {
      const body = request.body ? await request.arrayBuffer() : undefined;
      const answer = await ask(
        {
          type: 'fetch',
          method: request.method,
          url: request.url,
          headers: [...request.headers],
          body,
          remote: remoteOf(env),
        },
        body ? [body] : [],
      );
      if (answer.type !== 'response') throw new Error('Theme editor preview: no response');
      const empty = answer.status === 204 || answer.status === 304;
      return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
    },
  };
}

/** The browser's address as this server's socket saw it; none for a request made in-process (tests). */
function remoteOf(env: unknown) {
  const socket = (
    env as
      { incoming?: { socket?: { remoteAddress?: string; remotePort?: number; remoteFamily?: string } } } | undefined
  )?.incoming?.socket;
  return socket?.remoteAddress === undefined
    ? undefined
    : { address: socket.remoteAddress, port: socket.remotePort, family: socket.remoteFamily };
}

/** The preview, started on first use: in the server's thread on SQLite, in one of its own on PostgreSQL. */
export function createPreview(deps: Deps) {
  const preview = isPostgres(deps.db) ? inThread(deps) : inProcess(deps);
  return {
    /** A single-use URL that signs the preview's widget in as the demo customer. */
    authUrl: () => preview.authUrl(),
    /** The routes under {@link PREVIEW_PATH}: the preview's Portal API and widget locales, read-only. */
    routes(): Hono {
      const inner = (path: string) => path.slice(PREVIEW_PATH.length) || '/';
      return new Hono()
        .use('*', async (c, next) => {
          if (allowed(c.req.method, inner(c.req.path))) return next();
          return c.json(
            errorBody('forbidden', "The theme editor's preview shows demo data; nothing can be changed there."),
            403,
          );
        })
        .use('*', limitBody(BODY_LIMIT))
        .all('/*', async (c) => {
          const url = new URL(c.req.url);
          url.pathname = inner(c.req.path);
          const method = c.req.method;
          const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
          // The connection (c.env) goes along, so the preview's limits see the browser's address.
          const answer = await preview.fetch(new Request(url, { method, headers: c.req.raw.headers, body }), c.env);
          // The preview's device cookie would land on this server's own Portal API paths (/portal/demo).
          const headers = new Headers(answer.headers);
          headers.delete('set-cookie');
          return new Response(answer.body, { status: answer.status, headers });
        });
    },
  };
}

export type Preview = ReturnType<typeof createPreview>;
