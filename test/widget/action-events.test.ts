import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApDialog } from '../../widget/components/dialog/dialog';
import { ApLicenseKey } from '../../widget/components/license-key/license-key';
import { ApOrderDetail } from '../../widget/components/order-detail/order-detail';
import { ApOrderInvoice } from '../../widget/components/order-invoice/order-invoice';
import { ApOrders } from '../../widget/components/orders/orders';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { ApSubscriptionDetail } from '../../widget/components/subscription-detail/subscription-detail';
import type { ApErrorEvent } from '../../widget/events';
import {
  authUrlFor,
  deepQuery,
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
ApOrders.define('ap-orders');
ApOrderDetail.define('ap-order-detail');
ApOrderInvoice.define('ap-order-invoice');
ApLicenseKey.define('ap-license-key');
ApDialog.define('ap-dialog');
ApSubscriptionDetail.define('ap-subscription-detail');

const DAY = 86_400_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  sessionStorage.clear();
});

const seller = {
  legalName: 'Northwind Software GmbH',
  addressLine1: 'Friedrichstraße 68',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
  email: 'billing@northwind.example',
};

async function mount(store: TestStore, accountId: string, route: string): Promise<AccountPortal> {
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(
    html`<account-portal store=${store.id} auth-url=${url} no-hash-routing route=${route}></account-portal>`,
  );
}

/** Keeps downloads from leaving the test page: the hidden anchors' clicks are recorded instead. */
function recordDownloads(): string[] {
  const clicked: string[] = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  };
  cleanups.push(() => {
    HTMLAnchorElement.prototype.click = click;
  });
  return clicked;
}

/** Replaces the clipboard's writeText for the test. */
function clipboard(writeText: (text: string) => Promise<void>): void {
  Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: writeText });
  cleanups.push(() => {
    delete (navigator.clipboard as { writeText?: unknown }).writeText;
  });
}

/** Every `ap-error` the portal fires until the test ends. */
function errorsOf(el: AccountPortal): ApErrorEvent[] {
  const errors: ApErrorEvent[] = [];
  el.addEventListener('ap-error', (event) => errors.push(event));
  return errors;
}

describe('events of the orders screens', () => {
  let store: TestStore;
  let order: { id: string; accountId: string; fulfilments: { id: string; type: string }[] };

  before(async () => {
    store = await newStore();
    await serverApi(store, 'PUT', '/store/seller', seller);
    order = await orderWithFulfilments(store, uniqueEmail('ada'));
    await serverApi(store, 'POST', `/orders/${order.id}/refunds`, { amount: 1000 });
  });

  const detail = (el: AccountPortal) => deepQuery<ApOrderDetail>(el.shadowRoot!, 'ap-order-detail');
  const shown = (el: AccountPortal) =>
    until(() => detail(el)?.shadowRoot?.querySelector('.credit-notes button'), 8000, 'the order');
  const invoice = (el: AccountPortal) =>
    detail(el)?.shadowRoot?.querySelector<ApOrderInvoice>('ap-order-invoice') as ApOrderInvoice;
  const invoiceShown = (el: AccountPortal) =>
    until(() => invoice(el)?.shadowRoot?.querySelector('h3'), 8000, 'the invoice');

  it('ap-download-started for a purchased file, with its order, fulfilment and name', async () => {
    const clicked = recordDownloads();
    const el = await mount(store, order.accountId, `/orders/${order.id}`);
    await shown(el);
    const started = nextEvent(document, 'ap-download-started');
    detail(el)!.shadowRoot!.querySelector<HTMLButtonElement>('.download button')!.click();
    const event = await started;
    expect([event.kind, event.orderId, event.fileName]).to.deep.equal(['file', order.id, 'photo-toolkit-3.zip']);
    expect(event.documentId).to.equal(order.fulfilments.find((f) => f.type === 'download')!.id);
    expect([event.bubbles, event.composed, event.cancelable]).to.deep.equal([true, true, false]);
    expect(clicked).to.deep.equal(['photo-toolkit-3.zip']);
  });

  it('ap-download-started for a credit note and for the invoice, PDF and e-invoice', async () => {
    recordDownloads();
    const el = await mount(store, order.accountId, `/orders/${order.id}`);
    await shown(el);
    let started = nextEvent(el, 'ap-download-started');
    detail(el)!.shadowRoot!.querySelector<HTMLButtonElement>('.credit-notes button')!.click();
    const note = await started;
    expect(note.kind).to.equal('credit-note');
    expect(note.documentId).to.match(/^cn_/);
    expect(note.fileName).to.match(/\.pdf$/);

    await invoiceShown(el);
    started = nextEvent(el, 'ap-download-started');
    invoice(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="download-button"]')!.click();
    const pdf = await started;
    expect([pdf.kind, pdf.orderId, pdf.documentId]).to.deep.equal(['invoice', order.id, null]);
    expect(pdf.fileName).to.match(/^INV-.*\.pdf$/);

    started = nextEvent(el, 'ap-download-started');
    invoice(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="e-invoice-button"]')!.click();
    expect((await started).kind).to.equal('e-invoice');
  });

  it('a failed download fires ap-error naming it', async () => {
    recordDownloads();
    const el = await mount(store, order.accountId, `/orders/${order.id}`);
    await shown(el);
    const errors = errorsOf(el);
    const real = window.fetch;
    window.fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).includes('/credit-notes/')
        ? Promise.reject(new TypeError('Failed to fetch'))
        : real(input, init);
    cleanups.push(() => {
      window.fetch = real;
    });
    detail(el)!.shadowRoot!.querySelector<HTMLButtonElement>('.credit-notes button')!.click();
    await until(() => errors.length > 0, 4000, 'the error');
    expect([errors[0].code, errors[0].action]).to.deep.equal(['network_error', 'download-credit-note']);
  });

  it('ap-license-key-copied when the key was copied; ap-error (clipboard_unavailable) when the browser refused', async () => {
    const el = await mount(store, order.accountId, `/orders/${order.id}`);
    await shown(el);
    const key = deepQuery<ApLicenseKey>(el.shadowRoot!, 'ap-license-key')!;
    clipboard(async () => undefined);
    const copied = nextEvent(document, 'ap-license-key-copied');
    key.shadowRoot!.querySelector('button')!.click();
    const event = await copied;
    expect(event.label).to.equal('Licence key for Photo Toolkit 3');
    expect(Object.values(event)).not.to.include('PTK3-AAAA-BBBB-CCCC');

    clipboard(() => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')));
    const failed = nextEvent(el, 'ap-error');
    key.shadowRoot!.querySelector('button')!.click();
    const error = await failed;
    expect([error.code, error.action, error.status]).to.deep.equal(['clipboard_unavailable', 'copy-license-key', 0]);
  });

  it('ap-invoice-corrected after a correction that made a new revision', async () => {
    const el = await mount(store, order.accountId, `/orders/${order.id}`);
    await invoiceShown(el);
    const root = invoice(el).shadowRoot!;
    root.querySelector<HTMLButtonElement>('.correct')!.click();
    await until(() => root.querySelector('form'), 4000, 'the form');
    const name = root.querySelector<HTMLInputElement>('input[name="businessName"]')!;
    name.value = 'Analytical Engines Ltd';
    name.dispatchEvent(new InputEvent('input'));
    const corrected = nextEvent(el, 'ap-invoice-corrected');
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    const event = await corrected;
    expect(event.invoice.revision).to.equal(2);
    expect(event.invoice.billingDetails.businessName).to.equal('Analytical Engines Ltd');
  });
});

describe('events of the subscription screen and sign-in', () => {
  let store: TestStore;

  before(async () => {
    store = await newStore();
    await planFamily(store, [['pro-monthly', 'Pro', 1900]]);
  });

  const detail = (el: AccountPortal) => el.shadowRoot!.querySelector<ApSubscriptionDetail>('ap-subscription-detail');
  const root = (el: AccountPortal) => detail(el)?.shadowRoot as ShadowRoot;
  const dialog = (el: AccountPortal) => root(el).querySelector<ApDialog>('#dialog-renew')!;

  /** A manual-renewal subscription bought 10 days ago (so "Renew now" is open), and a saved card that behaves as `behaviour`. */
  async function manualWithCard(behaviour: 'succeeds' | 'declines_charges') {
    const started = await subscribe(store, {
      manual: true,
      completedAt: new Date(Date.now() - 10 * DAY).toISOString(),
    });
    const card = { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 };
    await serverApi(store, 'POST', `/accounts/${started.accountId}/payment-methods`, {
      token: testToken({ ...card, behaviour }),
      ...card,
    });
    const el = await mount(store, started.accountId, `/subscriptions/${started.subscriptionId}`);
    await until(() => root(el)?.querySelector('[data-opens="renew"]'), 6000, 'the subscription');
    root(el).querySelector<HTMLButtonElement>('[data-opens="renew"]')!.click();
    await until(() => dialog(el).querySelector('input[name="renew-method"]'), 6000, 'the saved cards');
    return { el, ...started };
  }

  it('ap-subscription-renewed when "Renew now" paid the next period, with the charge', async () => {
    const { el, subscriptionId } = await manualWithCard('succeeds');
    const renewed = nextEvent(document, 'ap-subscription-renewed');
    dialog(el).querySelector<HTMLButtonElement>('#renew-confirm')!.click();
    const event = await renewed;
    expect(event.subscription.id).to.equal(subscriptionId);
    expect(event.charge!.total).to.equal(Math.round(1900 * 1.19));
    expect(event.charge!.currency).to.equal('USD');
  });

  it('a declined renewal fires ap-error with the action, and no ap-subscription-renewed', async () => {
    const { el } = await manualWithCard('declines_charges');
    let renewed = 0;
    el.addEventListener('ap-subscription-renewed', () => (renewed += 1));
    const failed = nextEvent(el, 'ap-error');
    dialog(el).querySelector<HTMLButtonElement>('#renew-confirm')!.click();
    const error = await failed;
    expect([error.code, error.status, error.action]).to.deep.equal(['payment_declined', 402, 'renew-subscription']);
    expect(renewed).to.equal(0);
  });

  it('ap-sign-in-link-requested for the link and "Send the link again"; a refusal fires ap-error', async () => {
    const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
    const signIn = () => deepQuery<ApSignIn>(el.shadowRoot!, 'ap-sign-in')!;
    await until(() => signIn()?.shadowRoot?.querySelector('form'), 6000, 'the sign-in form');
    const email = uniqueEmail('sid');
    const input = signIn().shadowRoot!.querySelector<HTMLInputElement>('#email')!;
    input.value = email;
    const requested = nextEvent(document, 'ap-sign-in-link-requested');
    signIn().shadowRoot!.querySelector('form')!.requestSubmit();
    const first = await requested;
    expect([first.email, first.resend]).to.deep.equal([email, false]);

    // A second link within the minute is refused (429 login_link_recently_sent).
    await until(() => signIn().shadowRoot!.querySelector('.actions .button.secondary'), 4000, 'the resend button');
    const failed = nextEvent(el, 'ap-error');
    let again = 0;
    el.addEventListener('ap-sign-in-link-requested', () => (again += 1));
    signIn().shadowRoot!.querySelector<HTMLButtonElement>('.actions .button.secondary')!.click();
    const error = await failed;
    expect([error.code, error.status, error.action]).to.deep.equal([
      'login_link_recently_sent',
      429,
      'request-sign-in-link',
    ]);
    expect(again).to.equal(0);
  });
});
