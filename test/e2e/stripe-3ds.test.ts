import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { DAY, HOUR } from '../../server/lib/clock';
import { widgetBundlePath } from '../../server/routes/widget-assets';
import { runRenewals } from '../../server/services/billing/renewals/run';
import { ensureWidgetBundle } from '../../server/widget-build';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { launchChromium } from '../helpers/browser';
import { fakeStripeEnv, startFakeStripe, subscribeWithStripeCard, type FakeStripe } from '../helpers/fake-stripe';
import { createCatalog } from '../helpers/fixtures';
import { emailsOf, subscriptionRow } from '../helpers/renewals';

/** Stripe's test card that asks for 3-D Secure on every payment, off-session ones included. */
const THREE_DS = '4000002760003184';
/** Screenshots of the bank's challenge and the confirm notice, for a look (never in the repository). */
const SHOTS = process.env.E2E_SHOTS ?? '/tmp';

let fake: FakeStripe;
let t: TestContext;
let server: ServerType;
let browser: Browser;

before(async () => {
  await ensureWidgetBundle({ logger: { info() {}, warn: console.warn, error: console.error } });
  assert.ok(existsSync(widgetBundlePath), 'the widget bundle could not be built');
  fake = await startFakeStripe();
  t = await createTestContext({ now: new Date().toISOString(), stripe: fakeStripeEnv(fake) });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  t.deps.config.publicBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createCatalog(t);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await fake?.close();
});

/** Page errors, console errors and Content Security Policy violations on the hosted page. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** The customer's hosted portal page on the subscription, signed in with a pre-authenticated URL. */
async function openSubscription(
  accountId: string,
  subscriptionId: string,
): Promise<{ page: Page; problems: string[] }> {
  const response = await t.api('GET', `/api/accounts/${accountId}/authenticate`);
  assert.equal(response.status, 200);
  const { url } = await json(response);
  const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
  const problems = watchProblems(page);
  await page.goto(`${url}#/subscriptions/${subscriptionId}`);
  return { page, problems };
}

describe('3-D Secure in the widget on the hosted page, against the fake Stripe', () => {
  test("a customer upgrades with a card that asks for 3-D Secure: the bank's challenge, then the new plan", async () => {
    const s = await subscribeWithStripeCard(t, fake, { number: THREE_DS, email: 'grace@example.com' });
    const { page, problems } = await openSubscription(s.accountId, s.subscriptionId);
    await page.getByRole('button', { name: 'Change plan or quantity' }).click();
    await page.getByRole('radio', { name: /Pro \(yearly\)/ }).check();
    await page.getByRole('button', { name: 'Review change' }).click();
    const pay = page.getByRole('button', { name: /Confirm and pay/ });
    await pay.waitFor();
    const amount = (await pay.textContent())!.replace('Confirm and pay', '').trim();
    assert.equal(await page.locator('script[src$="/v3/"]').count(), 0, 'no Stripe.js until a payment needs it');
    await pay.click();

    const challenge = page.getByRole('dialog', { name: 'Confirm your payment' });
    await challenge.waitFor();
    assert.match((await challenge.textContent())!, new RegExp(`confirm a payment of ${amount.replace('$', '\\$')}`));
    assert.equal(await page.locator('script[src$="/v3/"]').count(), 1);
    await page.screenshot({ path: `${SHOTS}/3ds-upgrade-challenge.png` });
    await challenge.getByRole('button', { name: 'Complete' }).click();

    await page.getByText(`Your plan is now Pro (yearly). We charged ${amount}.`).waitFor();
    await page.screenshot({ path: `${SHOTS}/3ds-upgrade-done.png` });
    const merchant = await json(await t.api('GET', `/api/subscriptions/${s.subscriptionId}`));
    assert.equal(merchant.product.key, 'pro-yearly');
    assert.deepEqual(problems, [], 'no errors and no CSP violations on the hosted page');
    await page.close();
  });

  test('a renewal that waits for the customer: the email links to it, and "Confirm your payment" renews it', async () => {
    const s = await subscribeWithStripeCard(t, fake, { number: THREE_DS, email: 'ada@example.com' });
    t.clock.set(new Date((await subscriptionRow(t, s.subscriptionId)).currentPeriodEnd.getTime() + HOUR));
    assert.equal((await runRenewals(t.deps)).declined, 1);
    const [email] = await emailsOf(t, 'renewal_action_required');
    assert.ok(email.textBody!.includes(`/account/shop#/subscriptions/${s.subscriptionId}`));

    const { page, problems } = await openSubscription(s.accountId, s.subscriptionId);
    const confirm = page.getByRole('button', { name: 'Confirm your payment' });
    await confirm.waitFor();
    await page.screenshot({ path: `${SHOTS}/3ds-renewal-notice.png` });
    await confirm.click();
    const challenge = page.getByRole('dialog', { name: 'Confirm your payment' });
    await challenge.waitFor();
    await challenge.getByRole('button', { name: 'Complete' }).click();
    await page.getByText(/Your payment of .* is confirmed/).waitFor();
    await page.screenshot({ path: `${SHOTS}/3ds-renewal-done.png` });
    const row = await subscriptionRow(t, s.subscriptionId);
    assert.deepEqual([row.status, row.confirmationChargeId], ['active', null]);
    assert.equal(row.currentPeriodEnd.getTime() > t.clock.now().getTime() + 20 * DAY, true);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
