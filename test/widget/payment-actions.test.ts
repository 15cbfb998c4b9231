import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApDialog } from '../../widget/components/dialog/dialog';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { ApSubscriptionDetail } from '../../widget/components/subscription-detail/subscription-detail';
import { ApSubscriptions } from '../../widget/components/subscriptions/subscriptions';
import { completePaymentAction } from '../../widget/components/subscription-detail/payment-action';
import type { PlanChangeQuote } from '../../widget/components/subscriptions/subscription-format';
import { ApiError, PortalApiClient } from '../../widget/internal/api-client';
import {
  authUrlFor,
  newStripeStore,
  nextEvent,
  planFamily,
  runStripeRenewals,
  serverApi,
  subscribeWithStripe,
  until,
  type TestStore,
} from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApDialog.define('ap-dialog');
ApSubscriptions.define('ap-subscriptions');
ApSubscriptionDetail.define('ap-subscription-detail');

/** Stripe's test card that asks for 3-D Secure on every payment, off-session ones included. */
const THREE_DS = '4000002760003184';
const DAY = 86_400_000;
const originalUrl = location.href;

afterEach(() => {
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
  document.getElementById('stand-in-3ds')?.remove();
});

const money = (minor: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' }).format(minor / 100);

async function mount(store: TestStore, accountId: string, hash: string): Promise<AccountPortal> {
  location.hash = hash;
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(
    html`<account-portal store=${store.id} api-base=${store.base!} auth-url=${url}></account-portal>`,
  );
}

const merchantView = (store: TestStore, id: string) =>
  serverApi<{ product: { key: string }; status: string; paymentConfirmation: unknown }>(
    store,
    'GET',
    `/subscriptions/${id}`,
  );

const detail = (el: AccountPortal) => el.shadowRoot!.querySelector<ApSubscriptionDetail>('ap-subscription-detail');
const root = (el: AccountPortal) => detail(el)!.shadowRoot!;
const loaded = (el: AccountPortal) =>
  until(() => detail(el)?.shadowRoot?.querySelector('#title'), 6000, 'the subscription');
const opens = (el: AccountPortal, kind: string) => root(el).querySelector<HTMLButtonElement>(`[data-opens="${kind}"]`)!;
const quick = (el: AccountPortal, action: string) =>
  root(el).querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
const dialog = (el: AccountPortal, kind: string) => root(el).querySelector<ApDialog>(`#dialog-${kind}`)!;
const isOpen = (el: AccountPortal, kind: string) =>
  Boolean(dialog(el, kind)?.shadowRoot?.querySelector('dialog')?.open);
const footerButton = (el: AccountPortal, kind: string, text: string) =>
  [...dialog(el, kind).querySelectorAll<HTMLButtonElement>('[slot="footer"] button')].find((b) =>
    b.textContent!.includes(text),
  )!;
const feedback = (el: AccountPortal) => root(el).querySelector('.feedback')!.textContent!.trim();
const problem = (el: AccountPortal, kind: string) =>
  dialog(el, kind).querySelector('[role="alert"]')!.textContent!.replace(/\s+/g, ' ').trim();

/** The Stripe.js scripts in the page (the fake's stand-in, served at `/v3/`). */
const stripeScripts = () => [...document.querySelectorAll<HTMLScriptElement>('script[src$="/v3/"]')];
/** The bank's challenge, as the Stripe.js stand-in shows it above the page. */
const challenge = () => document.getElementById('stand-in-3ds');

/**
 * Clicks a button of the bank's challenge with the real mouse, as a customer would:
 * a modal dialog of the widget left open would make it inert, and this click would miss.
 */
async function press(which: 'complete' | 'fail'): Promise<void> {
  await until(challenge, 6000, "the bank's challenge");
  const box = document.getElementById(`stand-in-3ds-${which}`)!.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/** Opens the change dialog, picks `plan` and asks for the quote; resolves with what the server quoted. */
async function previewChange(el: AccountPortal, plan: string): Promise<PlanChangeQuote> {
  const quotes: PlanChangeQuote[] = [];
  const real = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await real(input, init);
    if (String(input).endsWith('/change-preview') && response.ok) quotes.push(await response.clone().json());
    return response;
  };
  try {
    opens(el, 'change').click();
    await until(() => isOpen(el, 'change'), 4000, 'the change dialog');
    await until(() => dialog(el, 'change').querySelector('input[name="change-plan"]'), 4000, 'the plans');
    [...dialog(el, 'change').querySelectorAll<HTMLInputElement>('input[name="change-plan"]')]
      .find((input) => input.closest('label')!.textContent!.includes(plan))!
      .click();
    footerButton(el, 'change', 'Review change').click();
    await until(() => quotes.length > 0 && root(el).querySelector('#change-quote'), 4000, 'the quote');
    return quotes[0];
  } finally {
    window.fetch = real;
  }
}

describe('<ap-subscription-detail> with payments the bank holds for 3-D Secure', () => {
  let store: TestStore;

  before(async () => {
    store = await newStripeStore();
    await planFamily(store, [
      ['basic-monthly', 'Basic', 900],
      ['pro-monthly', 'Pro', 1900],
      ['business-monthly', 'Business', 4900],
    ]);
  });

  it("an upgrade: Stripe.js loads only now, the dialog steps aside for the bank's challenge, then the change applies", async () => {
    const { accountId, subscriptionId } = await subscribeWithStripe(store, THREE_DS);
    const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
    await loaded(el);
    const quote = await previewChange(el, 'Business');
    expect(stripeScripts(), 'no Stripe.js before a payment needs it').to.have.length(0);
    expect(window.Stripe).to.equal(undefined);

    const changed = nextEvent(el, 'ap-subscription-changed');
    footerButton(el, 'change', 'Confirm').click();
    await until(challenge, 6000, "the bank's challenge");
    expect(stripeScripts().map((script) => script.src)).to.deep.equal([`${store.stripeUrl}/v3/`]);
    expect(isOpen(el, 'change'), 'the modal dialog is out of the way').to.equal(false);
    expect(feedback(el)).to.equal("Confirm the payment in your bank's window…");
    expect(challenge()!.textContent).to.include(`confirm a payment of ${money(quote.charge.total)}`);
    expect((await merchantView(store, subscriptionId)).product.key, 'nothing changed yet').to.equal('pro-monthly');

    await press('complete');
    expect((await changed).subscription.product.key).to.equal('business-monthly');
    expect(feedback(el)).to.equal(`Your plan is now Business. We charged ${money(quote.charge.total)}.`);
    expect(isOpen(el, 'change')).to.equal(false);
    expect(root(el).querySelector('#title')!.textContent).to.equal('Business');
    expect((await merchantView(store, subscriptionId)).product.key).to.equal('business-monthly');
  });

  it('a failed challenge brings the dialog back, saying the bank did not confirm; nothing changed', async () => {
    const { accountId, subscriptionId } = await subscribeWithStripe(store, THREE_DS);
    const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
    await loaded(el);
    await previewChange(el, 'Business');
    let changed = false;
    el.addEventListener('ap-subscription-changed', () => {
      changed = true;
    });
    footerButton(el, 'change', 'Confirm').click();
    await press('fail');
    await until(() => isOpen(el, 'change') && problem(el, 'change') !== '', 6000, 'the dialog with the problem');
    expect(problem(el, 'change')).to.include("Your bank didn't confirm the payment. Nothing was changed.");
    expect(feedback(el)).to.equal('');
    expect(changed).to.equal(false);
    expect(stripeScripts(), 'Stripe.js is loaded once').to.have.length(1);
    expect((await merchantView(store, subscriptionId)).product.key).to.equal('pro-monthly');
    await expect(el).to.be.accessible();
  });

  it('a renewal waiting for confirmation: the notice, "Confirm your payment", the challenge, and it renews', async () => {
    const completedAt = new Date(Date.now() - 32 * DAY).toISOString();
    const { accountId, subscriptionId } = await subscribeWithStripe(store, THREE_DS, { completedAt });
    await runStripeRenewals();
    expect((await merchantView(store, subscriptionId)).paymentConfirmation).to.not.equal(null);
    const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
    await loaded(el);
    expect(root(el).querySelector('[part="status"]')!.textContent).to.equal('Confirm payment');
    const notice = root(el).querySelector('.notice.problem')!;
    expect(notice.textContent).to.include(`Your bank asks you to confirm the renewal payment of ${money(2261)}.`);
    expect(root(el).textContent).to.include(`${money(2261)}, waiting for your confirmation`);
    const button = quick(el, 'confirm')!;
    expect(button.textContent!.trim()).to.equal('Confirm your payment');
    await expect(el).to.be.accessible();

    const changed = nextEvent(el, 'ap-subscription-changed');
    button.click();
    await press('complete');
    const event = await changed;
    expect(event.subscription.state).to.equal('active');
    expect(feedback(el)).to.match(new RegExp(`^Thank you\\. Your payment of \\${money(2261)} is confirmed\\.`));
    await until(() => !quick(el, 'confirm'), 2000, 'the confirm button to go');
    expect(root(el).querySelector('[part="status"]')!.textContent).to.equal('Active');
    const merchant = await merchantView(store, subscriptionId);
    expect([merchant.status, merchant.paymentConfirmation]).to.deep.equal(['active', null]);
  });

  it('a failed challenge of a waiting renewal says so and keeps it waiting', async () => {
    const completedAt = new Date(Date.now() - 32 * DAY).toISOString();
    const { accountId, subscriptionId } = await subscribeWithStripe(store, THREE_DS, { completedAt });
    await runStripeRenewals();
    const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
    await loaded(el);
    quick(el, 'confirm')!.click();
    await press('fail');
    await until(() => root(el).querySelector('.problem-line p'), 6000, 'the problem');
    expect(root(el).querySelector('.problem-line')!.textContent).to.include(
      "Your bank didn't confirm the payment. Nothing was changed.",
    );
    await until(() => quick(el, 'confirm'), 4000, 'the confirm button');
    expect((await merchantView(store, subscriptionId)).status).to.equal('overdue');
  });

  it('says so when Stripe.js cannot be loaded, and neither hides anything nor asks the portal to confirm', async () => {
    const api = new PortalApiClient('/stripe-portal', store.id);
    const sent: string[] = [];
    api.send = async (method: string, path: string) => {
      sent.push(`${method} ${path}`);
      throw new Error('not expected');
    };
    let hidden = false;
    const action = {
      chargeId: 'chg_x',
      kind: 'plan_change' as const,
      amount: 100,
      tax: 19,
      total: 119,
      currency: 'USD',
      gateway: 'stripe',
      scriptUrl: `${location.origin}/no-stripe-here/v3/`,
      publishableKey: 'pk_test_fake',
      clientSecret: 'pi_x_secret_y',
    };
    // As on a page that has not loaded Stripe.js yet (the tests above have).
    const loaded = window.Stripe;
    delete window.Stripe;
    const failed = await completePaymentAction(api, 'sub_x', action, {
      hideForChallenge: async () => {
        hidden = true;
      },
    })
      .catch((error: unknown) => error)
      .finally(() => {
        window.Stripe = loaded;
      });
    expect(failed).to.be.instanceOf(ApiError);
    expect((failed as ApiError).code).to.equal('processor_script_failed');
    expect([hidden, sent]).to.deep.equal([false, []]);
    expect(document.querySelector('script[src*="no-stripe-here"]'), 'the failed script is taken out again').to.equal(
      null,
    );
  });
});
