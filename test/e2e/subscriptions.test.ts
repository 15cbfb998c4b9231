import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'portal-e2e-subs-'));
const shots = join(process.cwd(), 'test-results', 'e2e');
const auth = `Basic ${Buffer.from('demo:demo-password').toString('base64')}`;

let server: RunningServer;
let browser: Browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(
    { DATABASE_PATH: join(dir, 'portal.db'), DEMO_PORT: '0', WIDGET_BUILD: 'auto' },
    /merchant site on/,
  );
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string): Promise<T> {
  const response = await fetch(`${server.url}/api${path}`, { method, headers: { authorization: auth } });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.json() as Promise<T>;
}

interface Sub {
  id: string;
  status: string;
  autoRenew: boolean;
  cancelAtPeriodEnd: boolean;
  product: { key: string };
  scheduledChange: unknown;
}

/** Ada's auto-renewing Studio Pro monthly subscription, and a signed-in page on it. */
async function openAdasSubscription(page: Page): Promise<Sub> {
  const {
    data: [ada],
  } = await api<{ data: { id: string }[] }>('GET', '/accounts?email=ada@example.com');
  const { data } = await api<{ data: Sub[] }>('GET', `/subscriptions?accountId=${ada.id}`);
  const sub = data.find((s) => s.autoRenew && s.product.key === 'studio-pro-monthly' && s.status === 'active');
  assert.ok(sub, 'the demo gives Ada an active Studio Pro monthly subscription');
  const { url } = await api<{ url: string }>('GET', `/accounts/${ada.id}/authenticate`);
  await page.goto(`${url}#/subscriptions/${sub.id}`);
  await page.getByRole('button', { name: 'Change plan or quantity' }).waitFor();
  return sub;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe('a customer manages a subscription in the portal', () => {
  test('upgrade (charged now), downgrade (scheduled) and undo, cancel and resume', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const sub = await openAdasSubscription(page);
    await shot(page, 's1-subscription');
    // The dialog's content is slotted into <ap-dialog>: look inside the open one.
    const dialog = (name: string) =>
      page.locator('ap-dialog[open]').filter({ has: page.getByRole('heading', { name }) });

    // Upgrade to Business: the quote shows the prorated charge; confirming pays it.
    await page.getByRole('button', { name: 'Change plan or quantity' }).click();
    await dialog('Change plan or quantity')
      .getByRole('radio', { name: /Business \(monthly\)/ })
      .check();
    await dialog('Change plan or quantity').getByRole('button', { name: 'Review change' }).click();
    await dialog('Change plan or quantity')
      .getByText(/You pay now:/)
      .waitFor();
    await shot(page, 's2-upgrade-quote');
    await dialog('Change plan or quantity')
      .getByRole('button', { name: /Confirm and pay/ })
      .click();
    await page
      .getByText(/Your plan is now Studio Business/)
      .first()
      .waitFor();
    let current = await api<Sub>('GET', `/subscriptions/${sub.id}`);
    assert.equal(current.product.key, 'studio-business-monthly');
    const orders = await api<{ data: { kind: string; invoiceNumber: string | null }[] }>(
      'GET',
      `/orders?accountId=${(await api<{ accountId: string }>('GET', `/subscriptions/${sub.id}`)).accountId}`,
    );
    assert.ok(
      orders.data.some((o) => o.kind === 'plan_change' && o.invoiceNumber !== null),
      'the upgrade created an order with an invoice number',
    );

    // Downgrade to Basic: nothing charged, scheduled for the period's end; then withdrawn.
    await page.getByRole('button', { name: 'Change plan or quantity' }).click();
    await dialog('Change plan or quantity')
      .getByRole('radio', { name: /Basic \(monthly\)/ })
      .check();
    await dialog('Change plan or quantity').getByRole('button', { name: 'Review change' }).click();
    await dialog('Change plan or quantity').getByText('No charge now.').waitFor();
    await dialog('Change plan or quantity').getByRole('button', { name: 'Confirm change' }).click();
    await page
      .getByText(/is scheduled for/)
      .first()
      .waitFor();
    current = await api<Sub>('GET', `/subscriptions/${sub.id}`);
    assert.ok(current.scheduledChange, 'the downgrade is scheduled');
    await shot(page, 's3-downgrade-scheduled');
    await page.getByRole('button', { name: 'Keep current plan' }).click();
    await page
      .getByText(/The scheduled change was withdrawn/)
      .first()
      .waitFor();
    assert.equal((await api<Sub>('GET', `/subscriptions/${sub.id}`)).scheduledChange, null);

    // Cancel with a reason, at the period's end; then resume.
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await dialog('Cancel subscription').getByRole('radio', { name: "I don't use it enough" }).check();
    await dialog('Cancel subscription')
      .getByLabel(/Anything else/)
      .fill('Taking a break this summer.');
    await dialog('Cancel subscription').getByRole('button', { name: 'Continue' }).click();
    await shot(page, 's4-cancel-confirm');
    await dialog('Cancel subscription').getByRole('button', { name: 'Cancel subscription' }).click();
    await page
      .getByText(/Your subscription ends on/)
      .first()
      .waitFor();
    current = await api<Sub>('GET', `/subscriptions/${sub.id}`);
    assert.equal(current.cancelAtPeriodEnd, true);
    await shot(page, 's5-pending-cancellation');
    await page.getByRole('button', { name: 'Resume subscription' }).click();
    await page
      .getByText(/subscription continues/)
      .first()
      .waitFor();
    assert.equal((await api<Sub>('GET', `/subscriptions/${sub.id}`)).cancelAtPeriodEnd, false);
    await shot(page, 's6-resumed');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
