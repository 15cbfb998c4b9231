/**
 * What the server and the preview's sandbox (preview-sandbox.ts, a worker thread) say
 * to each other. Every message to the sandbox carries the server's "now", so the
 * preview's clock is the server's (a test's fake clock too).
 */
export type ToSandbox =
  | { id: number; now: number; type: 'auth-url' }
  | {
      id: number;
      now: number;
      type: 'fetch';
      method: string;
      url: string;
      headers: [string, string][];
      body: ArrayBuffer | undefined;
      /** The browser's address as the server's socket saw it, for the preview's limits; none in-process. */
      remote: { address: string; port: number | undefined; family: string | undefined } | undefined;
    };

export type FromSandbox =
  | { id: number; type: 'auth-url'; url: string }
  | { id: number; type: 'response'; status: number; headers: [string, string][]; body: ArrayBuffer }
  | { id: number; type: 'failed'; message: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> | undefined };

/** What the sandbox is started with (`workerData`). */
export interface SandboxData {
  /** Where the server serves the preview: its links point there. */
  publicBaseUrl: string;
  /** The server's "now" (the demo's history is dated from it). */
  now: number;
}
