import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApAccountForm } from '../../widget/components/account-form/account-form';
import { ApActivity } from '../../widget/components/activity/activity';
import { ApOrderDetail } from '../../widget/components/order-detail/order-detail';
import { ApOrderInvoice } from '../../widget/components/order-invoice/order-invoice';
import { ApOrders } from '../../widget/components/orders/orders';
import { ApPaymentMethods } from '../../widget/components/payment-methods/payment-methods';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { ApSubscriptionDetail } from '../../widget/components/subscription-detail/subscription-detail';
import { ApSubscriptions } from '../../widget/components/subscriptions/subscriptions';
import {
  deepQuery,
  deepText,
  limitedAuthUrlFor,
  newStore,
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
ApSubscriptions.define('ap-subscriptions');
ApSubscriptionDetail.define('ap-subscription-detail');
ApPaymentMethods.define('ap-payment-methods');
ApAccountForm.define('ap-account-form');
ApActivity.define('ap-activity');

const originalUrl = location.href;
afterEach(() => {
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

/** `<account-portal>` signed in with a URL the merchant limited; `hash` is the page's route before. */
async function mount(store: TestStore, accountId: string, limits: Parameters<typeof limitedAuthUrlFor>[2], hash = '') {
  location.hash = hash;
  const url = await limitedAuthUrlFor(store, accountId, limits);
  const el = await fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url}></account-portal>`);
  await until(() => el.shadowRoot!.querySelector('[role="tablist"]'), 6000, 'signed in');
  return el;
}

const tabNames = (el: AccountPortal) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')].map((tab) => tab.textContent!.trim());
const screen = <T extends HTMLElement>(el: AccountPortal, tag: string) =>
  el.shadowRoot!.querySelector<T>(`[role="tabpanel"] ${tag}`);
const shown = (el: AccountPortal, tag: string, what = tag) =>
  until(() => screen(el, tag)?.shadowRoot?.querySelector('#title, h2, .card:not(.pending)'), 6000, what);
const buttons = (root: ShadowRoot) => [...root.querySelectorAll('button')].map((b) => b.textContent!.trim());

describe('<account-portal> with a session the merchant limited', () => {
  let store: TestStore;
  before(async () => {
    store = await newStore({ pauseEnabled: true });
    await planFamily(store, [
      ['basic-monthly', 'Basic', 900],
      ['pro-monthly', 'Pro', 1900],
    ]);
  });

  describe('read-only', () => {
    it('shows every tab, and no button or field that would change anything', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, {
        token: testToken({ last4: '1881' }),
      });
      const el = await mount(store, accountId, { capabilities: ['read-only'] }, `#/subscriptions/${subscriptionId}`);
      expect(tabNames(el)).to.deep.equal(['Orders', 'Subscriptions', 'Payment methods', 'Account']);

      await shown(el, 'ap-subscription-detail');
      const detail = screen(el, 'ap-subscription-detail')!.shadowRoot!;
      await until(() => detail.querySelector('#title'), 6000, 'the subscription');
      expect(detail.querySelector('[data-opens]'), 'no change, pause or cancel').to.equal(null);
      expect(detail.querySelector('[data-action="payment-method"]'), 'no card change').to.equal(null);
      expect(deepText(detail)).to.include('Visa');
      await expect(el).to.be.accessible();

      el.navigate('/payment-methods');
      await shown(el, 'ap-payment-methods');
      const methods = screen(el, 'ap-payment-methods')!.shadowRoot!;
      await until(() => methods.querySelectorAll('li.method:not(.skeleton-row)').length === 2, 6000, 'the cards');
      await until(() => methods.querySelector('.subscriptions li'), 6000, 'which card pays for what');
      expect(buttons(methods), 'no add, remove or default').to.deep.equal([]);
      expect(methods.querySelector('select')).to.equal(null);
      expect(deepText(methods.querySelector('.subscriptions')!)).to.include('Pro');
      await expect(el).to.be.accessible();

      el.navigate('/account');
      await until(() => screen(el, 'ap-account-form')?.shadowRoot?.querySelector('#contact-form'), 6000, 'the account');
      const form = screen(el, 'ap-account-form')!.shadowRoot!;
      expect(buttons(form), 'no Save').to.deep.equal([]);
      expect(form.querySelector<HTMLInputElement>('#contact-firstName')!.readOnly).to.equal(true);
      expect(deepText(form)).to.include("These details can't be changed here");
      await until(() => screen(el, 'ap-activity')?.shadowRoot?.querySelector('li[data-id]'), 6000, 'the activity');
      await expect(el).to.be.accessible();
    });

    it('shows an invoice and the downloads, without the way to correct the invoice', async () => {
      const withSeller = await newStore();
      await serverApi(withSeller, 'PUT', '/store/seller', {
        legalName: 'Northwind Software Ltd',
        addressLine1: '1 Long Lane',
        city: 'London',
        postalCode: 'EC1A 9HF',
        country: 'GB',
        email: 'billing@northwind.example',
      });
      const order = await orderWithFulfilments(withSeller, uniqueEmail('reader'));
      const el = await mount(withSeller, order.accountId, { capabilities: ['read-only'] }, `#/orders/${order.id}`);
      await shown(el, 'ap-order-detail');
      const detail = screen(el, 'ap-order-detail')!;
      const invoice = () => detail.shadowRoot?.querySelector('ap-order-invoice');
      await until(() => invoice()?.shadowRoot?.querySelector('address'), 8000, 'the invoice');
      expect(invoice()!.shadowRoot!.querySelector('button.correct')).to.equal(null);
      expect(deepText(invoice()!.shadowRoot!)).to.include('Download');
      expect(detail.shadowRoot!.querySelector('[part~="download-button"]')).to.not.equal(null);
      await expect(el).to.be.accessible();
    });
  });

  describe('orders-only', () => {
    it('shows the Orders tab alone, and a route to another tab shows the orders instead', async () => {
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId, { capabilities: ['orders-only'] }, '#/subscriptions');
      expect(tabNames(el)).to.deep.equal(['Orders']);
      await until(() => location.hash === '#/orders', 4000, 'the orders route');
      await shown(el, 'ap-orders');
      el.navigate('/account');
      await until(() => location.hash === '#/orders', 4000, 'back to the orders');
      expect(screen(el, 'ap-account-form')).to.equal(null);
      await expect(el).to.be.accessible();
    });
  });

  describe('no-payment-methods and no-cancel', () => {
    it('hide the Payment methods tab, the card change and the cancel button, and nothing else', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(
        store,
        accountId,
        { capabilities: ['no-payment-methods', 'no-cancel'] },
        `#/subscriptions/${subscriptionId}/cancel`,
      );
      expect(tabNames(el)).to.deep.equal(['Orders', 'Subscriptions', 'Account']);
      await until(() => location.hash === `#/subscriptions/${subscriptionId}`, 4000, 'no cancel dialog route');
      await shown(el, 'ap-subscription-detail');
      const detail = screen(el, 'ap-subscription-detail')!.shadowRoot!;
      await until(() => detail.querySelector('[data-opens="change"]'), 6000, 'the manage buttons');
      expect(detail.querySelector('[data-opens="pause"]')).to.not.equal(null);
      expect(detail.querySelector('[data-opens="cancel"]')).to.equal(null);
      expect(detail.querySelector('[data-action="payment-method"]')).to.equal(null);
      expect(detail.querySelector('#dialog-cancel dialog[open]')).to.equal(null);
    });
  });

  describe('the landing route', () => {
    it('opens the screen the merchant chose, over a route in the page', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, { landingRoute: `/subscriptions/${subscriptionId}` }, '#/account');
      await until(() => location.hash === `#/subscriptions/${subscriptionId}`, 4000, 'the landing route');
      await shown(el, 'ap-subscription-detail');
      expect(el.shadowRoot!.querySelector('[aria-selected="true"]')!.textContent!.trim()).to.equal('Subscriptions');
    });

    it('opens the activity log at /account/activity, its heading focused', async () => {
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId, { landingRoute: '/account/activity' });
      await until(() => location.hash === '#/account/activity', 4000, 'the landing route');
      const activity = () => screen<ApActivity>(el, 'ap-activity');
      await until(() => activity()?.shadowRoot?.activeElement?.id === 'activity-title', 6000, 'the focused heading');
    });
  });

  it('keeps its limits when the page is loaded again (the session restored from sessionStorage)', async () => {
    const { accountId } = await subscribe(store);
    const first = await mount(store, accountId, { capabilities: ['no-payment-methods'] });
    expect(tabNames(first)).to.not.include('Payment methods');
    first.remove();
    const again = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
    await until(() => again.shadowRoot!.querySelector('[role="tablist"]'), 6000, 'restored');
    expect(tabNames(again)).to.deep.equal(['Orders', 'Subscriptions', 'Account']);
    expect(deepQuery(again, 'ap-payment-methods')).to.equal(null);
  });
});
