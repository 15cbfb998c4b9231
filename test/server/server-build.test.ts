import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../../scripts/build-server';
import { projectPath } from '../../server/lib/project-root';
import { npmStartNodeFlags, startServer, type RunningServer } from '../helpers/server-process';

// Inside the project, as dist/server is: the built server finds the project's files from where it lies.
// (A fresh clone has no dist/ until something is built.)
mkdirSync(projectPath('dist'), { recursive: true });
const out = mkdtempSync(projectPath('dist', 'server-test-'));
const data = mkdtempSync(join(tmpdir(), 'portal-built-'));
const auth = { authorization: `Basic ${Buffer.from('demo-user:demo-secret-123').toString('base64')}` };
let server: RunningServer;

before(async () => {
  await buildServer(out);
  server = await startServer(
    {
      DATABASE_PATH: join(data, 'portal.db'),
      DEMO_API_USER: 'demo-user',
      DEMO_API_PASSWORD: 'demo-secret-123',
      DEMO_PORT: '0',
      // A fresh clone has no widget bundle yet: the built server builds it, as npm start does.
      WIDGET_BUILD: 'auto',
    },
    undefined,
    { built: join(out, 'main.js'), nodeFlags: npmStartNodeFlags('start:built') },
  );
});
after(async () => {
  await server?.stop();
  rmSync(out, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

describe('the built server (npm run build: dist/server/main.js)', () => {
  test('npm run start:built runs it with the Node flags npm start runs the source with', () => {
    assert.deepEqual(npmStartNodeFlags('start:built'), npmStartNodeFlags());
  });

  test('runs without tsx: migrations, the demo store, the widget and the hosted page in a language of its locale files', async () => {
    assert.deepEqual(await (await get('/health')).json(), { ok: true, database: 'ok' });
    assert.doesNotMatch(server.output(), /tsx/);
    const widget = await get('/widget/account-portal.js');
    assert.equal(widget.status, 200);
    assert.match(widget.headers.get('content-type') ?? '', /javascript/);
    const page = await get('/account/demo', { 'accept-language': 'de' });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="de"/);
  });

  test("reads the files beside its sources: the test gateway's script, the theme editor's, the demo's downloads", async () => {
    for (const [path, headers] of [
      ['/gateway/test/setup.js', {}],
      ['/theme-editor/editor.js', auth],
    ] as const) {
      const script = await get(path, headers);
      assert.equal(script.status, 200, path);
      assert.ok((await script.text()).length > 1000, path);
    }
    const { data } = (await (await get('/api/orders?limit=100', auth)).json()) as {
      data: { fulfilments: { type: string; downloadUrl: string | null; fileSize: number | null }[] }[];
    };
    const download = data.flatMap((order) => order.fulfilments).find((f) => f.type === 'download');
    assert.ok(download?.downloadUrl, 'the demo has a download');
    assert.ok((download.fileSize ?? 0) > 0, 'its size was read from demo/files when the demo was seeded');
    const file = await fetch(download.downloadUrl);
    assert.equal(file.status, 200);
    assert.equal((await file.arrayBuffer()).byteLength, download.fileSize);
  });

  test('loads the PDF renderer, its fonts and a translated invoice on first use', async () => {
    const { data: orders } = (await (await get('/api/orders?limit=100', auth)).json()) as {
      data: { id: string; invoiceNumber: string | null }[];
    };
    const invoiced = orders.find((order) => order.invoiceNumber);
    assert.ok(invoiced, 'the demo has an invoiced order');
    const pdf = await get(`/api/orders/${invoiced.id}/invoice.pdf?lang=de`, auth);
    assert.equal(pdf.status, 200);
    assert.match(pdf.headers.get('content-disposition') ?? '', /Rechnung-/);
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
  });
});
