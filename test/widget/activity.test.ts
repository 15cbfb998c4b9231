import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApAccountForm } from '../../widget/components/account-form/account-form';
import { ApActivity } from '../../widget/components/activity/activity';
import { ApOrders } from '../../widget/components/orders/orders';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { authUrlFor, newStore, planFamily, serverApi, subscribe, until, type TestStore } from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApOrders.define('ap-orders');
ApAccountForm.define('ap-account-form');
ApActivity.define('ap-activity');

const originalUrl = location.href;
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

/** Answers requests whose URL matches with `handle` (which may call the real fetch) until the test ends. */
function interceptFetch(match: (url: string) => boolean, handle: (real: () => Promise<Response>) => Promise<Response>) {
  const real = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return match(url) ? handle(() => real(input, init)) : real(input, init);
  };
  cleanups.push(() => {
    window.fetch = real;
  });
}

/** The Account tab of a signed-in `<account-portal>`. */
async function mount(store: TestStore, accountId: string, lang = 'en') {
  location.hash = '#/account';
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url} lang=${lang}></account-portal>`);
}

const activity = (el: AccountPortal) => el.shadowRoot!.querySelector<ApActivity>('ap-activity');
const root = (el: AccountPortal) => activity(el)!.shadowRoot!;
const entries = (el: AccountPortal) => [
  ...(activity(el)?.shadowRoot?.querySelectorAll<HTMLElement>('li[data-id]') ?? []),
];
const listed = (el: AccountPortal, count = 1) =>
  until(() => entries(el).length >= count, 8000, `${count} activity entries`);
const text = (node: Element) => (node as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
const button = (el: AccountPortal, name: string) =>
  [...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === name);

describe('<ap-activity>', () => {
  let store: TestStore;
  before(async () => {
    store = await newStore();
    await planFamily(store, [['pro-monthly', 'Pro', 1900]]);
  });

  it('lists sign-ins and changes newest first: what, when, who, and the device of a sign-in', async () => {
    const { accountId } = await subscribe(store);
    await serverApi(store, 'PATCH', `/accounts/${accountId}`, { phone: '+44 20 7946 0000' });
    const el = await mount(store, accountId);
    await listed(el, 5);
    const lines = entries(el).map(text);
    expect(lines[0]).to.match(/^Signed in from Northwind Test Shop \w{3} \d+, \d{4}, .+ By you Chrome on Linux$/);
    expect(lines[1]).to.match(/^Contact details changed Changed: Phone .+ By Northwind Test Shop$/);
    expect(lines.slice(2).map((line) => line.replace(/ \w{3} \d+, \d{4}, .*$/, ''))).to.deep.equal([
      'Pro started',
      'Visa •••• 4242 added',
      'Account created',
    ]);
    const time = entries(el)[0].querySelector('time')!;
    const at = time.getAttribute('datetime')!;
    expect(time.textContent).to.equal(
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)),
    );
    expect(root(el).querySelector('ol')!.getAttribute('aria-labelledby')).to.equal('activity-title');
    await expect(el).to.be.accessible();
  });

  it('speaks German with lang="de", dates included', async () => {
    const { accountId } = await subscribe(store);
    const el = await mount(store, accountId, 'de');
    await listed(el, 4);
    expect(root(el).querySelector('h2')!.textContent).to.equal('Aktivität');
    const first = text(entries(el)[0]);
    expect(first).to.match(/^Über Northwind Test Shop angemeldet .+ Von Ihnen Chrome auf Linux$/);
    const at = entries(el)[0].querySelector('time')!.getAttribute('datetime')!;
    expect(first).to.include(
      new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)),
    );
    expect(text(entries(el).at(-1)!)).to.match(/^Konto erstellt .+ Von Northwind Test Shop$/);
  });

  it('shows more on request, moving focus to the first entry it added', async () => {
    const { accountId } = await subscribe(store);
    for (let i = 0; i < 9; i++) {
      await serverApi(store, 'PATCH', `/accounts/${accountId}`, { phone: `+44 20 7946 ${1000 + i}` });
    }
    const el = await mount(store, accountId);
    await listed(el, 10);
    expect(entries(el)).to.have.length(10);
    button(el, 'Show more')!.click();
    await listed(el, 13);
    expect(entries(el)).to.have.length(13);
    expect(root(el).activeElement).to.equal(entries(el)[10]);
    expect(text(entries(el)[12])).to.match(/^Account created/);
    expect(button(el, 'Show more')).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('shows placeholder rows while loading, and says so', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    interceptFetch(
      (url) => url.includes('/activity?'),
      async (real) => {
        await held;
        return real();
      },
    );
    const { accountId } = await subscribe(store);
    const el = await mount(store, accountId);
    await until(
      () => activity(el)?.shadowRoot?.querySelector('ol[aria-busy="true"] li[aria-hidden]'),
      8000,
      'skeletons',
    );
    expect(text(root(el).querySelector('[role="status"]')!)).to.equal('Loading your activity…');
    release();
    await listed(el);
  });

  it('reports a failed load in plain words and loads again on "Try again"', async () => {
    let fail = true;
    interceptFetch(
      (url) => url.includes('/activity?'),
      (real) =>
        fail
          ? Promise.resolve(
              new Response(JSON.stringify({ error: { code: 'internal_error', message: 'boom' } }), {
                status: 500,
                headers: { 'content-type': 'application/json' },
              }),
            )
          : real(),
    );
    const { accountId } = await subscribe(store);
    const el = await mount(store, accountId);
    await until(() => activity(el)?.shadowRoot?.querySelector('[role="alert"]'), 8000, 'the problem');
    expect(text(root(el).querySelector('[role="alert"]')!)).to.include('Something went wrong');
    fail = false;
    button(el, 'Try again')!.click();
    await listed(el);
    await until(() => root(el).activeElement?.id === 'activity-title', 4000, 'focus on the heading');
  });

  it('says when there is nothing yet', async () => {
    interceptFetch(
      (url) => url.includes('/activity?'),
      async () =>
        new Response(JSON.stringify({ data: [], nextCursor: null }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const { accountId } = await subscribe(store);
    const el = await mount(store, accountId);
    await until(() => activity(el)?.shadowRoot?.querySelector('.empty'), 8000, 'the empty state');
    expect(text(root(el).querySelector('.empty')!)).to.include('No activity yet.');
    await expect(el).to.be.accessible();
  });
});
