import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { builtInDarkPalette, contrastRatio } from '../../server/contract';
import '../../widget/index';
import type { AccountPortal } from '../../widget/index';
import {
  authUrlFor,
  deepQuery,
  newStore,
  planFamily,
  serverApi,
  subscribe,
  until,
  type TestStore,
} from './support/fixtures';

const light = {
  primaryColor: '#0f766e',
  textColor: '#1f2937',
  backgroundColor: '#ffffff',
  surfaceColor: '#f8fafc',
  fontFamily: 'system-ui, sans-serif',
  radius: 8,
  logoUrl: null,
  dark: null,
};

/** A store with the given portal theme and a subscribed customer; the portal on its subscription. */
async function portalWith(theme: Record<string, unknown>): Promise<{ el: AccountPortal; store: TestStore }> {
  const store = await newStore();
  const put = await serverApi<{ warnings: unknown[] }>(store, 'PUT', '/checkouts/portal', { ...light, ...theme });
  expect(put.warnings).to.be.an('array');
  await planFamily(store, [['pro-monthly', 'Pro', 1900]]);
  const { accountId, subscriptionId } = await subscribe(store);
  const url = await authUrlFor(store, accountId);
  const el = await fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url}
    no-hash-routing route=${`/subscriptions/${subscriptionId}`}></account-portal>`);
  await until(
    () => deepQuery(el, 'ap-subscription-detail')?.shadowRoot?.querySelector('#title'),
    8000,
    'the subscription',
  );
  return { el, store };
}

/** A colour as `rgb(…)` text, the way getComputedStyle gives it, as `#rrggbb`. */
function hex(rgb: string): string {
  const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

const token = (el: Element, name: string) => getComputedStyle(el).getPropertyValue(name).trim();
const selectedTab = (el: AccountPortal) =>
  el.shadowRoot!.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')!;

afterEach(async () => {
  sessionStorage.clear();
  await emulateMedia({ colorScheme: 'light' });
});

describe('<account-portal> themes', () => {
  it('goes dark with the built-in palette when the customer prefers dark and the theme has none, and back', async function () {
    this.timeout(20_000);
    const { el } = await portalWith({});
    expect(token(el, '--ap-color-background')).to.equal('#ffffff');
    await emulateMedia({ colorScheme: 'dark' });
    const dark = builtInDarkPalette(light.primaryColor);
    expect(token(el, '--ap-color-background')).to.equal(dark.backgroundColor);
    expect(token(el, '--ap-color-primary')).to.equal(dark.primaryColor);
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
    const panel = deepQuery(el, 'ap-subscription-detail')!.shadowRoot!;
    const card = panel.querySelector('.card')!;
    expect(hex(getComputedStyle(card).backgroundColor)).to.equal(dark.backgroundColor);
    expect(contrastRatio(hex(getComputedStyle(card).color), dark.backgroundColor)).to.be.at.least(4.5);
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'light' });
    expect(token(el, '--ap-color-background')).to.equal('#ffffff');
  });

  it("uses the theme's own dark palette when it has one", async function () {
    this.timeout(20_000);
    const own = { primaryColor: '#5eead4', textColor: '#e6fffa', backgroundColor: '#042f2e', surfaceColor: '#0b3b3a' };
    const { el } = await portalWith({ dark: own });
    await emulateMedia({ colorScheme: 'dark' });
    expect(token(el, '--ap-color-background')).to.equal(own.backgroundColor);
    expect(token(el, '--ap-color-primary')).to.equal(own.primaryColor);
  });

  it('stays light with colorScheme light, and is dark whatever the customer prefers with colorScheme dark', async function () {
    this.timeout(30_000);
    await emulateMedia({ colorScheme: 'dark' });
    const { el: alwaysLight } = await portalWith({ colorScheme: 'light' });
    expect(token(alwaysLight, '--ap-color-background')).to.equal('#ffffff');
    expect(getComputedStyle(alwaysLight).colorScheme).to.equal('light');
    alwaysLight.remove();
    sessionStorage.clear();

    await emulateMedia({ colorScheme: 'light' });
    const { el: alwaysDark } = await portalWith({ colorScheme: 'dark' });
    expect(token(alwaysDark, '--ap-color-background')).to.equal(builtInDarkPalette(light.primaryColor).backgroundColor);
    expect(getComputedStyle(alwaysDark).colorScheme).to.equal('dark');
    await expect(alwaysDark).to.be.accessible();
  });

  it('keeps a yellow primary readable: dark text on yellow buttons, a darker shade for the selected tab and links, a warning from the API', async function () {
    this.timeout(30_000);
    const store = await newStore();
    const put = await serverApi<{ warnings: { code: string; replacement: string }[] }>(
      store,
      'PUT',
      '/checkouts/portal',
      {
        ...light,
        primaryColor: '#facc15',
      },
    );
    expect(put.warnings.map((w) => w.code)).to.deep.equal(['primary_adjusted']);
    sessionStorage.clear();
    const { el } = await portalWith({ primaryColor: '#facc15' });
    const tab = selectedTab(el);
    expect(hex(getComputedStyle(tab).color)).to.equal(put.warnings[0].replacement);
    expect(contrastRatio(hex(getComputedStyle(tab).color), light.surfaceColor)).to.be.at.least(4.5);
    const panel = deepQuery(el, 'ap-subscription-detail')!.shadowRoot!;
    const button = panel.querySelector<HTMLElement>('[data-opens="change"]')!;
    expect(hex(getComputedStyle(button).backgroundColor)).to.equal('#facc15');
    expect(contrastRatio(hex(getComputedStyle(button).color), '#facc15')).to.be.at.least(4.5);
    await expect(el).to.be.accessible();

    await emulateMedia({ colorScheme: 'dark' });
    const darkTab = hex(getComputedStyle(selectedTab(el)).color);
    expect(contrastRatio(darkTab, builtInDarkPalette('#facc15').surfaceColor)).to.be.at.least(4.5);
    await expect(el).to.be.accessible();
  });

  it('shows danger buttons with readable text in the dark (the remove button of a card)', async function () {
    this.timeout(20_000);
    await emulateMedia({ colorScheme: 'dark' });
    const { el } = await portalWith({});
    el.route = '/payment-methods';
    const methods = () => deepQuery(el, 'ap-payment-methods')?.shadowRoot;
    await until(() => methods()?.querySelector('.method [data-action="remove"]'), 6000, 'the payment methods');
    methods()!.querySelector<HTMLButtonElement>('.method [data-action="remove"]')!.click();
    await until(() => methods()!.querySelector('.remove-dialog .confirm'), 4000, 'the confirmation');
    const confirm = methods()!.querySelector<HTMLElement>('.remove-dialog .confirm')!;
    const [background, text] = [getComputedStyle(confirm).backgroundColor, getComputedStyle(confirm).color].map(hex);
    expect(contrastRatio(text, background)).to.be.at.least(4.5);
  });
  it("shows the theme property in place of the store's at once (the theme editor's preview), and the store's again without it", async function () {
    this.timeout(20_000);
    const { el } = await portalWith({});
    expect(token(el, '--ap-color-primary')).to.equal(light.primaryColor);
    const edited = {
      ...light,
      primaryColor: '#b91c1c',
      backgroundColor: '#fffbeb',
      fontFamily: 'Georgia, serif',
      radius: 0,
      logoUrl: 'https://shop.example/logo.svg',
      dark: { primaryColor: '#fca5a5', textColor: '#fef2f2', backgroundColor: '#1c1917', surfaceColor: '#292524' },
    };
    el.theme = edited;
    await el.updateComplete;
    expect(token(el, '--ap-color-primary')).to.equal('#b91c1c');
    expect(token(el, '--ap-color-background')).to.equal('#fffbeb');
    expect(token(el, '--ap-radius')).to.equal('0px');
    expect(token(el, '--ap-font-family')).to.equal('Georgia, serif');
    expect(el.shadowRoot!.querySelector<HTMLImageElement>('.header .logo')!.src).to.equal(
      'https://shop.example/logo.svg',
    );
    await emulateMedia({ colorScheme: 'dark' });
    expect(token(el, '--ap-color-background')).to.equal('#1c1917');
    await emulateMedia({ colorScheme: 'light' });

    el.theme = { ...edited, primaryColor: '#1d4ed8' };
    await el.updateComplete;
    expect(token(el, '--ap-color-primary')).to.equal('#1d4ed8');
    el.theme = null;
    await el.updateComplete;
    expect(token(el, '--ap-color-primary')).to.equal(light.primaryColor);
    expect(el.shadowRoot!.querySelector('.header .logo')).to.equal(null);
  });
});
