import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { contrastRatio } from '../../server/contract';
import { launchChromium } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'portal-theme-editor-'));
const shots = join(process.cwd(), 'test-results', 'e2e');
const auth = `Basic ${Buffer.from('demo:demo-password').toString('base64')}`;

let server: RunningServer;
let browser: Browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ DATABASE_PATH: join(dir, 'portal.db'), DEMO_PORT: '0', WIDGET_BUILD: 'auto' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Opens the editor the way a merchant does: the browser asks for the store's Server
 * API credentials (`httpCredentials` answers its prompt) and sends them on to the
 * page's own requests, the contrast checks and the save to /api.
 */
async function openEditor(
  options: { locale?: string; viewport?: { width: number; height: number }; bypassCSP?: boolean } = {},
) {
  const context = await browser.newContext({
    bypassCSP: options.bypassCSP ?? false,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'en-GB',
    colorScheme: 'light',
    httpCredentials: { username: 'demo', password: 'demo-password' },
  });
  const page = await context.newPage();
  const response = await page.goto(`${server.url}/theme-editor`);
  assert.equal(response?.status(), 200);
  await page.locator('account-portal [role="tab"]').first().waitFor({ timeout: 20_000 });
  await page.locator('account-portal table').first().waitFor({ timeout: 20_000 });
  return page;
}

/** A custom property of the widget as it computes it now. */
const token = (page: Page, name: string) =>
  page.locator('account-portal').evaluate((el, n) => getComputedStyle(el).getPropertyValue(n).trim(), name);

/** The page from its top, as a merchant first sees it. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

describe('the theme editor (/theme-editor)', () => {
  test('is behind the Server API credentials', async () => {
    const anonymous = await fetch(`${server.url}/theme-editor`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate')!, /^Basic realm=/);
    const page = await (await browser.newContext()).newPage();
    // Without credentials to give, a headless browser cannot answer the prompt.
    await assert.rejects(page.goto(`${server.url}/theme-editor`), /ERR_INVALID_AUTH_CREDENTIALS/);
    await page.context().close();
  });

  test('shows every change in the real widget at once, warns about contrast, and saves to the portal theme', async () => {
    const page = await openEditor();
    assert.equal(await token(page, '--ap-color-primary'), '#4f46e5');
    assert.equal(await page.locator('#warnings .ok').count(), 1, 'the built-in theme passes');

    await page.locator('#primaryColor').fill('#facc15');
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('account-portal')!).getPropertyValue('--ap-color-primary').trim() ===
        '#facc15',
    );
    const warning = page.locator('#warnings li[data-code="primary_adjusted"]');
    await warning.waitFor();
    const text = await warning.textContent();
    assert.match(
      text!,
      /^Primary #facc15 reaches 1\.\d+:1 against Background #ffffff; text needs 4\.5:1\. Links, the active tab, badges and focus rings use #[0-9a-f]{6} instead; buttons keep #facc15\.$/,
    );
    const replacement = /use (#[0-9a-f]{6}) instead/.exec(text!)![1];
    assert.equal(
      await token(page, '--ap-color-primary-text'),
      replacement,
      'the widget shows the shade the warning names',
    );
    assert.ok(contrastRatio(replacement, '#ffffff') >= 4.5);

    await page.locator('#textColor').fill('#9ca3af');
    await page.locator('#warnings li[data-code="text_contrast"]').first().waitFor();
    await page.locator('#textColor').fill('#1f2937');
    await page.waitForFunction(() => !document.querySelector('#warnings li[data-code="text_contrast"]'));

    await page.locator('#fontFamily').fill('Georgia, serif');
    await page.locator('#radius').fill('16');
    assert.equal(await page.locator('#radius-value').textContent(), '16 px');
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('account-portal')!).getPropertyValue('--ap-radius').trim() === '16px',
    );
    assert.equal(await token(page, '--ap-font-family'), 'Georgia, serif');
    await page.locator('#logoUrl').fill('http://shop.example/logo.svg');
    await page.locator('#logoUrl-error').waitFor();
    assert.equal(await page.locator('#logoUrl').getAttribute('aria-invalid'), 'true');
    await page.locator('#logoUrl').fill('');
    await page.locator('#logoUrl-error').waitFor({ state: 'hidden' });
    await shot(page, 'theme-editor-light');

    await page.locator('#dark-own').check();
    await page.locator('#dark-backgroundColor').fill('#1c1917');
    await page.locator('#preview-dark').check();
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('account-portal')!).getPropertyValue('--ap-color-background').trim() ===
        '#1c1917',
    );
    await shot(page, 'theme-editor-dark');

    await page.locator('#save').click();
    await page.locator('#status', { hasText: 'Saved.' }).waitFor();
    const stored = (await (
      await fetch(`${server.url}/api/checkouts/portal`, { headers: { authorization: auth } })
    ).json()) as {
      source: string;
      theme: { primaryColor: string; radius: number; fontFamily: string; dark: { backgroundColor: string } | null };
    };
    assert.equal(stored.source, 'stored');
    assert.equal(stored.theme.primaryColor, '#facc15');
    assert.equal(stored.theme.radius, 16);
    assert.equal(stored.theme.fontFamily, 'Georgia, serif');
    assert.equal(stored.theme.dark?.backgroundColor, '#1c1917');
    const config = (await (await fetch(`${server.url}/portal/demo/config`)).json()) as {
      theme: { primaryColor: string };
    };
    assert.equal(config.theme.primaryColor, '#facc15', 'customers get it at their next page load');

    await page.locator('#primaryColor').fill('#0f766e');
    await page.locator('#status', { hasText: 'Unsaved changes.' }).waitFor();
    await page.locator('#discard').click();
    assert.equal(await page.locator('#primaryColor').inputValue(), '#facc15', 'back to what was saved');
    await page.context().close();
  });

  test('passes axe, the page and the widget in it (light and dark preview)', async () => {
    const page = await openEditor({ bypassCSP: true });
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
    const audit = () =>
      page.evaluate(async () => {
        const axe = (
          window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
        ).axe;
        return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
    assert.deepEqual(await audit(), []);
    await page.locator('#preview-dark').check();
    await page.locator('#primaryColor').fill('#facc15');
    await page.locator('#warnings li').first().waitFor();
    assert.deepEqual(await audit(), []);
    await page.context().close();
  });

  test('is localised and usable on a narrow screen', async () => {
    const page = await openEditor({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    assert.equal(await page.locator('h1').textContent(), 'Theme-Editor');
    assert.equal(await page.locator('label[for="dark-own"]').textContent(), 'Eigene dunkle Farben verwenden');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await page.context().close();
  });
});
