import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { demoAuth, shots, useDemo } from '../helpers/demo-run';

const demo = useDemo('retention');

interface Sub {
  id: string;
  status: string;
  cancelAtPeriodEnd: boolean;
  pause: { startsAt: string; resumesAt: string } | null;
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${demo.server.url}/api${path}`, { headers: { authorization: demoAuth } });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json() as Promise<T>;
}

/** The SaaS user's (Liam's) active subscription, as the merchant sees it. */
async function liamsSubscription(): Promise<Sub> {
  const {
    data: [liam],
  } = await api<{ data: { id: string }[] }>('/accounts?customUserId=nw-user-1042');
  const { data } = await api<{ data: Sub[] }>(`/subscriptions?accountId=${liam.id}`);
  const active = data.find((s) => s.status === 'active');
  assert.ok(active, 'the demo gives Liam an active subscription');
  return active;
}

describe('a SaaS app keeps a customer with a retention offer', () => {
  test('cancel → the app offers a pause (taken: the widget refreshes); cancel again → declined: the widget cancels', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const shot = (name: string) => page.screenshot({ path: join(shots, `retention-${name}.png`), fullPage: true });
    const sub = await liamsSubscription();

    await page.goto(`${demo.url}/app`);
    await page.getByRole('link', { name: /NW-/ }).first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Subscription', exact: true }).click();
    await page.getByRole('link', { name: 'Studio Pro' }).first().click();
    await page.getByRole('button', { name: 'Cancel subscription' }).waitFor();

    // The app's offer shows first; the widget's own dialog stays closed.
    const offer = page.getByRole('dialog', { name: 'Before you go: pause instead?' });
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await offer.waitFor();
    assert.equal(await page.locator('ap-dialog[open]').count(), 0, 'the widget opened nothing');
    await shot('1-offer');

    await offer.getByRole('button', { name: 'Pause for one period' }).click();
    await offer.waitFor({ state: 'hidden' });
    await page.getByText(/^Pauses on .+\. Billing starts again on .+\.$/).waitFor();
    const paused = await api<Sub>(`/subscriptions/${sub.id}`);
    assert.ok(paused.pause, 'the subscription pauses');
    assert.equal(paused.cancelAtPeriodEnd, false);
    await shot('2-paused-instead');

    // Asked again, the customer declines: the widget carries on with the cancellation.
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await offer.getByRole('button', { name: 'No thanks, cancel' }).click();
    const dialog = page
      .locator('ap-dialog[open]')
      .filter({ has: page.getByRole('heading', { name: 'Cancel subscription' }) });
    await dialog.getByRole('radio', { name: "I don't use it enough" }).check();
    await shot('3-widget-cancel-dialog');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
    await page
      .getByText(/Your subscription is canceled\. It ends on/)
      .first()
      .waitFor();
    assert.equal((await api<Sub>(`/subscriptions/${sub.id}`)).cancelAtPeriodEnd, true);
    await shot('4-canceled');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
