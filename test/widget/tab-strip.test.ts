import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widget/index';
import type { AccountPortal } from '../../widget/index';
import { authUrlFor, newStore, serverApi, uniqueEmail, until, type TestStore } from './support/fixtures';

/** The tab strip on a phone: it shows that it scrolls, and the selected tab is always in full view. */

let store: TestStore;
let accountId: string;
before(async () => {
  store = await newStore();
  accountId = (await serverApi<{ id: string }>(store, 'POST', '/accounts', { email: uniqueEmail() })).id;
});

afterEach(async () => {
  sessionStorage.clear();
  await setViewport({ width: 800, height: 600 });
});

async function mount(route: string, lang = 'en'): Promise<AccountPortal> {
  const url = await authUrlFor(store, accountId);
  const el = await fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url} lang=${lang}
    no-hash-routing route=${route}></account-portal>`);
  await until(() => el.shadowRoot!.querySelector('[role="tablist"]'), 8000, 'signed in');
  if (lang === 'ar') await until(() => el.dir === 'rtl', 4000, 'right to left');
  await el.updateComplete;
  return el;
}

const strip = (el: AccountPortal) => el.shadowRoot!.querySelector<HTMLElement>('[role="tablist"]')!;
const selected = (el: AccountPortal) => strip(el).querySelector<HTMLElement>('[aria-selected="true"]')!;

/** Whether the tab is wholly inside the strip's visible part, clear of the faded edges. */
function inFullView(el: AccountPortal, tab: HTMLElement): boolean {
  const bounds = strip(el).getBoundingClientRect();
  const rect = tab.getBoundingClientRect();
  const fade = (side: 'left' | 'right') => (strip(el).hasAttribute(`data-more-${side}`) ? 32 : 0);
  return rect.left >= bounds.left + fade('left') - 1 && rect.right <= bounds.right - fade('right') + 1;
}

const frame = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('<account-portal> tab strip at 320 px', () => {
  beforeEach(() => setViewport({ width: 320, height: 640 }));

  it('on the orders tab, fades out at the right where more tabs are', async function () {
    this.timeout(15_000);
    const el = await mount('/orders');
    await frame();
    expect(strip(el).scrollWidth).to.be.greaterThan(strip(el).clientWidth, 'the tabs do not fit');
    expect(strip(el).hasAttribute('data-more-right')).to.equal(true);
    expect(strip(el).hasAttribute('data-more-left')).to.equal(false);
    expect(getComputedStyle(strip(el)).maskImage).to.include('linear-gradient');
    expect(inFullView(el, selected(el))).to.equal(true);
  });

  it('opened on #/account, scrolls the selected tab into view and fades out at the left', async function () {
    this.timeout(15_000);
    const el = await mount('/account');
    await until(() => inFullView(el, selected(el)), 2000, 'the Account tab in view');
    expect(selected(el).textContent!.trim()).to.equal('Account');
    expect(strip(el).hasAttribute('data-more-left')).to.equal(true);
  });

  it('keeps each tab in full view as the arrow keys move through them, "Payment methods" included', async function () {
    this.timeout(20_000);
    const el = await mount('/orders');
    selected(el).focus();
    for (const name of ['Subscriptions', 'Payment methods', 'Account']) {
      await sendKeys({ press: 'ArrowRight' });
      await until(() => selected(el).textContent!.trim() === name, 4000, name);
      await el.updateComplete;
      await frame();
      expect(inFullView(el, selected(el)), name).to.equal(true);
    }
    await sendKeys({ press: 'Home' });
    await until(() => selected(el).textContent!.trim() === 'Orders', 4000, 'Orders');
    await frame();
    expect(inFullView(el, selected(el))).to.equal(true);
    expect(strip(el).hasAttribute('data-more-left')).to.equal(false);
  });

  it('in Arabic, starts at the right, the next tab is to the left (ArrowLeft), and the selected one stays in view', async function () {
    this.timeout(20_000);
    const el = await mount('/orders', 'ar');
    await frame();
    expect(strip(el).hasAttribute('data-more-left')).to.equal(true);
    expect(strip(el).hasAttribute('data-more-right')).to.equal(false);
    selected(el).focus();
    const first = selected(el);
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => selected(el) !== first, 4000, 'the next tab');
    expect(selected(el)).to.equal(strip(el).querySelectorAll('[role="tab"]')[1]);
    await sendKeys({ press: 'End' });
    await until(() => selected(el).id === 'tab-account', 4000, 'the last tab');
    await frame();
    expect(inFullView(el, selected(el))).to.equal(true);
    expect(strip(el).hasAttribute('data-more-right')).to.equal(true);
  });
});

describe('<account-portal> tab strip at 800 px', () => {
  it('has every tab in view and no fading edge', async function () {
    this.timeout(15_000);
    await setViewport({ width: 800, height: 600 });
    const el = await mount('/account');
    await frame();
    expect(strip(el).hasAttribute('data-more-left')).to.equal(false);
    expect(strip(el).hasAttribute('data-more-right')).to.equal(false);
    expect(getComputedStyle(strip(el)).maskImage).to.equal('none');
  });
});
