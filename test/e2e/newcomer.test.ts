import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { demoAuth, shots, useDemo } from '../helpers/demo-run';
import type { Page } from 'playwright-core';
import { openOutboxWithSignInLink } from '../helpers/browser';

const demo = useDemo('newcomer');

/** The reference of one of ada@example.com's own orders whose fulfilments include all of `types`. */
async function referenceWith(types: string[]): Promise<string> {
  const get = async <T>(path: string) =>
    (await fetch(`${demo.server.url}/api${path}`, { headers: { authorization: demoAuth } })).json() as Promise<T>;
  const {
    data: [ada],
  } = await get<{ data: { id: string }[] }>('/accounts?email=ada@example.com');
  const { data } = await get<{ data: { reference: string; gift: unknown; fulfilments: { type: string }[] }[] }>(
    `/orders?accountId=${ada.id}&limit=100`,
  );
  const order = data.find((o) => !o.gift && types.every((type) => o.fulfilments.some((f) => f.type === type)));
  assert.ok(order, `the demo has an order with ${types.join(' and ')}`);
  return order.reference;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe('a newcomer walks through the demo', () => {
  test('shop page → login link → outbox → orders, licence key, download, billing details, sign out', async () => {
    const context = await demo.browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.server.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // The merchant's shop, on another origin, embeds the widget with a script tag.
    await page.goto(demo.url);
    assert.notEqual(new URL(page.url()).origin, new URL(demo.server.url).origin);
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await shot(page, '1-shop-link-sent');

    // The local outbox has the email; its link signs in on the hosted page.
    await openOutboxWithSignInLink(page, demo.server.url);
    await shot(page, '2-outbox');
    await page.locator('a[href*="portal_token="]').first().click();
    await page.getByRole('tab', { name: 'Orders' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('portal_token'), null, 'the token left the address bar');
    assert.equal(new URL(page.url()).pathname, '/account/demo');
    await page.getByRole('link', { name: /NW-/ }).first().waitFor();
    await shot(page, '3-orders');

    // An order with a licence key and a download (the merchant's API says which one it is).
    await page.getByRole('link', { name: await referenceWith(['license_key', 'download']) }).click();
    const key = page.locator('[part~="key"]').first();
    await key.waitFor();
    const keyText = (await key.textContent())!.trim();
    await page.getByRole('button', { name: /^Copy/ }).first().click();
    await page.getByText('Copied').first().waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), keyText);

    const downloadButton = page.getByRole('button', { name: /Download/ }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    const saved = join(demo.dir, download.suggestedFilename());
    await download.saveAs(saved);
    const original = join(process.cwd(), 'demo', 'files', download.suggestedFilename());
    assert.equal(statSync(saved).size, statSync(original).size);
    assert.deepEqual(readFileSync(saved), readFileSync(original));
    await shot(page, '4-order-detail');

    // Billing details.
    await page.getByRole('tab', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Billing details' }).waitFor();
    const billing = page
      .locator('[part~="card"]')
      .filter({ has: page.getByRole('heading', { name: 'Billing details' }) });
    await billing.getByLabel('Postal code').fill('EC1A 1BB');
    await billing.getByRole('button', { name: 'Save' }).click();
    await billing.getByRole('status').filter({ hasText: /saved/i }).waitFor();
    await shot(page, '5-account');
    const found = (await (
      await fetch(`${demo.server.url}/api/accounts?email=ada@example.com`, { headers: { authorization: demoAuth } })
    ).json()) as {
      data: { billingDetails: { postalCode: string } }[];
    };
    assert.equal(found.data[0].billingDetails.postalCode, 'EC1A 1BB');

    // Sign out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    await shot(page, '6-signed-out');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the SaaS panel opens the portal with a server-generated authenticate URL', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${demo.url}/app`);
    await page.getByRole('link', { name: /NW-/ }).first().waitFor({ timeout: 15_000 });
    await shot(page, '7-saas-panel');
    assert.equal(new URL(page.url()).pathname, '/app', 'the app keeps its own URL');
    await page.close();
  });
});
