import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApDialog } from '../../widget/components/dialog/dialog';
import { ApPaymentMethodSetup } from '../../widget/components/payment-method-setup/payment-method-setup';
import { ApPaymentMethods } from '../../widget/components/payment-methods/payment-methods';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import type { ApRequestUpdatePaymentMethodEvent } from '../../widget/events';
import {
  authUrlFor,
  newStore,
  nextEvent,
  planFamily,
  serverApi,
  storedSessionToken,
  subscribe,
  testToken,
  uniqueEmail,
  until,
  type TestStore,
} from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApDialog.define('ap-dialog');
ApPaymentMethods.define('ap-payment-methods');
ApPaymentMethodSetup.define('ap-payment-method-setup');

afterEach(() => sessionStorage.clear());

/** Two monthly plans of one family. */
const catalog = (store: TestStore) =>
  planFamily(store, [
    ['pro-monthly', 'Pro', 1900],
    ['team-monthly', 'Team', 4900],
  ]);

/** Saves a card as the merchant's backend would (the Server API takes any expiry). */
function attach(
  store: TestStore,
  accountId: string,
  card: { brand: string; last4: string; expMonth: number; expYear: number },
) {
  return serverApi<{ id: string }>(store, 'POST', `/accounts/${accountId}/payment-methods`, {
    token: testToken(card),
    ...card,
  });
}

const savedMethods = (store: TestStore, accountId: string) =>
  serverApi<{ data: { id: string; last4: string; isDefault: boolean }[] }>(
    store,
    'GET',
    `/accounts/${accountId}/payment-methods`,
  ).then((body) => body.data);

async function mount(store: TestStore, accountId: string): Promise<AccountPortal> {
  const authUrl = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(html`
    <account-portal store=${store.id} auth-url=${authUrl} no-hash-routing route="/payment-methods"></account-portal>`);
}

const tab = (el: AccountPortal) => el.shadowRoot!.querySelector('ap-payment-methods');
const root = (el: AccountPortal) => tab(el)!.shadowRoot!;
const rows = (el: AccountPortal) => [
  ...(tab(el)?.shadowRoot?.querySelectorAll<HTMLElement>('.method:not(.skeleton-row)') ?? []),
];
const rowOf = (el: AccountPortal, last4: string) => rows(el).find((row) => text(row).includes(`•••• ${last4}`));
const text = (node: Element | null | undefined) =>
  (node as HTMLElement | null)?.innerText.replace(/\s+/g, ' ').trim() ?? '';
const button = (scope: Element | ShadowRoot, action: string) =>
  scope.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
const notice = (el: AccountPortal) => text(root(el).querySelector('.notice.success'));
const listed = (el: AccountPortal, count: number) =>
  until(() => rows(el).length === count, 6000, `${count} payment methods`);
const removeDialog = (el: AccountPortal) => root(el).querySelector<ApDialog>('ap-dialog.remove-dialog')!;
const setupElement = (el: AccountPortal) => root(el).querySelector<ApPaymentMethodSetup>('ap-payment-method-setup')!;
const setupDialog = (el: AccountPortal) => setupElement(el).shadowRoot!.querySelector<ApDialog>('ap-dialog')!;
const nativeDialog = (dialog: ApDialog) => dialog.shadowRoot!.querySelector('dialog')!;
const frame = (el: AccountPortal) => setupElement(el).shadowRoot!.querySelector('iframe');

/** Ends the dialog's fade-in at once: axe would measure colours half-way through it. */
const settled = (dialog: ApDialog) =>
  nativeDialog(dialog)
    .getAnimations()
    .forEach((animation) => animation.finish());

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The gateway's card form inside the iframe, once its script has run. */
async function cardForm(el: AccountPortal): Promise<Document> {
  await until(
    () =>
      frame(el)?.contentDocument?.querySelector('#card-number') &&
      frame(el)!.contentDocument!.readyState === 'complete',
    8000,
    'the card form',
  );
  return frame(el)!.contentDocument!;
}

/** Types a card into the gateway's page with the keyboard and submits it. */
async function enterCard(page: Document, number: string): Promise<void> {
  for (const [id, value] of [
    ['card-number', number],
    ['card-expiry', '12/34'],
    ['card-cvc', '123'],
  ]) {
    const field = page.getElementById(id) as HTMLInputElement;
    field.focus();
    await sendKeys({ type: value });
  }
  page.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<ap-payment-methods>', () => {
  describe('the list', () => {
    it('shows each card with brand, last 4, expiry, badges and the subscriptions it pays for', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const now = new Date();
      await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 1, expYear: 2021 });
      await attach(store, accountId, {
        brand: 'amex',
        last4: '0005',
        expMonth: now.getUTCMonth() + 1,
        expYear: now.getUTCFullYear(),
      });
      const el = await mount(store, accountId);
      await listed(el, 3);

      const visa = rowOf(el, '4242')!;
      expect(text(visa))
        .to.include('Visa •••• 4242')
        .and.include('Expires 12/34')
        .and.include('Default')
        .and.include('Pays for Pro');
      expect(visa.querySelector('.visually-hidden')!.textContent).to.equal('Visa ending in 4242');
      expect(visa.querySelector('.mark.visa')).to.exist;
      expect(button(visa, 'default')).to.be.null;

      const expired = rowOf(el, '4444')!;
      expect(text(expired)).to.include('Mastercard •••• 4444').and.include('Expired 01/21');
      expect(expired.querySelector('.badge.expired')!.textContent).to.equal('Expired');
      expect(button(expired, 'replace')).to.exist;

      const soon = rowOf(el, '0005')!;
      expect(text(soon)).to.include('American Express •••• 0005');
      expect(soon.querySelector('.badge.soon')!.textContent).to.equal('Expires soon');
      expect(button(soon, 'default')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('says when there are no saved payment methods and offers to add one', async () => {
      const store = await newStore();
      const order = await serverApi<{ accountId: string }>(store, 'POST', '/orders', {
        customer: { email: uniqueEmail('bo') },
        currency: 'USD',
        savePaymentMethod: false,
        items: [{ product: 'ebook', displayName: 'E-book', quantity: 1, unitPrice: 900 }],
      });
      const el = await mount(store, order.accountId);
      await until(() => tab(el)?.shadowRoot?.querySelector('.empty'), 6000, 'the empty state');
      expect(text(root(el).querySelector('.empty'))).to.include('No saved payment methods');
      expect(root(el).querySelector('.empty .button')!.textContent).to.include('Add a payment method');
      await expect(el).to.be.accessible();
    });
  });

  describe('make default', () => {
    it('makes another card the default, says so and fires ap-payment-method-updated', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const master = await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const el = await mount(store, accountId);
      await listed(el, 2);
      const updated = nextEvent(el, 'ap-payment-method-updated');
      button(rowOf(el, '4444')!, 'default').click();
      const event = await updated;
      expect(event.paymentMethods.find((m) => m.isDefault)!.id).to.equal(master.id);
      await until(() => rowOf(el, '4444')?.querySelector('.badge.default'), 4000, 'the default badge');
      expect(rows(el)[0]).to.equal(rowOf(el, '4444'));
      expect(rowOf(el, '4242')!.querySelector('.badge.default')).to.be.null;
      expect(notice(el)).to.equal('Mastercard •••• 4444 is now your default payment method.');
      expect(deepActive()!.id).to.equal(`name-${master.id}`);
      expect((await savedMethods(store, accountId)).find((m) => m.isDefault)!.id).to.equal(master.id);
    });
  });

  describe('remove', () => {
    it('asks first, says where the subscriptions go, and keeps the card on "Keep it"', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const el = await mount(store, accountId);
      await listed(el, 2);
      const remove = button(rowOf(el, '4242')!, 'remove');
      remove.focus();
      remove.click();
      const dialog = removeDialog(el);
      await until(() => nativeDialog(dialog).open, 2000, 'the dialog');
      expect(nativeDialog(dialog).getAttribute('role')).to.equal('alertdialog');
      expect(text(dialog.shadowRoot!.getElementById('title'))).to.equal('Remove Visa •••• 4242?');
      expect(text(dialog))
        .to.include('Mastercard •••• 4444 will become your default payment method.')
        .and.include('Pro will be charged to Mastercard •••• 4444 from now on.');
      expect(deepActive()!.textContent!.trim()).to.equal('Keep it');
      settled(dialog);
      await expect(el).to.be.accessible();

      (deepActive() as HTMLButtonElement).click();
      await until(() => !nativeDialog(dialog).open, 2000, 'the dialog to close');
      expect(deepActive()).to.equal(remove);
      expect(rows(el)).to.have.length(2);
    });

    it('names the card the server says takes over, never one of its own choosing', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const expired = await attach(store, accountId, { brand: 'visa', last4: '1111', expMonth: 1, expYear: 2020 });
      // The server's list, with the default's successor swapped for the expired card: a choice no rule of the widget's would make.
      const real = window.fetch;
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await real(input, init);
        if (!String(input).endsWith('/payment-methods') || (init?.method ?? 'GET') !== 'GET') return response;
        const body = (await response.json()) as { data: { isDefault: boolean; successorId: string | null }[] };
        for (const method of body.data) if (method.isDefault) method.successorId = expired.id;
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      try {
        const el = await mount(store, accountId);
        await listed(el, 3);
        button(rowOf(el, '4242')!, 'remove').click();
        const dialog = removeDialog(el);
        await until(() => nativeDialog(dialog).open, 2000, 'the dialog');
        expect(text(dialog))
          .to.include('Visa •••• 1111 will become your default payment method.')
          .and.include('Pro will be charged to Visa •••• 1111 from now on.');
      } finally {
        window.fetch = real;
      }
    });

    it('removes the card after the confirmation', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const el = await mount(store, accountId);
      await listed(el, 2);
      button(rowOf(el, '4444')!, 'remove').click();
      await until(() => nativeDialog(removeDialog(el)).open, 2000, 'the dialog');
      const updated = nextEvent(el, 'ap-payment-method-updated');
      removeDialog(el).querySelector<HTMLButtonElement>('.confirm')!.click();
      expect((await updated).paymentMethods.map((m) => m.last4)).to.deep.equal(['4242']);
      await listed(el, 1);
      expect(nativeDialog(removeDialog(el)).open).to.equal(false);
      expect(notice(el)).to.equal('Mastercard •••• 4444 was removed.');
      expect((await savedMethods(store, accountId)).map((m) => m.last4)).to.deep.equal(['4242']);
    });

    it('explains in plain words why the only card of an automatic renewal cannot go', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId);
      await listed(el, 1);
      button(rowOf(el, '4242')!, 'remove').click();
      const dialog = removeDialog(el);
      await until(() => nativeDialog(dialog).open, 2000, 'the dialog');
      dialog.querySelector<HTMLButtonElement>('.confirm')!.click();
      await until(() => dialog.querySelector('.dialog-problem')?.textContent, 4000, 'the explanation');
      expect(dialog.querySelector('.dialog-problem')!.getAttribute('role')).to.equal('alert');
      expect(text(dialog.querySelector('.dialog-problem'))).to.equal(
        "You can't remove Visa •••• 4242 yet: it's your only " +
          'payment method, and Pro renews automatically with it. Add another payment method first, then remove this one.',
      );
      expect(dialog.querySelector('.confirm')).to.be.null;
      expect(dialog.querySelector('.add-instead')!.textContent).to.include('Add a payment method');
      expect(await savedMethods(store, accountId)).to.have.length(1);
    });
  });

  describe('the card of each subscription', () => {
    it('switches a subscription to another card', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId, subscriptionId } = await subscribe(store);
      const master = await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const el = await mount(store, accountId);
      await listed(el, 2);
      await until(() => root(el).getElementById(`method-for-${subscriptionId}`), 4000, 'the subscription select');
      const select = root(el).getElementById(`method-for-${subscriptionId}`) as HTMLSelectElement;
      expect(root(el).querySelector(`label[for="${select.id}"]`)!.textContent).to.equal('Pro');
      expect(select.selectedOptions[0].textContent).to.equal('Visa ending in 4242');
      const updated = nextEvent(el, 'ap-payment-method-updated');
      select.value = master.id;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const event = await updated;
      expect(
        event.paymentMethods.find((m) => m.id === master.id)!.subscriptions.map((s) => s.productName),
      ).to.deep.equal(['Pro']);
      expect(notice(el)).to.equal('Pro is now paid with Mastercard •••• 4444.');
      await until(() => text(rowOf(el, '4444')).includes('Pays for Pro'), 2000, 'the usage');
      expect(text(rowOf(el, '4242'))).not.to.include('Pays for');
      const stored = await serverApi<{ paymentMethodId: string }>(store, 'GET', `/subscriptions/${subscriptionId}`);
      expect(stored.paymentMethodId).to.equal(master.id);
    });

    it('turns on automatic renewal when a card is chosen for a manual-renewal subscription', async () => {
      const store = await newStore();
      await catalog(store);
      const email = uniqueEmail('ada');
      const { accountId } = await subscribe(store, { email });
      const manual = await subscribe(store, { email, product: 'team-monthly', manual: true });
      const el = await mount(store, accountId);
      await listed(el, 1);
      await until(
        () => root(el).getElementById(`method-for-${manual.subscriptionId}`),
        4000,
        'the subscription select',
      );
      const select = root(el).getElementById(`method-for-${manual.subscriptionId}`) as HTMLSelectElement;
      const hint = root(el).getElementById(select.getAttribute('aria-describedby')!)!;
      expect(hint.textContent).to.include('Renews manually').and.include('Choosing a card turns on automatic renewal');
      expect(select.value).to.equal('');
      const [visa] = await savedMethods(store, accountId);
      const updated = nextEvent(el, 'ap-payment-method-updated');
      select.value = visa.id;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await updated;
      expect(notice(el)).to.equal('Team is now paid with Visa •••• 4242 and renews automatically.');
      await until(() => hint.textContent!.includes('Renews automatically'), 2000, 'the renewal hint');
      const stored = await serverApi<{ autoRenew: boolean }>(store, 'GET', `/subscriptions/${manual.subscriptionId}`);
      expect(stored.autoRenew).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('says why a change was refused and shows the card in use again', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId, subscriptionId } = await subscribe(store);
      const master = await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const el = await mount(store, accountId);
      await listed(el, 2);
      await until(() => root(el).getElementById(`method-for-${subscriptionId}`), 4000, 'the subscription select');
      const select = root(el).getElementById(`method-for-${subscriptionId}`) as HTMLSelectElement;
      const visaId = select.value;
      const real = window.fetch;
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
        String(input).endsWith('/payment-method')
          ? Promise.resolve(
              new Response(JSON.stringify({ error: { code: 'subscription_busy', message: 'busy' } }), {
                status: 409,
                headers: { 'content-type': 'application/json' },
              }),
            )
          : real(input, init);
      try {
        const reported = nextEvent(el, 'ap-error');
        select.value = master.id;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        expect((await reported).code).to.equal('subscription_busy');
      } finally {
        window.fetch = real;
      }
      const problem = root(el).querySelector('.notice.problem')!;
      await until(() => problem.textContent, 2000, 'the problem');
      expect(problem.textContent).to.equal(
        'A payment for this subscription is being processed right now. Please try again in a moment.',
      );
      await until(() => select.value === visaId, 2000, 'the select to show the card in use');
    });
  });

  describe('adding a card', () => {
    it('lets the host page take over: preventDefault() opens no dialog', async () => {
      const store = await newStore();
      await catalog(store);
      const email = uniqueEmail('ada');
      const { accountId } = await subscribe(store, { email });
      const manual = await subscribe(store, { email, product: 'team-monthly', manual: true });
      const el = await mount(store, accountId);
      await listed(el, 1);
      await until(() => button(root(el), 'new-card'), 4000, 'the subscriptions');
      const requests: ApRequestUpdatePaymentMethodEvent[] = [];
      el.addEventListener('ap-request-update-payment-method', (event) => {
        requests.push(event);
        event.preventDefault();
      });
      button(root(el), 'new-card').click();
      root(el).querySelector<HTMLButtonElement>('.head .add')!.click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(requests.map((r) => r.subscriptionId)).to.deep.equal([manual.subscriptionId, null]);
      expect(nativeDialog(setupDialog(el)).open).to.equal(false);
      expect(frame(el)).to.be.null;

      // The host's own flow attaches the card through the Server API, then asks the portal to reload.
      await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      el.refresh();
      await listed(el, 2);
    });

    it("adds a card through the gateway's page in an iframe", async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId);
      await listed(el, 1);
      const request = nextEvent(el, 'ap-request-update-payment-method');
      root(el).querySelector<HTMLButtonElement>('.head .add')!.click();
      expect((await request).subscriptionId).to.equal(null);
      await until(() => nativeDialog(setupDialog(el)).open, 2000, 'the dialog');
      const page = await cardForm(el);
      const src = new URL(frame(el)!.src);
      expect(src.pathname).to.match(/^\/gateway\/test\/setup\/setup_/);
      expect(src.searchParams.get('parent')).to.equal(location.origin);
      expect(frame(el)!.title).to.equal('Card details');
      settled(setupDialog(el));
      await expect(el).to.be.accessible();

      // The frame takes the height its page reports, but only from that page, for this setup.
      const setupId = src.pathname.split('/').pop()!;
      const report = (height: number, origin: string, source: Window | null, id = setupId) =>
        window.dispatchEvent(
          new MessageEvent('message', {
            data: { type: 'ap-payment-method-resize', setupId: id, height },
            origin,
            source,
          }),
        );
      report(111, 'https://evil.example', frame(el)!.contentWindow);
      report(222, location.origin, window);
      report(333, location.origin, frame(el)!.contentWindow, 'setup_someoneelse');
      await setupElement(el).updateComplete;
      expect(frame(el)!.style.height).not.to.be.oneOf(['111px', '222px', '333px']);
      // No message event (a task) can come between these two lines: the height is the one reported here.
      report(321, location.origin, frame(el)!.contentWindow);
      await setupElement(el).updateComplete;
      expect(frame(el)!.style.height).to.equal('321px');

      const updated = nextEvent(el, 'ap-payment-method-updated');
      await enterCard(page, '4242 4242 4242 4242'.replace(/ /g, ''));
      const event = await updated;
      expect(event.paymentMethods).to.have.length(2);
      await listed(el, 2);
      expect(nativeDialog(setupDialog(el)).open).to.equal(false);
      const [original] = await savedMethods(store, accountId).then((all) => all.filter((m) => m.isDefault));
      const added = event.paymentMethods.find((m) => m.id !== original.id)!;
      expect(added.isDefault).to.equal(false);
      expect(notice(el)).to.equal('Visa •••• 4242 was added.');
      await until(() => deepActive()?.id === `name-${added.id}`, 2000, 'focus on the new card');
      expect(text(rows(el).find((row) => row.dataset.id === added.id))).to.include('Expires 12/34');
      expect(await savedMethods(store, accountId)).to.have.length(2);
    });

    it('replaces an expiring card: the new one takes over its subscriptions and default, the old one goes', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId, subscriptionId } = await subscribe(store);
      const now = new Date();
      const expiring = { brand: 'amex', last4: '0005', expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() };
      await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, {
        token: testToken(expiring),
        ...expiring,
        makeDefault: true,
        subscriptionIds: [subscriptionId],
      });
      const el = await mount(store, accountId);
      await listed(el, 2);
      button(rowOf(el, '0005')!, 'replace').click();
      await until(() => nativeDialog(setupDialog(el)).open, 2000, 'the dialog');
      expect(text(setupDialog(el).shadowRoot!.getElementById('title'))).to.equal('Replace American Express •••• 0005');
      await enterCard(await cardForm(el), '5555555555554444');
      await until(() => notice(el).includes('replaced'), 8000, 'the replacement');
      expect(notice(el)).to.equal('Mastercard •••• 4444 replaced American Express •••• 0005.');
      await listed(el, 2);
      const methods = await savedMethods(store, accountId);
      expect(methods.map((m) => [m.last4, m.isDefault])).to.have.deep.members([
        ['4444', true],
        ['4242', false],
      ]);
      const subscription = await serverApi<{ paymentMethod: { last4: string } }>(
        store,
        'GET',
        `/subscriptions/${subscriptionId}`,
      );
      expect(subscription.paymentMethod.last4).to.equal('4444');
    });

    it('says when the card form cannot be opened, and starts again', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId);
      await listed(el, 1);
      const real = window.fetch;
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
        String(input).endsWith('/payment-methods/setup')
          ? Promise.resolve(
              new Response(JSON.stringify({ error: { code: 'gateway_unavailable', message: 'down' } }), {
                status: 503,
                headers: { 'content-type': 'application/json' },
              }),
            )
          : real(input, init);
      try {
        root(el).querySelector<HTMLButtonElement>('.head .add')!.click();
        const status = () => setupElement(el).shadowRoot!.querySelector('.status.problem');
        await until(status, 4000, 'the problem');
        expect(status()!.getAttribute('role')).to.equal('alert');
        expect(status()!.textContent).to.equal("The card form couldn't be opened. Please try again.");
        await until(() => deepActive()?.classList.contains('restart'), 2000, 'focus on "Start again"');
      } finally {
        window.fetch = real;
      }
      (deepActive() as HTMLButtonElement).click();
      await cardForm(el);
      expect(nativeDialog(setupDialog(el)).open).to.equal(true);
    });

    it('says so in plain words when the account started too many card forms', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId);
      await listed(el, 1);
      const token = storedSessionToken(store.id)!;
      // Ten forms opened elsewhere (another tab) use up the hour's allowance.
      for (let i = 0; i < 10; i++) {
        const opened = await fetch(`/portal/${store.id}/payment-methods/setup`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(opened.status).to.equal(201);
      }
      root(el).querySelector<HTMLButtonElement>('.head .add')!.click();
      const status = () => setupElement(el).shadowRoot!.querySelector('.status.problem');
      await until(status, 4000, 'the problem');
      expect(status()!.textContent).to.equal('Too many attempts to add a card. Please try again in an hour.');
    });

    it("shows a decline inside the gateway's page and saves nothing", async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId);
      await listed(el, 1);
      const add = root(el).querySelector<HTMLButtonElement>('.head .add')!;
      add.focus();
      add.click();
      const page = await cardForm(el);
      await enterCard(page, '4000000000000002');
      const alert = page.getElementById('form-alert')!;
      await until(() => !alert.hidden, 6000, 'the decline in the frame');
      expect(alert.textContent).to.equal('Your card was declined. Please try another card.');
      expect(nativeDialog(setupDialog(el)).open).to.equal(true);
      expect(await savedMethods(store, accountId)).to.have.length(1);

      page.getElementById('cancel')!.click();
      await until(() => !nativeDialog(setupDialog(el)).open, 2000, 'the dialog to close');
      expect(deepActive()).to.equal(add);
      expect(rows(el)).to.have.length(1);
    });
  });

  describe('keyboard', () => {
    it('keeps Tab inside the dialog, closes it on Escape and returns focus', async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      await attach(store, accountId, { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 });
      const el = await mount(store, accountId);
      await listed(el, 2);
      const remove = button(rowOf(el, '4444')!, 'remove');
      remove.focus();
      await sendKeys({ press: 'Enter' });
      const dialog = removeDialog(el);
      await until(() => nativeDialog(dialog).open, 2000, 'the dialog');
      const role = () => ['keep', 'confirm', 'close'].find((name) => deepActive()!.classList.contains(name));
      const inside = () => dialog.contains(deepActive()) || dialog.shadowRoot!.contains(deepActive());
      const forward: (string | undefined)[] = [role()];
      for (let i = 0; i < 3; i += 1) {
        await sendKeys({ press: 'Tab' });
        expect(inside(), `Tab ${i + 1} stays inside`).to.equal(true);
        forward.push(role());
      }
      expect(forward).to.deep.equal(['keep', 'confirm', 'close', 'keep']);
      const backward: (string | undefined)[] = [];
      await sendKeys({ down: 'Shift' });
      for (let i = 0; i < 3; i += 1) {
        await sendKeys({ press: 'Tab' });
        backward.push(role());
      }
      await sendKeys({ up: 'Shift' });
      expect(backward).to.deep.equal(['close', 'confirm', 'keep']);
      await sendKeys({ press: 'Escape' });
      await until(() => !nativeDialog(dialog).open, 2000, 'the dialog to close');
      expect(deepActive()).to.equal(remove);
      expect(rows(el)).to.have.length(2);
    });

    it("closes the card dialog on Escape inside the gateway's page and returns focus", async () => {
      const store = await newStore();
      await catalog(store);
      const { accountId } = await subscribe(store);
      const el = await mount(store, accountId);
      await listed(el, 1);
      const add = root(el).querySelector<HTMLButtonElement>('.head .add')!;
      add.focus();
      await sendKeys({ press: 'Enter' });
      const page = await cardForm(el);
      (page.getElementById('card-number') as HTMLInputElement).focus();
      await sendKeys({ press: 'Escape' });
      await until(() => !nativeDialog(setupDialog(el)).open, 2000, 'the dialog to close');
      expect(deepActive()).to.equal(add);
    });
  });
});
