import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApDialog } from '../../widget/components/dialog/dialog';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { ApSubscriptionDetail } from '../../widget/components/subscription-detail/subscription-detail';
import { ApSubscriptions } from '../../widget/components/subscriptions/subscriptions';
import type { PlanChangeQuote } from '../../widget/components/subscriptions/subscription-format';
import {
  authUrlFor,
  newStore,
  nextEvent,
  orderWithFulfilments,
  planFamily,
  serverApi,
  subscribe,
  testToken,
  uniqueEmail,
  until,
  type TestStore,
} from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApDialog.define('ap-dialog');
ApSubscriptions.define('ap-subscriptions');
ApSubscriptionDetail.define('ap-subscription-detail');

const DAY = 86_400_000;
const originalUrl = location.href;
const cleanups: (() => void)[] = [];

afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

/** Monthly Basic, Pro and Business plans of one family. */
const catalog = (store: TestStore) =>
  planFamily(store, [
    ['basic-monthly', 'Basic', 900],
    ['pro-monthly', 'Pro', 1900],
    ['business-monthly', 'Business', 4900],
  ]);

/** The subscription as the merchant's backend sees it. */
const merchantView = (store: TestStore, id: string) =>
  serverApi<{
    product: { key: string };
    status: string;
    cancelAtPeriodEnd: boolean;
    scheduledChange: unknown;
    pause: unknown;
    cancellation: { reason: string | null; comment: string | null } | null;
    currentPeriodEnd: string;
  }>(store, 'GET', `/subscriptions/${id}`);

async function mount(store: TestStore, accountId: string, hash: string): Promise<AccountPortal> {
  location.hash = hash;
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url}></account-portal>`);
}

const money = (minor: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' }).format(minor / 100);
const mediumDate = (iso: string) => new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));
/** Hides the screen-reader-only text, so that `innerText` is what the customer sees. */
const hideSpoken = new CSSStyleSheet();
hideSpoken.replaceSync('.visually-hidden { display: none !important; }');

/** What the customer sees of an element, with whitespace collapsed (text only for screen readers left out). */
function seen(node: Element | null | undefined): string {
  const shadow = node?.getRootNode();
  if (!(shadow instanceof ShadowRoot)) return (node as HTMLElement | null)?.innerText.replace(/\s+/g, ' ').trim() ?? '';
  shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, hideSpoken];
  try {
    return (node as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
  } finally {
    shadow.adoptedStyleSheets = shadow.adoptedStyleSheets.filter((sheet) => sheet !== hideSpoken);
  }
}

const list = (el: AccountPortal) => el.shadowRoot!.querySelector<ApSubscriptions>('ap-subscriptions');
const cards = (el: AccountPortal) => [
  ...(list(el)?.shadowRoot?.querySelectorAll<HTMLElement>('li.item:not([aria-hidden])') ?? []),
];
const detail = (el: AccountPortal) => el.shadowRoot!.querySelector<ApSubscriptionDetail>('ap-subscription-detail');
const root = (el: AccountPortal) => detail(el)!.shadowRoot!;
const loaded = (el: AccountPortal) =>
  until(() => detail(el)?.shadowRoot?.querySelector('#title'), 6000, 'the subscription');
const opens = (el: AccountPortal, kind: string) => root(el).querySelector<HTMLButtonElement>(`[data-opens="${kind}"]`)!;
const quick = (el: AccountPortal, action: string) =>
  root(el).querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
const dialog = (el: AccountPortal, kind: string) => root(el).querySelector<ApDialog>(`#dialog-${kind}`)!;
const isOpen = (el: AccountPortal, kind: string) =>
  Boolean(dialog(el, kind)?.shadowRoot?.querySelector('dialog')?.open);
/**
 * Waits until the dialog is open, and ends its opening animation (axe reads colours mid-fade otherwise; a page
 * the runner keeps in the background never plays it).
 */
async function opened(el: AccountPortal, kind: string): Promise<void> {
  await until(() => isOpen(el, kind), 4000, `the ${kind} dialog`);
  dialog(el, kind)
    .shadowRoot!.querySelector('dialog')!
    .getAnimations({ subtree: true })
    .forEach((animation) => animation.finish());
}
const closed = (el: AccountPortal, kind: string) => until(() => !isOpen(el, kind), 4000, `the ${kind} dialog to close`);
const footerButton = (el: AccountPortal, kind: string, text: string) =>
  [...dialog(el, kind).querySelectorAll<HTMLButtonElement>('[slot="footer"] button')].find((b) =>
    b.textContent!.includes(text),
  )!;
const feedback = (el: AccountPortal) => root(el).querySelector('.feedback')!.textContent!.trim();
const problem = (el: AccountPortal, kind: string) =>
  dialog(el, kind).querySelector('[role="alert"]')!.textContent!.replace(/\s+/g, ' ').trim();

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Collects the JSON bodies of the answers to matching requests until the test ends. */
function recordAnswers<T>(match: (url: string, method: string) => boolean): T[] {
  const answers: T[] = [];
  const real = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await real(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (match(url, init?.method ?? 'GET') && response.ok) answers.push((await response.clone().json()) as T);
    return response;
  };
  cleanups.push(() => {
    window.fetch = real;
  });
  return answers;
}

/** Opens the change dialog, picks `plan` and asks for the quote; resolves with what the server quoted. */
async function previewChange(el: AccountPortal, plan: string): Promise<PlanChangeQuote> {
  const quotes = recordAnswers<PlanChangeQuote>((url, method) => url.endsWith('/change-preview') && method === 'POST');
  opens(el, 'change').click();
  await opened(el, 'change');
  await until(() => dialog(el, 'change').querySelector('input[name="change-plan"]'), 4000, 'the plans');
  const radio = [...dialog(el, 'change').querySelectorAll<HTMLInputElement>('input[name="change-plan"]')].find(
    (input) => input.closest('label')!.textContent!.includes(plan),
  )!;
  radio.click();
  footerButton(el, 'change', 'Review change').click();
  await until(() => quotes.length > 0 && root(el).querySelector('#change-quote'), 4000, 'the quote');
  return quotes[0];
}

describe('<ap-subscriptions> and <ap-subscription-detail>', () => {
  let store: TestStore;

  before(async () => {
    store = await newStore({ pauseEnabled: true, allowImmediateCancel: true });
    await catalog(store);
  });

  describe('the list', () => {
    it('shows each subscription with state, quantity, price, next payment and how it is paid', async () => {
      const email = uniqueEmail('ada');
      const auto = await subscribe(store, { email });
      await subscribe(store, { email, product: 'basic-monthly', unitPrice: 900, manual: true });
      const sub = await merchantView(store, auto.subscriptionId);
      const el = await mount(store, auto.accountId, '#/subscriptions');
      await until(() => cards(el).length === 2, 6000, 'two subscriptions');

      const [basic, pro] = [
        cards(el).find((c) => c.textContent!.includes('Basic'))!,
        cards(el).find((c) => c.textContent!.includes('Pro'))!,
      ];
      expect(seen(pro))
        .to.include('Active')
        .and.include('Quantity 1')
        .and.include(`${money(2261)} per month`)
        .and.include(`Next payment ${money(2261)} on ${mediumDate(sub.currentPeriodEnd)}`)
        .and.include('Visa •••• 4242');
      expect(pro.querySelector('.visually-hidden')!.textContent).to.equal('Visa ending in 4242');
      expect(seen(basic))
        .to.include('Renews manually')
        .and.include(`${money(1071)} per month`)
        .and.include('Payment due')
        .and.include('Renew by')
        .and.include('“Renew now”');
      expect(pro.querySelector('a')!.getAttribute('href')).to.equal(`#/subscriptions/${auto.subscriptionId}`);
      await expect(el).to.be.accessible();

      pro.querySelector('a')!.click();
      await loaded(el);
      expect(location.hash).to.equal(`#/subscriptions/${auto.subscriptionId}`);
    });

    it('says when there are no subscriptions', async () => {
      const order = await orderWithFulfilments(store, uniqueEmail('bo'));
      const el = await mount(store, order.accountId, '#/subscriptions');
      await until(() => list(el)?.shadowRoot?.querySelector('.empty'), 6000, 'the empty state');
      expect(seen(list(el)!.shadowRoot!.querySelector('.empty'))).to.include('No subscriptions');
      await expect(el).to.be.accessible();
    });
  });

  describe('the detail', () => {
    it('shows plan, price, period, next payment and the card, and the actions it may take', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const sub = await merchantView(store, subscriptionId);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      const text = seen(root(el).querySelector('.base'));
      expect(text)
        .to.include('Pro')
        .and.include('Active')
        .and.include(`Next payment ${money(2261)} on ${mediumDate(sub.currentPeriodEnd)}`)
        .and.include(`incl. ${money(361)} tax`)
        .and.include('Renews automatically')
        .and.include('Visa •••• 4242')
        .and.include('expires 12/2034');
      expect(opens(el, 'change')).to.exist;
      expect(opens(el, 'cancel')).to.exist;
      expect(opens(el, 'pause')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('says how a manual-renewal subscription is renewed, and renews it with a saved card', async () => {
      // Bought 10 days ago: "Renew now" is open in the last 30 days of the period.
      const { accountId, subscriptionId } = await subscribe(store, {
        manual: true,
        completedAt: new Date(Date.now() - 10 * DAY).toISOString(),
      });
      const card = { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 };
      await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, { token: testToken(card), ...card });
      const before = await merchantView(store, subscriptionId);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      expect(seen(root(el).querySelector('.base')))
        .to.include('Renews manually')
        .and.include('Payment due')
        .and.include(`Pay for the next period by ${mediumDate(before.currentPeriodEnd)}`)
        .and.include('Pay automatically instead');
      await expect(el).to.be.accessible();

      opens(el, 'renew').click();
      await opened(el, 'renew');
      await until(() => dialog(el, 'renew').querySelector('input[name="renew-method"]'), 4000, 'the saved cards');
      expect(seen(dialog(el, 'renew'))).to.include('Mastercard •••• 4444');
      await expect(el).to.be.accessible();
      footerButton(el, 'renew', 'Pay').click();
      await closed(el, 'renew');
      expect(feedback(el)).to.include('Thank you. We charged');
      const after = await merchantView(store, subscriptionId);
      expect(new Date(after.currentPeriodEnd).getTime()).to.be.greaterThan(new Date(before.currentPeriodEnd).getTime());
      expect(deepActive()).to.equal(opens(el, 'renew') ?? root(el).querySelector('#title'));
    });

    it('asks the host page to update the payment method, else opens the Payment methods tab', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      const vetoed = nextEvent(el, 'ap-request-update-payment-method');
      el.addEventListener('ap-request-update-payment-method', (e) => e.preventDefault(), { once: true });
      quick(el, 'payment-method').click();
      expect((await vetoed).subscriptionId).to.equal(subscriptionId);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(location.hash).to.equal(`#/subscriptions/${subscriptionId}`);

      const asked = nextEvent(el, 'ap-request-update-payment-method');
      quick(el, 'payment-method').click();
      await asked;
      await until(() => location.hash === '#/payment-methods', 2000, 'the Payment methods tab');
    });
  });

  describe('changing the plan', () => {
    it('previews an upgrade with the amount the server quoted, then applies it', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      const changeButton = opens(el, 'change');
      changeButton.focus();
      const quote = await previewChange(el, 'Business');
      expect(location.hash).to.equal(`#/subscriptions/${subscriptionId}/change`);
      expect(quote.kind).to.equal('upgrade');
      expect(quote.charge.total).to.be.greaterThan(0);
      const text = seen(root(el).querySelector('#change-quote'));
      expect(text)
        .to.include(
          `You pay now: ${money(quote.charge.total)} (incl. tax ${money(quote.charge.tax)}), prorated for the rest of this period.`,
        )
        .and.include(`you pay ${money(quote.recurring.total)} per month`);
      expect(footerButton(el, 'change', 'Confirm').textContent).to.include(
        `Confirm and pay ${money(quote.charge.total)}`,
      );
      await expect(el).to.be.accessible();

      const changed = nextEvent(el, 'ap-subscription-changed');
      footerButton(el, 'change', 'Confirm').click();
      const event = await changed;
      expect(event.subscription.product.key).to.equal('business-monthly');
      await closed(el, 'change');
      expect((await merchantView(store, subscriptionId)).product.key).to.equal('business-monthly');
      expect(root(el).querySelector('#title')!.textContent).to.equal('Business');
      expect(feedback(el)).to.equal(`Your plan is now Business. We charged ${money(quote.charge.total)}.`);
      await until(() => location.hash === `#/subscriptions/${subscriptionId}`, 2000, 'the route without the dialog');
      expect(deepActive()).to.equal(changeButton);
    });

    it('schedules a downgrade for the end of the period, shows the next payment with it, and undoes it', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const sub = await merchantView(store, subscriptionId);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      const quote = await previewChange(el, 'Basic');
      expect(quote.kind).to.equal('downgrade');
      expect(seen(root(el).querySelector('#change-quote')))
        .to.include('No charge now.')
        .and.include(`From ${mediumDate(quote.effectiveAt)} you pay ${money(1071)} per month.`)
        .and.include('Until then you keep Pro.');
      const changed = nextEvent(el, 'ap-subscription-changed');
      footerButton(el, 'change', 'Confirm change').click();
      await changed;
      await closed(el, 'change');
      const text = seen(root(el).querySelector('.base'));
      expect(text)
        .to.include(`Changes to Basic on ${mediumDate(sub.currentPeriodEnd)}`)
        .and.include(`Next payment ${money(1071)} on ${mediumDate(sub.currentPeriodEnd)}`);
      expect(feedback(el)).to.equal(`Your change to Basic is scheduled for ${mediumDate(quote.effectiveAt)}.`);
      expect((await merchantView(store, subscriptionId)).scheduledChange).to.not.equal(null);

      const undone = nextEvent(el, 'ap-subscription-changed');
      quick(el, 'undo').click();
      expect((await undone).subscription.scheduledChange).to.equal(null);
      await until(() => !quick(el, 'undo'), 2000, 'the undo button to go');
      expect(seen(root(el).querySelector('.base'))).to.include(`Next payment ${money(2261)}`);
      expect((await merchantView(store, subscriptionId)).scheduledChange).to.equal(null);
    });

    it('shows why a declined upgrade failed and changes nothing', async () => {
      const { accountId, subscriptionId } = await subscribe(store, { behaviour: 'declines_charges' });
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      await previewChange(el, 'Business');
      let changed = false;
      el.addEventListener('ap-subscription-changed', () => {
        changed = true;
      });
      footerButton(el, 'change', 'Confirm').click();
      await until(() => problem(el, 'change') !== '', 4000, 'the decline');
      expect(problem(el, 'change')).to.include('Your card was declined. Nothing was changed.');
      expect(isOpen(el, 'change')).to.equal(true);
      expect(changed).to.equal(false);
      expect((await merchantView(store, subscriptionId)).product.key).to.equal('pro-monthly');
    });
    it('works the price out again when the quote has expired, and says so', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      const first = await previewChange(el, 'Business');
      // The server refuses the first confirmation as expired (as after 10 minutes); the widget previews again.
      const real = window.fetch;
      let refused = false;
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        if (!refused && String(input).endsWith('/change') && init?.method === 'POST') {
          refused = true;
          return Promise.resolve(
            new Response(JSON.stringify({ error: { code: 'quote_expired', message: 'expired' } }), {
              status: 410,
              headers: { 'content-type': 'application/json' },
            }),
          );
        }
        return real(input, init);
      };
      cleanups.push(() => {
        window.fetch = real;
      });
      const quotes = recordAnswers<PlanChangeQuote>(
        (url, method) => url.endsWith('/change-preview') && method === 'POST',
      );
      footerButton(el, 'change', 'Confirm').click();
      await until(() => quotes.length === 1, 4000, 'a new quote');
      expect(quotes[0].id).to.not.equal(first.id);
      await until(
        () => seen(root(el).querySelector('#change-quote')).includes('no longer current'),
        2000,
        'the notice',
      );
      expect(isOpen(el, 'change')).to.equal(true);
      expect((await merchantView(store, subscriptionId)).product.key).to.equal('pro-monthly');

      const changed = nextEvent(el, 'ap-subscription-changed');
      footerButton(el, 'change', 'Confirm').click();
      expect((await changed).subscription.product.key).to.equal('business-monthly');
    });
  });

  describe('cancelling', () => {
    it('asks why, confirms, ends at the period end with the reason, and resumes', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const sub = await merchantView(store, subscriptionId);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      opens(el, 'cancel').click();
      await opened(el, 'cancel');
      await expect(el).to.be.accessible();

      footerButton(el, 'cancel', 'Continue').click();
      await until(
        () => problem(el, 'cancel') || root(el).querySelector('#cancel-reason-error')!.textContent!.trim(),
        2000,
        'the missing reason',
      );
      expect(root(el).querySelector('#cancel-reason-error')!.textContent).to.include('Choose a reason');

      root(el).querySelector<HTMLInputElement>('input[value="missing_features"]')!.click();
      const comment = root(el).querySelector<HTMLTextAreaElement>('#cancel-comment')!;
      comment.focus();
      await sendKeys({ type: 'Needs RAW export' });
      await until(
        () => root(el).querySelector('#cancel-comment-count')!.textContent!.includes('16 of 1000'),
        2000,
        'the counter',
      );
      expect(comment.maxLength).to.equal(1000);
      expect(seen(dialog(el, 'cancel'))).to.include(
        `At the end of the current period, on ${mediumDate(sub.currentPeriodEnd)}`,
      );
      footerButton(el, 'cancel', 'Continue').click();
      await until(() => root(el).querySelector('#cancel-summary'), 2000, 'the confirmation');
      expect(seen(root(el).querySelector('#cancel-summary'))).to.include(
        `Your Pro subscription will end on ${mediumDate(sub.currentPeriodEnd)}.`,
      );
      await expect(el).to.be.accessible();

      const canceled = nextEvent(el, 'ap-subscription-canceled');
      footerButton(el, 'cancel', 'Cancel subscription').click();
      const event = await canceled;
      expect(event.reason).to.equal('missing_features');
      expect(event.subscription.state).to.equal('pending_cancellation');
      await closed(el, 'cancel');
      expect(seen(root(el).querySelector('.badge'))).to.equal(`Ends on ${mediumDate(sub.currentPeriodEnd)}`);
      const stored = await merchantView(store, subscriptionId);
      expect(stored.cancelAtPeriodEnd).to.equal(true);
      expect(stored.cancellation).to.include({ reason: 'missing_features', comment: 'Needs RAW export' });

      const resumed = nextEvent(el, 'ap-subscription-resumed');
      quick(el, 'resume').click();
      expect((await resumed).subscription.state).to.equal('active');
      await until(() => seen(root(el).querySelector('.badge')) === 'Active', 2000, 'the active badge');
      expect((await merchantView(store, subscriptionId)).cancelAtPeriodEnd).to.equal(false);
    });

    it('ends the subscription at once when the store allows it and the customer chooses so', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}/cancel`);
      await loaded(el);
      await opened(el, 'cancel');
      root(el).querySelector<HTMLInputElement>('input[value="too_expensive"]')!.click();
      const now = [...root(el).querySelectorAll<HTMLInputElement>('input[name="cancel-when"]')][1];
      expect(now.closest('label')!.textContent).to.include('Immediately');
      now.click();
      footerButton(el, 'cancel', 'Continue').click();
      await until(() => root(el).querySelector('#cancel-summary'), 2000, 'the confirmation');
      expect(seen(root(el).querySelector('#cancel-summary'))).to.include('will end immediately');
      const canceled = nextEvent(el, 'ap-subscription-canceled');
      footerButton(el, 'cancel', 'Cancel subscription').click();
      expect((await canceled).subscription.state).to.equal('canceled');
      await until(() => seen(root(el).querySelector('.badge')) === 'Canceled', 2000, 'the canceled badge');
      expect((await merchantView(store, subscriptionId)).status).to.equal('canceled');
      expect(opens(el, 'cancel')).to.equal(null);
    });

    it('offers "at the end of the period" only, when the store does not allow immediate cancellation', async () => {
      const strict = await newStore();
      await catalog(strict);
      const { accountId, subscriptionId } = await subscribe(strict);
      const el = await mount(strict, accountId, `#/subscriptions/${subscriptionId}/cancel`);
      await loaded(el);
      await opened(el, 'cancel');
      expect(root(el).querySelectorAll('input[name="cancel-when"]')).to.have.length(0);
      expect(seen(dialog(el, 'cancel'))).to.include('Your subscription will end at the end of the current period');
      expect(opens(el, 'pause')).to.equal(null);
    });
  });

  describe('pausing', () => {
    it('pauses for some billing periods and takes the pause back', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      opens(el, 'pause').click();
      await opened(el, 'pause');
      const periods = root(el).querySelector<HTMLInputElement>('#pause-periods')!;
      periods.value = '2';
      periods.dispatchEvent(new Event('change'));
      await expect(el).to.be.accessible();
      const paused = nextEvent(el, 'ap-subscription-paused');
      footerButton(el, 'pause', 'Pause subscription').click();
      const event = await paused;
      expect(event.subscription.pause).to.not.equal(null);
      await closed(el, 'pause');
      const { startsAt, resumesAt } = event.subscription.pause!;
      expect(seen(root(el).querySelector('.base'))).to.include(
        `Pauses on ${mediumDate(startsAt)}. Billing starts again on ${mediumDate(resumesAt)}.`,
      );
      expect(new Date(resumesAt).getTime() - new Date(startsAt).getTime()).to.be.greaterThan(55 * DAY);

      const resumed = nextEvent(el, 'ap-subscription-resumed');
      quick(el, 'unpause').click();
      expect((await resumed).subscription.pause).to.equal(null);
      expect((await merchantView(store, subscriptionId)).pause).to.equal(null);
    });

    it('pauses until a chosen date', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const sub = await merchantView(store, subscriptionId);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}/pause`);
      await loaded(el);
      await opened(el, 'pause');
      [...root(el).querySelectorAll<HTMLInputElement>('input[name="pause-mode"]')][1].click();
      await until(() => root(el).querySelector('#pause-date'), 2000, 'the date field');
      const resume = new Date(new Date(sub.currentPeriodEnd).getTime() + 20 * DAY);
      const day = `${resume.getFullYear()}-${String(resume.getMonth() + 1).padStart(2, '0')}-${String(resume.getDate()).padStart(2, '0')}`;
      const field = root(el).querySelector<HTMLInputElement>('#pause-date')!;
      field.value = day;
      field.dispatchEvent(new Event('change'));
      await expect(el).to.be.accessible();
      const paused = nextEvent(el, 'ap-subscription-paused');
      footerButton(el, 'pause', 'Pause subscription').click();
      const { pause } = (await paused).subscription;
      expect(pause!.resumesAt).to.equal(new Date(`${day}T00:00:00`).toISOString());
      await closed(el, 'pause');
      expect(feedback(el)).to.include(`Billing starts again on ${mediumDate(pause!.resumesAt)}`);
    });

    it("offers pauses up to the store's maximum, with the date billing resumes", async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}/pause`);
      await loaded(el);
      await opened(el, 'pause');
      const periods = root(el).querySelector<HTMLInputElement>('#pause-periods')!;
      expect(periods.max).to.equal('3');
      periods.value = '6';
      periods.dispatchEvent(new Event('change'));
      await until(
        () => root(el).querySelector<HTMLInputElement>('#pause-periods')!.value === '3',
        2000,
        'clamped to 3',
      );
      const sub = await serverApi<{ currentPeriodEnd: string }>(store, 'GET', `/subscriptions/${subscriptionId}`);
      const resumes = new Date(sub.currentPeriodEnd);
      resumes.setUTCMonth(resumes.getUTCMonth() + 3);
      const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(resumes);
      expect(root(el).querySelector('#pause-periods-hint')!.textContent).to.include(expected);
    });
  });

  describe('deep links and the keyboard', () => {
    it('opens the cancel and change dialogs from their routes and returns to the subscription on close', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}/cancel`);
      await loaded(el);
      await opened(el, 'cancel');
      expect(dialog(el, 'cancel').shadowRoot!.querySelector('#title')!.textContent).to.equal('Cancel subscription');
      footerButton(el, 'cancel', 'Keep subscription').click();
      await closed(el, 'cancel');
      await until(() => location.hash === `#/subscriptions/${subscriptionId}`, 2000, 'the subscription route');
      expect(deepActive()).to.equal(opens(el, 'cancel'));

      location.hash = `#/subscriptions/${subscriptionId}/change`;
      await opened(el, 'change');
      await until(() => dialog(el, 'change').querySelector('input[name="change-plan"]'), 4000, 'the plans');
      expect(seen(dialog(el, 'change'))).to.include('Your current plan');
      await expect(el).to.be.accessible();
    });

    it("exposes the same dialog parts as the payment methods' dialogs: account-portal::part(dialog) styles the cancel, change and pause dialogs", async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const page = document.createElement('style');
      page.textContent =
        'account-portal::part(dialog) { outline: 3px solid rgb(1, 2, 3); } ' +
        'account-portal::part(dialog-title) { color: rgb(4, 5, 6); } account-portal::part(dialog-footer) { padding-top: 13px; }';
      document.head.append(page);
      cleanups.push(() => page.remove());
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}/cancel`);
      await loaded(el);
      for (const kind of ['cancel', 'change', 'pause']) {
        location.hash = `#/subscriptions/${subscriptionId}/${kind}`;
        await opened(el, kind);
        const shadow = dialog(el, kind).shadowRoot!;
        expect(getComputedStyle(shadow.querySelector('dialog')!).outlineColor, kind).to.equal('rgb(1, 2, 3)');
        expect(getComputedStyle(shadow.querySelector('[part~="title"]')!).color, kind).to.equal('rgb(4, 5, 6)');
        expect(getComputedStyle(shadow.querySelector('[part~="footer"]')!).paddingTop, kind).to.equal('13px');
        location.hash = `#/subscriptions/${subscriptionId}`;
        await closed(el, kind);
      }
    });

    it('prices each plan at the chosen quantity with the figures the server sends, never its own', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      // The server's prices at quantity 3, each a cent off: no figure worked out in the browser could match them.
      const priced: { key: string; recurring: { total: number } }[] = [];
      const real = window.fetch;
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await real(input, init);
        if (!String(input).includes(`/subscriptions/${subscriptionId}/plans?quantity=3`)) return response;
        const body = (await response.json()) as { data: typeof priced; quantity: number };
        for (const plan of body.data) plan.recurring.total += 1;
        priced.push(...body.data);
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      cleanups.push(() => {
        window.fetch = real;
      });
      opens(el, 'change').click();
      await opened(el, 'change');
      await until(() => dialog(el, 'change').querySelector('input[name="change-plan"]'), 4000, 'the plans');
      const more = dialog(el, 'change').querySelector<HTMLButtonElement>('[aria-label="Increase quantity"]')!;
      more.click();
      more.click();
      await until(() => priced.length > 0, 4000, 'the plans priced at quantity 3');
      const option = (name: string) =>
        [...dialog(el, 'change').querySelectorAll('label.option')].find(
          (label) => label.querySelector('.option-name')!.textContent === name,
        )!;
      const basic = priced.find((plan) => plan.key === 'basic-monthly')!;
      await until(
        () => seen(option('Basic')).includes(`${money(basic.recurring.total)} per month`),
        4000,
        "the server's price",
      );
      expect(dialog(el, 'change').querySelector('.options')!.getAttribute('aria-busy')).to.equal('false');
      await expect(el).to.be.accessible();
    });

    it('works with the keyboard alone, and Escape returns focus to the button that opened the dialog', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `#/subscriptions/${subscriptionId}`);
      await loaded(el);
      const changeButton = opens(el, 'change');
      changeButton.focus();
      await sendKeys({ press: 'Enter' });
      await opened(el, 'change');
      await until(() => (deepActive() as HTMLInputElement | null)?.name === 'change-plan', 4000, 'focus on the plans');
      expect((deepActive() as HTMLInputElement).closest('label')!.textContent).to.include('Pro');
      await sendKeys({ press: 'ArrowDown' });
      expect((deepActive() as HTMLInputElement).closest('label')!.textContent).to.include('Business');
      expect((deepActive() as HTMLInputElement).checked).to.equal(true);
      for (let i = 0; i < 8 && deepActive()?.textContent?.trim() !== 'Review change'; i++)
        await sendKeys({ press: 'Tab' });
      expect(deepActive()!.textContent!.trim()).to.equal('Review change');
      await sendKeys({ press: 'Enter' });
      await until(() => deepActive()?.id === 'change-quote', 4000, 'focus on the quote');
      expect(seen(deepActive())).to.include('You pay now');

      await sendKeys({ press: 'Escape' });
      await closed(el, 'change');
      await until(() => location.hash === `#/subscriptions/${subscriptionId}`, 2000, 'the subscription route');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(deepActive()).to.equal(changeButton);
      expect((await merchantView(store, subscriptionId)).product.key).to.equal('pro-monthly');
    });
  });
});
