import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createServer } from 'node:net';
import { tsImport } from 'tsx/esm/api';

/** A free port, so several test runs (and the demo) can run side by side. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => resolve(port));
      });
  });

// The real Hono app runs inside the test runner's own server, so the widget under
// test talks to the real Portal API over the same origin.
const { createWidgetTestServer } = await tsImport('./test/widget/support/server.ts', import.meta.url);
const port = Number(process.env.WTR_PORT) || (await freePort());
const server = await createWidgetTestServer(port);

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: true,
  port,
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  plugins: [esbuildPlugin({ ts: true, json: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
  middleware: [server.middleware],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
