/**
 * Every screen of the portal, for tests that look at all of them (translations,
 * accessibility in light, dark and right to left): a customer with something on each
 * screen, a way to show each screen (and its dialogs) in a mounted portal, and the
 * rendered text of a portal, shadow roots and slotted content included.
 */
import { fixture, html } from '@open-wc/testing';
import '../../../widget/index';
import type { AccountPortal } from '../../../widget/index';
import type { ApDialog } from '../../../widget/components/dialog/dialog';
import {
  authUrlFor,
  deepQuery,
  newStore,
  orderWithFulfilments,
  planFamily,
  serverApi,
  subscribe,
  testToken,
  uniqueEmail,
  until,
  type TestStore,
} from './fixtures';

export interface World {
  store: TestStore;
  accountId: string;
  orderId: string;
  /** An order in yen (no minor units), for the locale checks of money. */
  yenOrderId: string;
  yenCompletedAt: string;
  subscriptionId: string;
}

const seller = {
  legalName: 'Northwind Software GmbH',
  addressLine1: 'Friedrichstraße 68',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
  email: 'billing@northwind.example',
};

/**
 * A store whose customer has a subscription (paid with a Visa, with plans to change to),
 * an order with a licence key, a download, instructions, an invoice and a partial refund
 * with its credit note, an order in
 * yen, and three saved cards: the default, one expiring soon and an expired one.
 */
export async function richWorld(): Promise<World> {
  const store = await newStore({ pauseEnabled: true, allowImmediateCancel: true, passwordLogin: true });
  await serverApi(store, 'PUT', '/store/seller', seller);
  await planFamily(store, [
    ['studio-lite', 'Studio Lite', 900],
    ['studio-plus', 'Studio Plus', 1900],
    ['studio-max', 'Studio Max', 4900],
  ]);
  const email = uniqueEmail('ada');
  const { accountId, subscriptionId } = await subscribe(store, { email, product: 'studio-plus' });
  const order = await orderWithFulfilments(store, email, { billingDetails: { country: 'GB', postalCode: 'SW1Y 4JH' } });
  // Part of it refunded: the order shows what was refunded and its credit note.
  await serverApi(store, 'POST', `/orders/${order.id}/refunds`, { amount: 1000 });
  const yenCompletedAt = '2026-01-15T09:30:00Z';
  const yen = await serverApi<{ id: string }>(store, 'POST', '/orders', {
    customer: { email },
    currency: 'JPY',
    completedAt: yenCompletedAt,
    items: [{ product: 'brush-library', displayName: 'Brush Library', quantity: 1, unitPrice: 4900 }],
  });
  const soon = new Date();
  soon.setUTCMonth(soon.getUTCMonth() + 1);
  for (const card of [
    { brand: 'mastercard', last4: '4444', expMonth: soon.getUTCMonth() + 1, expYear: soon.getUTCFullYear() },
    { brand: 'amex', last4: '0005', expMonth: 1, expYear: 2024 },
  ]) {
    await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, { token: testToken(card), ...card });
  }
  return { store, accountId, orderId: order.id, yenOrderId: yen.id, yenCompletedAt, subscriptionId };
}

/** The portal signed in as the world's customer, on `route`, in `lang` (routes through properties, not the hash). */
export async function mountPortal(world: World, lang = 'en', route = '/orders'): Promise<AccountPortal> {
  const url = await authUrlFor(world.store, world.accountId);
  const el = await fixture<AccountPortal>(html`<account-portal store=${world.store.id} auth-url=${url} lang=${lang}
    no-hash-routing route=${route}></account-portal>`);
  await until(() => el.shadowRoot!.querySelector('[role="tablist"]'), 8000, 'signed in');
  return el;
}

/** The portal signed out, at its sign-in screen. */
export async function mountSignIn(world: World, lang = 'en'): Promise<AccountPortal> {
  sessionStorage.clear();
  const el = await fixture<AccountPortal>(
    html`<account-portal store=${world.store.id} lang=${lang} no-hash-routing></account-portal>`,
  );
  await until(() => deepQuery(el, 'ap-sign-in')?.shadowRoot?.querySelector('input#email'), 8000, 'the sign-in form');
  return el;
}

const panel = (el: AccountPortal, tag: string) => el.shadowRoot!.querySelector(tag)?.shadowRoot ?? null;
const openDialog = (dialog: Element | null | undefined) =>
  (dialog as ApDialog | null)?.shadowRoot?.querySelector('dialog')?.open === true;

/** Ends the fade-in of every open dialog: axe would read colours half-way through it. */
export function settleDialogs(el: AccountPortal): void {
  const visit = (root: ShadowRoot | null | undefined) => {
    if (!root) return;
    for (const element of root.querySelectorAll('*')) {
      if (element.localName === 'dialog') element.getAnimations().forEach((animation) => animation.finish());
      visit(element.shadowRoot);
    }
  };
  visit(el.shadowRoot);
}

export interface Screen {
  name: string;
  /** Shows the screen in a portal mounted with `mountPortal`, and waits until it has its content. */
  show(el: AccountPortal, world: World): Promise<void>;
  /** Takes down what `show` opened on top of its route (a dialog), if anything. */
  leave?(el: AccountPortal): Promise<void>;
}

async function go(el: AccountPortal, route: string, ready: () => unknown, what: string): Promise<void> {
  el.route = route;
  await until(ready, 8000, what);
  await el.updateComplete;
}

const subscriptionDialog = (kind: 'change' | 'cancel' | 'pause', ready: string): Screen => ({
  name: `${kind} dialog`,
  async show(el, world) {
    await go(
      el,
      `/subscriptions/${world.subscriptionId}/${kind}`,
      () =>
        openDialog(panel(el, 'ap-subscription-detail')?.querySelector(`#dialog-${kind}`)) &&
        panel(el, 'ap-subscription-detail')!.querySelector(ready),
      `the ${kind} dialog`,
    );
    settleDialogs(el);
  },
  async leave(el) {
    const id = el.route.split('/')[2];
    await go(
      el,
      `/subscriptions/${id}`,
      () => !openDialog(panel(el, 'ap-subscription-detail')?.querySelector(`#dialog-${kind}`)),
      'the dialog to close',
    );
  },
});

const paymentMethods = (el: AccountPortal) => panel(el, 'ap-payment-methods');
const setupDialog = (el: AccountPortal) =>
  paymentMethods(el)?.querySelector('ap-payment-method-setup')?.shadowRoot?.querySelector('ap-dialog');

/** Every screen and dialog a signed-in customer can reach. */
export const screens: Screen[] = [
  {
    name: 'orders',
    show: (el) => go(el, '/orders', () => panel(el, 'ap-orders')?.querySelector('tbody tr[part="row"]'), 'the orders'),
  },
  {
    name: 'order with its invoice',
    show: (el, world) =>
      go(
        el,
        `/orders/${world.orderId}`,
        () =>
          panel(el, 'ap-order-detail')?.querySelector('.head .title') &&
          panel(el, 'ap-order-detail')?.querySelector('.credit-notes li') &&
          panel(el, 'ap-order-detail')?.querySelector('ap-order-invoice')?.shadowRoot?.querySelector('h3'),
        'the order and its invoice',
      ),
  },
  {
    name: 'invoice correction form',
    async show(el, world) {
      await screens[1].show(el, world);
      const invoice = panel(el, 'ap-order-detail')!.querySelector('ap-order-invoice')!;
      invoice.shadowRoot!.querySelector<HTMLButtonElement>('.correct')!.click();
      await until(() => invoice.shadowRoot!.querySelector('form'), 4000, 'the correction form');
    },
    async leave(el) {
      const invoice = panel(el, 'ap-order-detail')!.querySelector('ap-order-invoice')!;
      [...invoice.shadowRoot!.querySelectorAll<HTMLButtonElement>('form .button.secondary')].pop()!.click();
      await until(() => !invoice.shadowRoot!.querySelector('form'), 4000, 'the form to close');
    },
  },
  {
    name: 'subscriptions',
    show: (el) =>
      go(
        el,
        '/subscriptions',
        () => panel(el, 'ap-subscriptions')?.querySelector('li.item:not([aria-hidden])'),
        'the list',
      ),
  },
  {
    name: 'subscription',
    show: (el, world) =>
      go(
        el,
        `/subscriptions/${world.subscriptionId}`,
        () => panel(el, 'ap-subscription-detail')?.querySelector('#title'),
        'the subscription',
      ),
  },
  subscriptionDialog('change', '[id^="change-plan-"]'),
  subscriptionDialog('cancel', '#cancel-reason-0'),
  subscriptionDialog('pause', '#pause-periods'),
  {
    name: 'payment methods',
    show: (el) =>
      go(
        el,
        '/payment-methods',
        () =>
          paymentMethods(el)?.querySelectorAll('.method[data-id]').length === 3 &&
          paymentMethods(el)?.querySelector('.subscription select'),
        'the payment methods',
      ),
  },
  {
    name: 'remove card dialog',
    async show(el, world) {
      await screens[8].show(el, world);
      paymentMethods(el)!.querySelector<HTMLButtonElement>('.method [data-action="remove"]')!.click();
      await until(() => openDialog(paymentMethods(el)!.querySelector('.remove-dialog')), 4000, 'the remove dialog');
      settleDialogs(el);
    },
    async leave(el) {
      paymentMethods(el)!.querySelector<HTMLButtonElement>('.remove-dialog .keep')!.click();
      await until(() => !openDialog(paymentMethods(el)!.querySelector('.remove-dialog')), 4000, 'the dialog to close');
    },
  },
  {
    name: 'add card dialog',
    async show(el, world) {
      await screens[8].show(el, world);
      paymentMethods(el)!.querySelector<HTMLButtonElement>('.head .add')!.click();
      await until(
        () => {
          const frame = setupDialog(el)?.querySelector<HTMLIFrameElement>('iframe');
          return (
            openDialog(setupDialog(el)) &&
            frame?.contentDocument?.readyState === 'complete' &&
            frame.contentDocument.querySelector('#card-number')
          );
        },
        8000,
        'the card form',
      );
      settleDialogs(el);
    },
    async leave(el) {
      setupDialog(el)!.shadowRoot!.querySelector<HTMLButtonElement>('.close')!.click();
      await until(() => !openDialog(setupDialog(el)), 4000, 'the dialog to close');
    },
  },
  {
    name: 'account',
    show: (el) =>
      go(
        el,
        '/account',
        () =>
          panel(el, 'ap-account-form')?.querySelector<HTMLInputElement>('#contact-email')?.value &&
          panel(el, 'ap-account-form')?.querySelector('ap-password-settings')?.shadowRoot?.querySelector('form') &&
          panel(el, 'ap-activity')?.querySelector('li[data-id]'),
        'the account form, its password card and the activity log',
      ),
  },
];

/** Text a customer sees or hears: text nodes and the labels in attributes, with bidi controls and runs of spaces cleaned out. */
export function renderedTexts(root: Node): string[] {
  const out: string[] = [];
  const clean = (text: string) =>
    text
      .replace(/[\u2066-\u2069\u200e\u200f\u061c]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = clean(node.textContent ?? '');
      if (text) out.push(text);
      return;
    }
    if (node instanceof Element) {
      if (node.localName === 'style' || node.localName === 'script') return;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = node.getAttribute(name);
        if (value && clean(value)) out.push(clean(value));
      }
      if (node.shadowRoot) node.shadowRoot.childNodes.forEach(walk);
    }
    node.childNodes.forEach(walk);
  };
  walk(root);
  return out;
}

/**
 * Controls whose `aria-label` does not contain their visible text (WCAG 2.5.3, axe's
 * label-content-name-mismatch): a speech user says what they see. Checked in every
 * language, since a translation can inflect the words of one and not of the other.
 */
export function labelsWithoutTheirText(root: Node): string[] {
  const clean = (text: string) =>
    text
      .replace(/[\u2066-\u2069\u200e\u200f\u061c]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .toLocaleLowerCase();
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof HTMLElement) {
      // Controls named from their content (a region's or a list's label names a container, not a control).
      const control = node.matches('button, a[href], [role="button"], [role="link"], [role="tab"]');
      const label = control ? node.getAttribute('aria-label') : null;
      const text = clean(node.innerText ?? '');
      // Text of letters only: a "+" or "×" is a symbol, which the label names in words.
      if (label && /\p{L}/u.test(text) && !clean(label).includes(text))
        out.push(`"${label}" does not contain "${text}"`);
      if (node.shadowRoot) node.shadowRoot.childNodes.forEach(walk);
    }
    node.childNodes.forEach(walk);
  };
  walk(root);
  return out;
}
