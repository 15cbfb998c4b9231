import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/index';
import type { AccountPortal } from '../../widget/index';
import {
  authUrlFor,
  deepQuery,
  newStore,
  orderWithFulfilments,
  planFamily,
  serverApi,
  subscribe,
  uniqueEmail,
  until,
  type TestStore,
} from './support/fixtures';

/**
 * Focus after every action that takes away the button that had it: it moves to the
 * new state's heading or control, never to `<body>` (where a keyboard or screen reader
 * user would have to start the page again).
 */

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Waits until focus is on `target()` (and says where it is otherwise). */
async function focusMovesTo(target: () => Element | null | undefined, what: string): Promise<void> {
  try {
    await until(() => target() && deepActive() === target(), 4000, `focus on ${what}`);
  } catch (error) {
    const active = deepActive();
    throw new Error(
      `${(error as Error).message}; it is on <${active?.localName} class="${active?.className}">${active?.textContent?.trim().slice(0, 60)}`,
    );
  }
  expect(document.activeElement).to.not.equal(document.body);
}

/** Clicks a button with the keyboard's focus on it first, as a keyboard user would press it. */
function press(button: HTMLElement | null | undefined): void {
  expect(button, 'the button').to.exist;
  button!.focus();
  expect(deepActive()).to.equal(button);
  button!.click();
}

/** Makes the next request whose URL matches fail as a network error would. */
function failNext(match: RegExp): () => void {
  const original = window.fetch;
  let armed = true;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (armed && match.test(url)) {
      armed = false;
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    return original(input, init);
  };
  return () => {
    window.fetch = original;
  };
}

const restores: (() => void)[] = [];
afterEach(() => {
  while (restores.length) restores.pop()!();
  sessionStorage.clear();
});

async function mount(store: TestStore, accountId: string, route: string): Promise<AccountPortal> {
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url} no-hash-routing
    route=${route}></account-portal>`);
}

const screen = (el: AccountPortal, tag: string) => el.shadowRoot!.querySelector(tag)?.shadowRoot ?? null;

describe('focus after an action removes the focused button', () => {
  describe('<ap-subscription-detail>', () => {
    let store: TestStore;
    before(async function () {
      this.timeout(20_000);
      store = await newStore({ pauseEnabled: true });
      await planFamily(store, [
        ['basic-monthly', 'Basic', 900],
        ['pro-monthly', 'Pro', 1900],
      ]);
    });

    const detail = (el: AccountPortal) => screen(el, 'ap-subscription-detail');
    const title = (el: AccountPortal) => detail(el)?.querySelector<HTMLElement>('#title');
    const quick = (el: AccountPortal, action: string) =>
      detail(el)?.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
    async function shown(store: TestStore, accountId: string, id: string, ready: (el: AccountPortal) => unknown) {
      const el = await mount(store, accountId, `/subscriptions/${id}`);
      await until(() => ready(el), 8000, 'the subscription');
      return el;
    }

    it('"Resume subscription" moves focus to the heading, and the announcement says what happened', async function () {
      this.timeout(20_000);
      const { accountId, subscriptionId } = await subscribe(store);
      await serverApi(store, 'POST', `/subscriptions/${subscriptionId}/cancel`, { reason: 'unused' });
      const el = await shown(store, accountId, subscriptionId, (e) => quick(e, 'resume'));
      press(quick(el, 'resume'));
      await focusMovesTo(() => title(el), 'the heading');
      expect(quick(el, 'resume')).to.equal(null);
      expect(detail(el)!.querySelector('.feedback')!.textContent).to.equal('Your Pro subscription continues.');
    });

    it('"Don\'t pause" (taking back a scheduled pause) moves focus to the heading', async function () {
      this.timeout(20_000);
      const { accountId, subscriptionId } = await subscribe(store);
      await serverApi(store, 'POST', `/subscriptions/${subscriptionId}/pause`, { periods: 1 });
      const el = await shown(store, accountId, subscriptionId, (e) => quick(e, 'unpause'));
      press(quick(el, 'unpause'));
      await focusMovesTo(() => title(el), 'the heading');
      expect(quick(el, 'unpause')).to.equal(null);
    });

    it('"Undo" of a scheduled downgrade moves focus to the heading', async function () {
      this.timeout(20_000);
      const { accountId, subscriptionId } = await subscribe(store);
      const quote = await serverApi<{ id: string }>(store, 'POST', `/subscriptions/${subscriptionId}/change-preview`, {
        planId: 'basic-monthly',
      });
      await serverApi(store, 'POST', `/subscriptions/${subscriptionId}/change`, { quoteId: quote.id });
      const el = await shown(store, accountId, subscriptionId, (e) => quick(e, 'undo'));
      press(quick(el, 'undo'));
      await focusMovesTo(() => title(el), 'the heading');
      expect(quick(el, 'undo')).to.equal(null);
    });

    it('confirming a pause in its dialog moves focus to the heading, as the pause button is gone', async function () {
      this.timeout(30_000);
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await shown(store, accountId, subscriptionId, (e) => detail(e)?.querySelector('[data-opens="pause"]'));
      press(detail(el)!.querySelector<HTMLButtonElement>('[data-opens="pause"]'));
      const footer = (text: string) =>
        [...detail(el)!.querySelectorAll<HTMLButtonElement>('#dialog-pause [slot="footer"] button')].find((b) =>
          b.textContent!.includes(text),
        );
      await until(
        () => detail(el)!.querySelector('#pause-periods') && footer('Pause subscription'),
        6000,
        'the dialog',
      );
      press(footer('Pause subscription'));
      await focusMovesTo(() => title(el), 'the heading');
      expect(detail(el)!.querySelector('[data-opens="pause"]')).to.equal(null);
    });

    it('"Try again" after the subscription failed to load keeps focus on the back link, then gives it to the heading', async function () {
      this.timeout(20_000);
      const { accountId, subscriptionId } = await subscribe(store);
      restores.push(failNext(new RegExp(`/subscriptions/${subscriptionId}$`)));
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      const retry = () => detail(el)?.querySelector<HTMLButtonElement>('.problem .button');
      await until(retry, 8000, 'the problem');
      press(retry());
      expect(deepActive()).to.equal(detail(el)!.querySelector('.back'));
      await focusMovesTo(() => title(el), 'the heading');
    });
  });

  describe('orders and the invoice', () => {
    let store: TestStore;
    let order: { id: string; accountId: string; fulfilments: { id: string; type: string }[] };
    before(async function () {
      this.timeout(20_000);
      store = await newStore();
      await serverApi(store, 'PUT', '/store/seller', {
        legalName: 'Northwind Software GmbH',
        addressLine1: 'Friedrichstraße 68',
        city: 'Berlin',
        postalCode: '10117',
        country: 'DE',
        email: 'billing@northwind.example',
      });
      order = await orderWithFulfilments(store, uniqueEmail('ada'));
    });

    const detail = (el: AccountPortal) => screen(el, 'ap-order-detail');
    const invoice = (el: AccountPortal) => detail(el)?.querySelector('ap-order-invoice')?.shadowRoot;

    it('"Try again" on the orders list keeps focus on the heading while the list loads', async function () {
      this.timeout(20_000);
      restores.push(failNext(/\/orders\?limit=/));
      const el = await mount(store, order.accountId, '/orders');
      const list = () => screen(el, 'ap-orders');
      await until(() => list()?.querySelector('.problem .button'), 8000, 'the problem');
      press(list()!.querySelector<HTMLButtonElement>('.problem .button'));
      await focusMovesTo(() => list()!.querySelector('#title'), 'the heading');
      await until(() => list()!.querySelector('tbody tr[part="row"]'), 6000, 'the orders');
      expect(deepActive()).to.equal(list()!.querySelector('#title'));
    });

    it('"Try again" after "Load more" failed gives focus to the "Load more" button, then to the first new order', async function () {
      this.timeout(30_000);
      const email = uniqueEmail('many');
      let accountId = '';
      for (let i = 0; i < 3; i++) accountId = (await orderWithFulfilments(store, email)).accountId;
      const url = await authUrlFor(store, accountId);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url} no-hash-routing
        route="/orders"></account-portal>`);
      const list = () => el.shadowRoot!.querySelector('ap-orders');
      await until(() => list(), 6000, 'the list element');
      list()!.pageSize = 2;
      await until(() => list()!.shadowRoot!.querySelector('.more .button'), 8000, 'Load more');
      restores.push(failNext(/\/orders\?limit=2&cursor=/));
      press(list()!.shadowRoot!.querySelector<HTMLButtonElement>('.more .button'));
      const retry = () => list()!.shadowRoot!.querySelector<HTMLButtonElement>('.problem .button');
      await until(retry, 6000, 'the problem');
      press(retry());
      await focusMovesTo(
        () => list()!.shadowRoot!.querySelectorAll('tbody .reference a')[2],
        'the first order of the new page',
      );
    });

    it('"Correct billing details" moves focus into the form; Cancel and Save give it back to the button', async function () {
      this.timeout(30_000);
      const el = await mount(store, order.accountId, `/orders/${order.id}`);
      const correct = () => invoice(el)?.querySelector<HTMLButtonElement>('.correct');
      await until(correct, 8000, 'the invoice');
      press(correct());
      await focusMovesTo(() => invoice(el)!.querySelector('form input'), 'the first field');
      const formButton = (index: number) =>
        invoice(el)!.querySelectorAll<HTMLButtonElement>('form .actions .button')[index];
      press(formButton(1));
      await focusMovesTo(correct, '"Correct billing details"');
      press(correct());
      await focusMovesTo(() => invoice(el)!.querySelector('form input'), 'the first field');
      press(formButton(0));
      await focusMovesTo(correct, '"Correct billing details" after saving');
    });

    it('a download the store revoked meanwhile: focus goes from its button to the line saying so', async function () {
      this.timeout(20_000);
      const fresh = await orderWithFulfilments(store, uniqueEmail('rory'));
      const el = await mount(store, fresh.accountId, `/orders/${fresh.id}`);
      const button = () => detail(el)?.querySelector<HTMLButtonElement>('.download .button');
      await until(button, 8000, 'the order');
      const downloadId = fresh.fulfilments.find((f: { type: string }) => f.type === 'download').id;
      await serverApi(store, 'POST', `/orders/${fresh.id}/fulfilments/${downloadId}/revoke`);
      press(button());
      await focusMovesTo(() => detail(el)!.querySelector('.download.revoked .download-status'), 'the revoked note');
    });

    it('"Try again" after the order failed to load keeps focus on the back link, then gives it to the heading', async function () {
      this.timeout(20_000);
      restores.push(failNext(new RegExp(`/orders/${order.id}$`)));
      const el = await mount(store, order.accountId, `/orders/${order.id}`);
      const retry = () => detail(el)?.querySelector<HTMLButtonElement>('.problem .button');
      await until(retry, 8000, 'the problem');
      press(retry());
      expect(deepActive()).to.equal(detail(el)!.querySelector('.back'));
      await focusMovesTo(() => detail(el)!.querySelector('.head .title'), 'the heading');
    });
  });

  describe('<ap-payment-methods>', () => {
    it('"Try again" after the cards failed to load keeps focus on the heading', async function () {
      this.timeout(20_000);
      const store = await newStore();
      await planFamily(store, [['pro-monthly', 'Pro', 1900]]);
      const { accountId } = await subscribe(store);
      restores.push(failNext(/\/payment-methods$/));
      const el = await mount(store, accountId, '/payment-methods');
      const methods = () => screen(el, 'ap-payment-methods');
      await until(() => methods()?.querySelector('.problem .button'), 8000, 'the problem');
      press(methods()!.querySelector<HTMLButtonElement>('.problem .button'));
      await focusMovesTo(() => methods()!.querySelector('#title'), 'the heading');
      await until(() => methods()!.querySelector('.method[data-id]'), 6000, 'the cards');
    });
  });

  describe('<account-portal> and <ap-sign-in>', () => {
    const signInHeading = (el: AccountPortal) => deepQuery(el, 'ap-sign-in')?.shadowRoot?.querySelector('h2');

    it('"Sign out" moves focus to the sign-in heading', async function () {
      this.timeout(20_000);
      const store = await newStore();
      const account = await serverApi<{ id: string }>(store, 'POST', '/accounts', { email: uniqueEmail() });
      const el = await mount(store, account.id, '/orders');
      const signOut = () => el.shadowRoot!.querySelector<HTMLButtonElement>('.who .button');
      await until(signOut, 8000, 'signed in');
      press(signOut());
      await focusMovesTo(() => signInHeading(el), 'the sign-in heading');
    });

    it('"Sign in with a password" and back to the link move focus to the heading', async function () {
      this.timeout(20_000);
      const store = await newStore({ passwordLogin: true });
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} no-hash-routing></account-portal>`,
      );
      const signIn = () => deepQuery(el, 'ap-sign-in')?.shadowRoot;
      await until(() => signIn()?.querySelector('.button.link'), 8000, 'the sign-in form');
      press(signIn()!.querySelector<HTMLButtonElement>('.button.link'));
      await focusMovesTo(() => signInHeading(el), 'the heading of the password form');
      expect(signIn()!.querySelector('#password')).to.exist;
      press(signIn()!.querySelector<HTMLButtonElement>('.button.link'));
      await focusMovesTo(() => signInHeading(el), 'the heading of the email form');
    });

    it('"Try again" after the store could not be loaded keeps focus in the portal, then gives it to the screen', async function () {
      this.timeout(20_000);
      const store = await newStore();
      const account = await serverApi<{ id: string }>(store, 'POST', '/accounts', { email: uniqueEmail() });
      restores.push(failNext(/\/config$/));
      const el = await mount(store, account.id, '/orders');
      const retry = () => el.shadowRoot!.querySelector<HTMLButtonElement>('.card[role="alert"] .button');
      await until(retry, 8000, 'the problem');
      press(retry());
      expect(deepActive()).to.not.equal(document.body);
      await focusMovesTo(() => el.shadowRoot!.querySelector('[role="tabpanel"]'), 'the panel');
    });
  });
});
