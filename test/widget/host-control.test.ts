import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApDialog } from '../../widget/components/dialog/dialog';
import { ApPaymentMethodSetup } from '../../widget/components/payment-method-setup/payment-method-setup';
import { ApPaymentMethods } from '../../widget/components/payment-methods/payment-methods';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { ApSubscriptionDetail } from '../../widget/components/subscription-detail/subscription-detail';
import { ApSubscriptions } from '../../widget/components/subscriptions/subscriptions';
import {
  ApRequestCancelSubscriptionEvent,
  ApRequestChangePlanEvent,
  ApRequestEvent,
  ApRequestPauseSubscriptionEvent,
  ApRequestRemovePaymentMethodEvent,
  ApRequestRenewSubscriptionEvent,
  ApRequestUpdatePaymentMethodEvent,
} from '../../widget/events';
import {
  authUrlFor,
  newStore,
  nextEvent,
  planFamily,
  serverApi,
  subscribe,
  testToken,
  until,
  type TestStore,
} from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApDialog.define('ap-dialog');
ApSubscriptions.define('ap-subscriptions');
ApSubscriptionDetail.define('ap-subscription-detail');
ApPaymentMethods.define('ap-payment-methods');
ApPaymentMethodSetup.define('ap-payment-method-setup');

const DAY = 86_400_000;
const originalUrl = location.href;
const cleanups: (() => void)[] = [];

afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

/** Listens on the page's document, as a host page would; removed after the test. */
function onPage<K extends keyof GlobalEventHandlersEventMap>(
  name: K,
  listener: (event: GlobalEventHandlersEventMap[K]) => void,
): void {
  document.addEventListener(name, listener);
  cleanups.push(() => document.removeEventListener(name, listener));
}

/** Cancels every `name` request on the page and collects them: the host's own flow takes over. */
function takeOver<K extends keyof GlobalEventHandlersEventMap>(name: K): GlobalEventHandlersEventMap[K][] {
  const taken: GlobalEventHandlersEventMap[K][] = [];
  onPage(name, (event) => {
    event.preventDefault();
    taken.push(event);
  });
  return taken;
}

async function mount(store: TestStore, accountId: string, route: string): Promise<AccountPortal> {
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(
    html`<account-portal store=${store.id} auth-url=${url} no-hash-routing route=${route}></account-portal>`,
  );
}

const detail = (el: AccountPortal) => el.shadowRoot!.querySelector<ApSubscriptionDetail>('ap-subscription-detail');
const root = (el: AccountPortal) => detail(el)!.shadowRoot!;
const loaded = (el: AccountPortal) =>
  until(() => detail(el)?.shadowRoot?.querySelector('#title'), 6000, 'the subscription');
const opens = (el: AccountPortal, kind: string) => root(el).querySelector<HTMLButtonElement>(`[data-opens="${kind}"]`)!;
const isOpen = (el: AccountPortal, kind: string) =>
  Boolean(root(el).querySelector<ApDialog>(`#dialog-${kind}`)?.shadowRoot?.querySelector('dialog')?.open);
const opened = (el: AccountPortal, kind: string) => until(() => isOpen(el, kind), 4000, `the ${kind} dialog`);
/** A moment for anything the widget would do next (a route change, a dialog opening) to have happened. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('<account-portal> host control', () => {
  let store: TestStore;

  before(async () => {
    store = await newStore({ pauseEnabled: true });
    await planFamily(store, [
      ['basic-monthly', 'Basic', 900],
      ['pro-monthly', 'Pro', 1900],
    ]);
  });

  describe('ap-request-cancel-subscription', () => {
    it('fires before the dialog opens, bubbling out of the shadow roots and cancelable, with the subscription', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const request = nextEvent(document, 'ap-request-cancel-subscription');
      opens(el, 'cancel').click();
      const event = await request;
      expect(event).to.be.instanceOf(ApRequestCancelSubscriptionEvent).and.instanceOf(ApRequestEvent);
      expect([event.bubbles, event.composed, event.cancelable]).to.deep.equal([true, true, true]);
      expect(event.target).to.equal(el);
      expect(event.subscription.id).to.equal(subscriptionId);
      expect(event.subscription.actions.cancel).to.equal(true);
      await opened(el, 'cancel');
      expect(el.route).to.equal(`/subscriptions/${subscriptionId}/cancel`);
      expect(event.continue(), 'nothing to continue: it was not canceled').to.equal(false);
    });

    it('canceled, the dialog stays closed; continue() opens it, once, and the customer cancels as usual', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const taken = takeOver('ap-request-cancel-subscription');
      opens(el, 'cancel').click();
      await settle();
      expect(taken).to.have.length(1);
      expect(isOpen(el, 'cancel')).to.equal(false);
      expect(el.route).to.equal(`/subscriptions/${subscriptionId}`);

      // The customer turned the host's retention offer down.
      expect(taken[0].continue()).to.equal(true);
      await opened(el, 'cancel');
      expect(taken, 'continuing does not ask again').to.have.length(1);
      expect(taken[0].continue(), 'a request continues once').to.equal(false);

      const canceled = nextEvent(el, 'ap-subscription-canceled');
      const dialog = root(el).querySelector<ApDialog>('#dialog-cancel')!;
      dialog.querySelector<HTMLInputElement>('input[value="too_expensive"]')!.click();
      dialog.querySelector<HTMLButtonElement>('#cancel-next')!.click();
      await until(() => dialog.querySelector('#cancel-confirm'), 4000, 'the confirmation');
      dialog.querySelector<HTMLButtonElement>('#cancel-confirm')!.click();
      expect((await canceled).reason).to.equal('too_expensive');
      const merchant = await serverApi<{ cancelAtPeriodEnd: boolean }>(
        store,
        'GET',
        `/subscriptions/${subscriptionId}`,
      );
      expect(merchant.cancelAtPeriodEnd).to.equal(true);
    });

    it('a link to …/cancel asks too: canceled, the screen shows the subscription; continue() opens the dialog', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const taken = takeOver('ap-request-cancel-subscription');
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}/cancel`);
      await loaded(el);
      await until(() => taken.length === 1, 4000, 'the request');
      await until(() => el.route === `/subscriptions/${subscriptionId}`, 4000, 'the route without the dialog');
      expect(isOpen(el, 'cancel')).to.equal(false);
      expect(taken[0].continue()).to.equal(true);
      await opened(el, 'cancel');
      expect(el.route).to.equal(`/subscriptions/${subscriptionId}/cancel`);
      expect(taken).to.have.length(1);
    });

    it('the host keeps the customer (pausing instead, through the Server API) and refresh() shows the subscription as it is now', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const taken = takeOver('ap-request-cancel-subscription');
      opens(el, 'cancel').click();
      await until(() => taken.length === 1, 4000, 'the request');
      await serverApi(store, 'POST', `/subscriptions/${subscriptionId}/pause`, { periods: 1 });
      expect(root(el).querySelector('.notice.paused')).to.equal(null);
      el.refresh();
      await until(() => root(el).querySelector('.notice.paused'), 4000, 'the scheduled pause');
      expect(isOpen(el, 'cancel')).to.equal(false);
    });

    it('a listener that continues at once lets the dialog open as if it had not canceled', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      onPage('ap-request-cancel-subscription', (event) => {
        event.preventDefault();
        expect(event.continue()).to.equal(true);
      });
      opens(el, 'cancel').click();
      await opened(el, 'cancel');
    });

    it('continue() is refused once the customer has left the subscription', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const taken = takeOver('ap-request-cancel-subscription');
      opens(el, 'cancel').click();
      await until(() => taken.length === 1, 4000, 'the request');
      el.navigate('/orders');
      await until(() => !detail(el), 4000, 'the orders');
      expect(taken[0].continue()).to.equal(false);
      await settle();
      expect(el.route).to.equal('/orders');
    });
  });

  describe('the other subscription requests', () => {
    const cases = [
      ['change', 'ap-request-change-plan', ApRequestChangePlanEvent],
      ['pause', 'ap-request-pause-subscription', ApRequestPauseSubscriptionEvent],
    ] as const;
    for (const [kind, name, type] of cases) {
      it(`${name}: canceled, no dialog; continue() opens the ${kind} dialog`, async () => {
        const { accountId, subscriptionId } = await subscribe(store);
        const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
        await loaded(el);
        const taken = takeOver(name);
        opens(el, kind).click();
        await settle();
        expect(taken).to.have.length(1);
        expect(taken[0]).to.be.instanceOf(type);
        expect(taken[0].subscription.id).to.equal(subscriptionId);
        expect(isOpen(el, kind)).to.equal(false);
        expect(taken[0].continue()).to.equal(true);
        await opened(el, kind);
        expect(el.route).to.equal(`/subscriptions/${subscriptionId}/${kind}`);
      });
    }

    it('ap-request-renew-subscription: canceled, no dialog (the host takes the payment); continue() opens it', async () => {
      const { accountId, subscriptionId } = await subscribe(store, {
        manual: true,
        completedAt: new Date(Date.now() - 10 * DAY).toISOString(),
      });
      const card = { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 };
      await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, { token: testToken(card), ...card });
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const taken = takeOver('ap-request-renew-subscription');
      opens(el, 'renew').click();
      await settle();
      expect(taken).to.have.length(1);
      expect(taken[0]).to.be.instanceOf(ApRequestRenewSubscriptionEvent);
      expect(taken[0].subscription.renewal).to.equal('manual');
      expect(isOpen(el, 'renew')).to.equal(false);
      expect(taken[0].continue()).to.equal(true);
      await opened(el, 'renew');
    });

    it('continue() is refused when the action is no longer open (the subscription was canceled meanwhile)', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const taken = takeOver('ap-request-pause-subscription');
      opens(el, 'pause').click();
      await until(() => taken.length === 1, 4000, 'the request');
      await serverApi(store, 'POST', `/subscriptions/${subscriptionId}/cancel`, { reason: 'other' });
      el.refresh();
      await until(() => root(el).querySelector('.notice.ending'), 4000, 'the pending cancellation');
      expect(taken[0].continue()).to.equal(false);
      await settle();
      expect(isOpen(el, 'pause')).to.equal(false);
    });

    it('ap-request-update-payment-method from a subscription: canceled, the tab stays; continue() opens Payment methods', async () => {
      const { accountId, subscriptionId } = await subscribe(store);
      const el = await mount(store, accountId, `/subscriptions/${subscriptionId}`);
      await loaded(el);
      const taken = takeOver('ap-request-update-payment-method');
      root(el).querySelector<HTMLButtonElement>('[data-action="payment-method"]')!.click();
      await settle();
      expect(taken.map((e) => e.subscriptionId)).to.deep.equal([subscriptionId]);
      expect(el.route).to.equal(`/subscriptions/${subscriptionId}`);
      expect(taken[0].continue()).to.equal(true);
      await until(() => el.route === '/payment-methods', 4000, 'the Payment methods tab');
    });
  });

  describe('on the payment methods tab', () => {
    const tab = (el: AccountPortal) => el.shadowRoot!.querySelector('ap-payment-methods');
    const methodsRoot = (el: AccountPortal) => tab(el)!.shadowRoot!;
    const rows = (el: AccountPortal) => [
      ...(tab(el)?.shadowRoot?.querySelectorAll<HTMLElement>('.method:not(.skeleton-row)') ?? []),
    ];
    const removeDialogOpen = (el: AccountPortal) =>
      Boolean(
        methodsRoot(el).querySelector<ApDialog>('ap-dialog.remove-dialog')?.shadowRoot?.querySelector('dialog')?.open,
      );
    const setup = (el: AccountPortal) =>
      methodsRoot(el).querySelector<ApPaymentMethodSetup>('ap-payment-method-setup')!;
    const setupOpen = (el: AccountPortal) =>
      Boolean(setup(el).shadowRoot!.querySelector('ap-dialog')?.shadowRoot?.querySelector('dialog')?.open);

    async function withTwoCards(): Promise<{ el: AccountPortal; accountId: string }> {
      const { accountId } = await subscribe(store);
      const card = { brand: 'mastercard', last4: '4444', expMonth: 8, expYear: 2033 };
      await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, { token: testToken(card), ...card });
      const el = await mount(store, accountId, '/payment-methods');
      await until(() => rows(el).length === 2, 6000, 'two cards');
      return { el, accountId };
    }

    it('ap-request-remove-payment-method: canceled, no confirmation; continue() opens it for the same card', async () => {
      const { el } = await withTwoCards();
      const taken = takeOver('ap-request-remove-payment-method');
      const row = rows(el).find((r) => r.textContent!.includes('4444'))!;
      row.querySelector<HTMLButtonElement>('[data-action="remove"]')!.click();
      await settle();
      expect(taken).to.have.length(1);
      expect(taken[0]).to.be.instanceOf(ApRequestRemovePaymentMethodEvent);
      expect(taken[0].cancelable).to.equal(true);
      expect(taken[0].paymentMethod.last4).to.equal('4444');
      expect(removeDialogOpen(el)).to.equal(false);
      expect(taken[0].continue()).to.equal(true);
      await until(() => removeDialogOpen(el), 4000, 'the confirmation');
      expect(methodsRoot(el).querySelector('ap-dialog.remove-dialog')!.getAttribute('label')).to.include('4444');
    });

    it('ap-request-update-payment-method: canceled, no card form; continue() opens it; refresh() shows a card the host added', async () => {
      const { el, accountId } = await withTwoCards();
      const taken = takeOver('ap-request-update-payment-method');
      methodsRoot(el).querySelector<HTMLButtonElement>('.head .add')!.click();
      await settle();
      expect(taken).to.have.length(1);
      expect(taken[0]).to.be.instanceOf(ApRequestUpdatePaymentMethodEvent);
      expect(setupOpen(el)).to.equal(false);
      expect(taken[0].continue()).to.equal(true);
      await until(() => setupOpen(el), 4000, 'the card form');
      expect(taken, 'continuing does not ask again').to.have.length(1);

      const card = { brand: 'amex', last4: '0005', expMonth: 1, expYear: 2035 };
      await serverApi(store, 'POST', `/accounts/${accountId}/payment-methods`, { token: testToken(card), ...card });
      el.refresh();
      await until(() => rows(el).length === 3, 6000, 'the card the host added');
    });
  });
});
