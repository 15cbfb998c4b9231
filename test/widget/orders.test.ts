import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApLicenseKey } from '../../widget/components/license-key/license-key';
import { ApOrderDetail } from '../../widget/components/order-detail/order-detail';
import { ApOrders } from '../../widget/components/orders/orders';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import type { ApErrorEvent, ApNavigateEvent } from '../../widget/events';
import {
  authUrlFor,
  deepQuery,
  deepText,
  newStore,
  orderWithFulfilments,
  serverApi,
  uniqueEmail,
  until,
  type TestStore,
} from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApOrders.define('ap-orders');
ApOrderDetail.define('ap-order-detail');
ApLicenseKey.define('ap-license-key');

const DAY = 86_400_000;
const originalUrl = location.href;
const cleanups: (() => void)[] = [];

afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

/** Answers matching requests with `handle` (which may call the real fetch) until the test ends. */
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

/** A promise with its resolve function, to hold a request until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const jsonError = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: code } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

async function mount(store: TestStore, accountId: string, lang = ''): Promise<AccountPortal> {
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url} lang=${lang}></account-portal>`);
}

const list = (el: AccountPortal) => deepQuery<ApOrders>(el.shadowRoot!, 'ap-orders');
const detail = (el: AccountPortal) => deepQuery<ApOrderDetail>(el.shadowRoot!, 'ap-order-detail');
const links = (el: AccountPortal) => [
  ...(list(el)?.shadowRoot?.querySelectorAll<HTMLAnchorElement>('tbody .reference a') ?? []),
];
const references = (el: AccountPortal) => links(el).map((a) => a.textContent!.trim());
const listed = (el: AccountPortal) => until(() => links(el).length > 0, 6000, 'the orders list');
const opened = (el: AccountPortal, reference: string) =>
  until(
    () => detail(el)?.shadowRoot?.querySelector('h2')?.textContent?.includes(reference),
    6000,
    `order ${reference}`,
  );
const buttonNamed = (root: Element | ShadowRoot, text: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent!.includes(text));
/** What the customer sees of an element (hidden labels left out), with whitespace collapsed. */
const visibleText = (node: Element | null | undefined) => (node as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
const mediumDate = (iso: string, lang = 'en') =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(iso));

async function openOrder(el: AccountPortal, reference: string): Promise<void> {
  await listed(el);
  links(el)
    .find((a) => a.textContent!.trim() === reference)!
    .click();
  await opened(el, reference);
}

/** The full order: a licence key, a download and two-line instructions (with markup that must stay text). */
const fullItems = [
  {
    product: 'photo-toolkit-3',
    displayName: 'Photo Toolkit 3',
    quantity: 1,
    unitPrice: 4900,
    discount: 500,
    tax: 836,
    fulfilments: [
      { type: 'license_key', licenseKey: 'PTK3-AAAA-BBBB-CCCC' },
      { type: 'download', url: `${location.origin}/demo/files/photo-toolkit-3.zip`, fileSize: 1_800_000 },
      { type: 'instructions', instructions: 'Open Photo Toolkit.\nChoose Help → Register <b>now</b>.' },
    ],
  },
  { product: 'brush-library', displayName: 'Brush Library', quantity: 2, unitPrice: 1900, tax: 722 },
];
const visa = { token: 'tok_visa_4242', brand: 'visa', last4: '4242' };

describe('<ap-orders> and <ap-order-detail>', () => {
  let store: TestStore;
  let accountId: string;
  let full: { id: string; completedAt: string };
  const base = Date.now() - 40 * DAY;
  const at = (days: number) => new Date(base + days * DAY).toISOString();

  before(async () => {
    store = await newStore();
    const email = uniqueEmail('ada');
    full = await orderWithFulfilments(store, email, {
      reference: 'ADA-FULL',
      items: fullItems,
      paymentMethod: visa,
      completedAt: at(20),
    });
    accountId = (full as unknown as { accountId: string }).accountId;
    const simple = (reference: string, currency: string, unitPrice: number, days: number) =>
      serverApi(store, 'POST', '/orders', {
        reference,
        customer: { email },
        currency,
        completedAt: at(days),
        items: [{ product: 'sticker-pack', displayName: 'Sticker pack', quantity: 1, unitPrice }],
      });
    await Promise.all([
      simple('ADA-JPY', 'JPY', 1500, 19),
      simple('ADA-KWD', 'KWD', 12345, 18),
      ...Array.from({ length: 11 }, (_, i) =>
        simple(`ADA-${String(i + 1).padStart(3, '0')}`, 'USD', 100 * (i + 1), i + 1),
      ),
    ]);
  });

  describe('the list', () => {
    it('shows reference, date, total and status, newest first', async () => {
      const el = await mount(store, accountId);
      await listed(el);
      expect(references(el)).to.deep.equal([
        'ADA-FULL',
        'ADA-JPY',
        'ADA-KWD',
        'ADA-011',
        'ADA-010',
        'ADA-009',
        'ADA-008',
        'ADA-007',
        'ADA-006',
        'ADA-005',
      ]);
      const firstRow = links(el)[0].closest('tr')!;
      const text = deepText(firstRow);
      expect(text).to.include(mediumDate(full.completedAt));
      expect(text).to.include('$97.58');
      expect(text).to.include('Completed');
      expect(links(el)[0].getAttribute('href')).to.equal(`#/orders/${full.id}`);
      await expect(list(el)).to.be.accessible();
    });

    it('formats each total in its own currency: no decimals for JPY, three for KWD', async () => {
      const el = await mount(store, accountId);
      await listed(el);
      const row = (reference: string) =>
        deepText(
          links(el)
            .find((a) => a.textContent!.includes(reference))!
            .closest('tr')!,
        );
      expect(row('ADA-JPY')).to.include('¥1,500').and.not.include('¥1,500.00');
      expect(row('ADA-KWD')).to.include('KWD 12.345');
    });

    it('formats in German with lang="de"', async () => {
      const el = await mount(store, accountId, 'de');
      await until(() => deepText(el).includes('Bestellungen') && links(el).length > 0, 6000, 'German list');
      const text = deepText(links(el)[0].closest('tr')!);
      expect(text).to.include('97,58 $');
      expect(text).to.include(mediumDate(full.completedAt, 'de'));
      expect(text).to.include('Abgeschlossen');
      expect(deepText(list(el)!)).to.include('Weitere laden');
    });

    it('loads the next page with the cursor and moves the focus to the first new order', async () => {
      const el = await mount(store, accountId);
      await listed(el);
      const more = buttonNamed(list(el)!.shadowRoot!, 'Load more')!;
      more.click();
      await until(() => links(el).length === 14, 6000, 'second page');
      expect(references(el).slice(10)).to.deep.equal(['ADA-004', 'ADA-003', 'ADA-002', 'ADA-001']);
      expect(list(el)!.shadowRoot!.activeElement?.textContent).to.include('ADA-004');
      expect(buttonNamed(list(el)!.shadowRoot!, 'Load more')).to.equal(undefined);
    });

    it('shows skeleton rows as tall as the real rows while loading', async () => {
      const hold = gate();
      interceptFetch(
        (url) => url.includes('/orders?'),
        async (real) => {
          await hold.opened;
          return real();
        },
      );
      const el = await mount(store, accountId);
      await until(() => list(el)?.shadowRoot?.querySelector('tr.skeleton-row'), 6000, 'skeletons');
      const shadow = list(el)!.shadowRoot!;
      expect(shadow.querySelector('table')!.getAttribute('aria-busy')).to.equal('true');
      expect(shadow.querySelectorAll('tr.skeleton-row')).to.have.length(3);
      expect(deepText(shadow)).to.include('Loading your orders');
      const skeletonHeight = shadow.querySelector('tbody tr')!.getBoundingClientRect().height;
      hold.open();
      await listed(el);
      const rowHeight = links(el)[1].closest('tr')!.getBoundingClientRect().height;
      expect(Math.abs(rowHeight - skeletonHeight)).to.be.below(1);
      expect(shadow.querySelector('table')!.getAttribute('aria-busy')).to.equal('false');
    });

    it('reports a failed load and offers to try again', async () => {
      let fail = true;
      interceptFetch(
        (url) => url.includes('/orders?'),
        (real) => (fail ? Promise.resolve(jsonError(500, 'internal_error')) : real()),
      );
      const url = await authUrlFor(store, accountId);
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${url}></account-portal>`,
      );
      const error = await oneEvent<ApErrorEvent>(el, 'ap-error');
      expect(error.code).to.equal('internal_error');
      await until(() => deepText(el).includes('Something went wrong'), 6000, 'the error');
      fail = false;
      buttonNamed(list(el)!.shadowRoot!, 'Try again')!.click();
      await listed(el);
      expect(references(el)[0]).to.equal('ADA-FULL');
    });
  });

  describe('navigation', () => {
    it('opens an order by click, firing ap-navigate', async () => {
      const el = await mount(store, accountId);
      await listed(el);
      const navigated = oneEvent<ApNavigateEvent>(el, 'ap-navigate');
      links(el)[0].click();
      expect((await navigated).route).to.equal(`/orders/${full.id}`);
      await opened(el, 'ADA-FULL');
      expect(detail(el)!.orderId).to.equal(full.id);
    });

    it('opens an order from the keyboard: Tab from the tabs reaches the first order, Enter opens it', async () => {
      const el = await mount(store, accountId);
      await listed(el);
      el.shadowRoot!.querySelector<HTMLElement>('#tab-orders')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(list(el)!.shadowRoot!.activeElement).to.equal(links(el)[0]);
      const navigated = oneEvent<ApNavigateEvent>(el, 'ap-navigate');
      await sendKeys({ press: 'Enter' });
      expect((await navigated).route).to.equal(`/orders/${full.id}`);
      await opened(el, 'ADA-FULL');
    });

    it('goes back to the list from the detail', async () => {
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      const navigated = oneEvent<ApNavigateEvent>(el, 'ap-navigate');
      detail(el)!.shadowRoot!.querySelector<HTMLAnchorElement>('a.back')!.click();
      expect((await navigated).route).to.equal('/orders');
      await listed(el);
    });
  });

  describe('the detail', () => {
    it('shows items, prices, discounts, taxes, totals, payment and instructions', async () => {
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      const shadow = detail(el)!.shadowRoot!;
      const text = deepText(shadow);
      expect(text).to.include('Order ADA-FULL');
      expect(text).to.include('Completed');
      expect(text).to.match(/Invoice no\. INV-\d{4}-\d{6}/);
      const rows = [...shadow.querySelectorAll('.items tbody tr')].map(visibleText);
      expect(visibleText(shadow.querySelector('.items thead'))).to.equal('Item Qty Unit price Discount Tax Amount');
      expect(rows).to.deep.equal([
        'Photo Toolkit 3 1 $49.00 -$5.00 $8.36 $52.36',
        'Brush Library 2 $19.00 — $7.22 $45.22',
      ]);
      expect(visibleText(shadow.querySelector('.totals'))).to.equal(
        'Subtotal $87.00 Discount -$5.00 Tax $15.58 Total $97.58',
      );
      expect(text).to.include('Paid with Visa ending in 4242');

      const instructions = shadow.querySelector<HTMLElement>('.instructions')!;
      expect(instructions.textContent).to.equal('Open Photo Toolkit.\nChoose Help → Register <b>now</b>.');
      expect(instructions.querySelector('b')).to.equal(null);
      expect(getComputedStyle(instructions).whiteSpace).to.equal('pre-wrap');
      expect(shadow.innerHTML).not.to.include('demo/files');
      await expect(detail(el)).to.be.accessible();
    });

    it('formats JPY without decimals and KWD with three', async () => {
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-JPY');
      expect(visibleText(detail(el)!.shadowRoot!.querySelector('.totals'))).to.equal('Subtotal ¥1,500 Total ¥1,500');
      detail(el)!.shadowRoot!.querySelector<HTMLAnchorElement>('a.back')!.click();
      await openOrder(el, 'ADA-KWD');
      expect(visibleText(detail(el)!.shadowRoot!.querySelector('.totals'))).to.equal(
        'Subtotal KWD 12.345 Total KWD 12.345',
      );
    });

    it('is in German with lang="de"', async () => {
      const el = await mount(store, accountId, 'de');
      await until(() => deepText(el).includes('Bestellungen') && links(el).length > 0, 6000, 'German list');
      await openOrder(el, 'ADA-FULL');
      const text = deepText(detail(el)!.shadowRoot!);
      expect(text).to.include('Bestellung ADA-FULL');
      expect(visibleText(detail(el)!.shadowRoot!.querySelector('.totals'))).to.equal(
        'Zwischensumme 87,00 $ Rabatt -5,00 $ Steuer 15,58 $ Summe 97,58 $',
      );
      expect(text).to.include('Bezahlt mit Visa, endend auf 4242');
      expect(text).to.include('Lizenzschlüssel für Photo Toolkit 3');
      expect(text).to.include(new Intl.DateTimeFormat('de', { dateStyle: 'long' }).format(new Date(full.completedAt)));
    });

    it('says so when the order does not exist, with the way back', async () => {
      history.replaceState(null, '', '#/orders/ord_doesnotexist0000000000');
      const el = await mount(store, accountId);
      await until(() => deepText(el).includes("We couldn't find this order."), 6000, 'not found');
      expect(detail(el)!.shadowRoot!.querySelector('a.back')!.textContent).to.include('All orders');
      await expect(detail(el)).to.be.accessible();
    });
  });

  describe('licence keys', () => {
    const keyElement = (el: AccountPortal) => deepQuery<ApLicenseKey>(el.shadowRoot!, 'ap-license-key')!;

    it('copies the key to the clipboard and announces "Copied"', async () => {
      const written: string[] = [];
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: async (text: string) => {
          written.push(text);
        },
      });
      cleanups.push(() => {
        delete (navigator.clipboard as { writeText?: unknown }).writeText;
      });
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      const key = keyElement(el);
      expect(key.shadowRoot!.querySelector('.key')!.textContent).to.equal('PTK3-AAAA-BBBB-CCCC');
      expect(getComputedStyle(key.shadowRoot!.querySelector('.key')!).userSelect).to.equal('all');
      const button = key.shadowRoot!.querySelector('button')!;
      button.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => button.textContent!.includes('Copied'), 4000, 'Copied');
      expect(written).to.deep.equal(['PTK3-AAAA-BBBB-CCCC']);
      expect(key.shadowRoot!.querySelector('[role="status"]')!.textContent).to.include('Copied');
      await expect(key).to.be.accessible();
    });

    it('explains and selects the key when the browser refuses clipboard access', async () => {
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
      });
      cleanups.push(() => {
        delete (navigator.clipboard as { writeText?: unknown }).writeText;
      });
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      const key = keyElement(el);
      key.shadowRoot!.querySelector('button')!.click();
      await until(() => deepText(key.shadowRoot!).includes("didn't allow copying"), 4000, 'the refusal');
      expect(key.shadowRoot!.querySelector('[role="status"]')!.textContent).to.include('press Ctrl+C');
      expect(document.getSelection()!.toString()).to.equal('PTK3-AAAA-BBBB-CCCC');
    });

    it('are styled from the page through the license-key part and its old name, licence-key', async () => {
      const sheet = document.createElement('style');
      sheet.textContent = `account-portal::part(license-key) { outline-style: dotted; }
        account-portal::part(licence-key) { outline-offset: 7px; }`;
      document.head.append(sheet);
      cleanups.push(() => sheet.remove());
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      const style = getComputedStyle(keyElement(el));
      expect(style.outlineStyle).to.equal('dotted');
      expect(style.outlineOffset).to.equal('7px');
    });
  });

  describe('downloads', () => {
    it('asks for a signed link, says "Preparing…" meanwhile, then starts the download', async () => {
      const hold = gate();
      interceptFetch(
        (url) => url.includes('/downloads/') && url.endsWith('/link'),
        async (real) => {
          await hold.opened;
          return real();
        },
      );
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      // The download starts through a hidden anchor's click(); record it instead of leaving the test page.
      const clicked: string[] = [];
      const realClick = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        clicked.push(this.href);
      };
      cleanups.push(() => {
        HTMLAnchorElement.prototype.click = realClick;
      });
      const shadow = detail(el)!.shadowRoot!;
      const button = shadow.querySelector<HTMLButtonElement>('button[aria-label="Download photo-toolkit-3.zip"]')!;
      expect(visibleText(button.closest('.download'))).to.equal('Download photo-toolkit-3.zip · 1.8 MB');
      button.click();
      await until(() => button.textContent!.includes('Preparing…'), 4000, 'Preparing…');
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      hold.open();
      await until(() => clicked.length === 1, 4000, 'the download');
      expect(clicked[0]).to.match(new RegExp(`^${location.origin}/downloads/[^/]+$`));
      await until(() => deepText(shadow).includes('Your download has started.'), 4000, 'started');
      expect(shadow.innerHTML).not.to.include(clicked[0]);
      const file = await fetch(clicked[0]);
      expect(file.ok).to.equal(true);
      expect(file.url).to.include('/demo/files/photo-toolkit-3.zip');
    });

    it('says in plain words when the download is gone', async () => {
      interceptFetch(
        (url) => url.endsWith('/link'),
        () => Promise.resolve(jsonError(404, 'not_found')),
      );
      const el = await mount(store, accountId);
      await openOrder(el, 'ADA-FULL');
      const shadow = detail(el)!.shadowRoot!;
      const error = oneEvent<ApErrorEvent>(el, 'ap-error');
      buttonNamed(shadow, 'Download')!.click();
      expect((await error).status).to.equal(404);
      await until(() => deepText(shadow).includes('This download is no longer available.'), 4000, 'the problem');
    });
  });
});

describe('gift orders as rendered', () => {
  let store: TestStore;
  let purchaserId: string;
  let recipientId: string;

  before(async () => {
    store = await newStore();
    const order = await orderWithFulfilments(store, uniqueEmail('pat'), {
      reference: 'GIFT-1',
      paymentMethod: visa,
      gift: {
        recipient: { email: uniqueEmail('rita'), firstName: 'Rita', lastName: 'Reader' },
        message: 'Happy birthday, Rita!\nEnjoy.',
      },
    });
    purchaserId = order.accountId;
    recipientId = order.gift.recipient.accountId;
  });

  it('shows the purchaser what was paid and for whom, never the keys or downloads', async () => {
    const el = await mount(store, purchaserId);
    await listed(el);
    expect(deepText(links(el)[0].closest('tr')!))
      .to.include('Gift for Rita Reader')
      .and.include('$97.58');
    await openOrder(el, 'GIFT-1');
    const shadow = detail(el)!.shadowRoot!;
    const text = deepText(shadow);
    expect(text).to.include('Rita Reader');
    expect(text).to.include('Happy birthday, Rita!');
    expect(text).to.include('The licence keys and downloads went to Rita Reader');
    expect(visibleText(shadow.querySelector('.totals'))).to.include('Total $97.58');
    expect(text).to.include('Paid with Visa ending in 4242');
    expect(text).not.to.include('PTK3-');
    expect(buttonNamed(shadow, 'Download')).to.equal(undefined);
    expect(text).not.to.include('Help → Register');
    await expect(detail(el)).to.be.accessible();
  });

  it('shows the recipient what they received and from whom, never amounts or payment', async () => {
    const el = await mount(store, recipientId);
    await listed(el);
    const row = deepText(links(el)[0].closest('tr')!);
    expect(row).to.include('Gift from Ada Lovelace');
    expect(row).not.to.match(/\$|\d+\.\d\d/);
    await openOrder(el, 'GIFT-1');
    const shadow = detail(el)!.shadowRoot!;
    const text = deepText(shadow);
    expect(text).to.include('Gift from Ada Lovelace');
    expect(text).to.include('Happy birthday, Rita!');
    expect(text).to.include('Photo Toolkit 3').and.include('Quantity: 2');
    expect(deepQuery(shadow, '.key')!.textContent).to.equal('PTK3-AAAA-BBBB-CCCC');
    expect(buttonNamed(shadow, 'Download')).to.exist;
    expect(text).not.to.match(/\$/);
    expect(text).not.to.include('Paid with');
    expect(text).not.to.include('Invoice');
    expect(shadow.querySelector('.totals')).to.equal(null);
    await expect(detail(el)).to.be.accessible();
  });
});

describe('an account without orders', () => {
  it('shows the empty state', async () => {
    const store = await newStore();
    const account = await serverApi<{ id: string }>(store, 'POST', '/accounts', { email: uniqueEmail('new') });
    const el = await mount(store, account.id);
    await until(() => deepText(el).includes('You have no orders yet.'), 6000, 'the empty state');
    expect(deepText(el)).to.include('Orders you place with this email address will appear here.');
    expect(list(el)!.shadowRoot!.querySelector('table')).to.equal(null);
    await expect(list(el)).to.be.accessible();
  });
});

describe('revoked fulfilments as rendered', () => {
  let store: TestStore;
  let accountId: string;
  let order: { id: string; fulfilments: { id: string; type: string }[] };

  before(async () => {
    store = await newStore();
    order = await orderWithFulfilments(store, uniqueEmail('rory'), { reference: 'RORY-1', paymentMethod: visa });
    accountId = (order as unknown as { accountId: string }).accountId;
  });

  it('shows a revoked download as revoked, with no download button, in English and German', async () => {
    const revokable = await orderWithFulfilments(store, uniqueEmail('rory'), { reference: 'RORY-REVOKED' });
    const downloadId = revokable.fulfilments.find((f: { type: string }) => f.type === 'download').id;
    await serverApi(store, 'POST', `/orders/${revokable.id}/fulfilments/${downloadId}/revoke`);
    for (const [lang, badge, note, button] of [
      ['en', 'Revoked', 'The store has withdrawn this download.', 'Download'],
      ['de', 'Widerrufen', 'Der Shop hat diesen Download zurückgezogen.', 'Herunterladen'],
    ]) {
      history.replaceState(null, '', originalUrl);
      sessionStorage.clear();
      const el = await mount(store, revokable.accountId, lang);
      await openOrder(el, 'RORY-REVOKED');
      const shadow = detail(el)!.shadowRoot!;
      const revoked = shadow.querySelector('.download.revoked')!;
      expect(visibleText(revoked)).to.include(badge).and.include('photo-toolkit-3.zip').and.include(note);
      expect(buttonNamed(shadow, button), lang).to.equal(undefined);
      expect(deepQuery(shadow, '.key')!.textContent, 'the licence key was not revoked').to.equal('PTK3-AAAA-BBBB-CCCC');
      await expect(detail(el)).to.be.accessible();
    }
  });

  it('turns the button into the revoked state when the store revoked it after the order was shown', async () => {
    const el = await mount(store, accountId);
    await openOrder(el, 'RORY-1');
    const shadow = detail(el)!.shadowRoot!;
    const downloadId = order.fulfilments.find((f) => f.type === 'download')!.id;
    await serverApi(store, 'POST', `/orders/${order.id}/fulfilments/${downloadId}/revoke`);
    let errors = 0;
    el.addEventListener('ap-error', () => {
      errors += 1;
    });
    buttonNamed(shadow, 'Download')!.click();
    await until(() => shadow.querySelector('.download.revoked'), 4000, 'the revoked state');
    expect(visibleText(shadow.querySelector('.download.revoked'))).to.include('The store has withdrawn this download.');
    expect(buttonNamed(shadow, 'Download')).to.equal(undefined);
    expect(errors, 'a revocation is news, not an error').to.equal(0);
  });
});

describe('refunded orders as rendered', () => {
  let store: TestStore;
  let accountId: string;
  let order: { id: string; accountId: string };

  before(async () => {
    store = await newStore();
    // Credit notes, like invoices, are issued in the seller's name.
    await serverApi(store, 'PUT', '/store/seller', {
      legalName: 'Northwind Software GmbH',
      addressLine1: 'Friedrichstraße 68',
      city: 'Berlin',
      postalCode: '10117',
      country: 'DE',
      email: 'billing@northwind.example',
    });
    order = await orderWithFulfilments(store, uniqueEmail('rae'), { reference: 'REF-1', paymentMethod: visa });
    accountId = order.accountId;
    await serverApi(store, 'POST', `/orders/${order.id}/refunds`, { amount: 2000, reason: 'Late delivery' });
  });

  it('shows a partial refund: the status, the refunded amount, what remains and the credit note to download', async () => {
    const el = await mount(store, accountId);
    await listed(el);
    const row = list(el)!.shadowRoot!.querySelector('tbody tr')!;
    expect(visibleText(row)).to.include('Partially refunded');
    expect(visibleText(row)).to.include('Refunded -$20.00');
    await openOrder(el, 'REF-1');
    const shadow = detail(el)!.shadowRoot!;
    expect(visibleText(shadow.querySelector('.totals'))).to.equal(
      'Subtotal $87.00 Discount -$5.00 Tax $15.58 Total $97.58 Refunded -$20.00 Net paid $77.58',
    );
    expect(deepText(shadow)).to.include('$20.00 of this order was refunded.');
    const button = shadow.querySelector<HTMLButtonElement>('[part~="credit-note-button"]')!;
    // Named by its visible text (in every language), described as a PDF download.
    expect(button.hasAttribute('aria-label')).to.equal(false);
    expect(shadow.getElementById(button.getAttribute('aria-describedby')!)!.textContent).to.match(
      /^Download credit note INV-CN-\d{4}-000001 \(PDF\)$/,
    );
    expect(deepText(shadow)).to.include('Photo Toolkit 3', 'a partial refund keeps the fulfilments');
    await expect(detail(el)).to.be.accessible();
  });

  it("downloads the credit note PDF with the session's credentials", async () => {
    const requests: string[] = [];
    interceptFetch(
      (url) => url.includes('/credit-notes/'),
      async (real) => {
        const response = await real();
        requests.push(response.headers.get('content-type') ?? '');
        return response;
      },
    );
    const el = await mount(store, accountId, 'de');
    await listed(el);
    await openOrder(el, 'REF-1');
    // The download anchor is clicked programmatically; record it instead of leaving the page.
    const clicked: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function click(this: HTMLAnchorElement) {
      clicked.push(this.download);
    };
    cleanups.push(() => {
      HTMLAnchorElement.prototype.click = original;
    });
    detail(el)!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="credit-note-button"]')!.click();
    await until(() => clicked.length > 0, 6000, 'the credit note download');
    expect(requests).to.deep.equal(['application/pdf']);
    expect(clicked[0]).to.match(/^INV-CN-\d{4}-000001\.pdf$/);
  });

  it('downloads the credit note as an e-invoice (XML), described by the credit note it belongs to', async () => {
    const requests: string[] = [];
    interceptFetch(
      (url) => url.includes('/credit-notes/'),
      async (real) => {
        const response = await real();
        requests.push(`${new URL(response.url).pathname.split('.').pop()} ${response.headers.get('content-type')}`);
        return response;
      },
    );
    const el = await mount(store, accountId);
    await listed(el);
    await openOrder(el, 'REF-1');
    const clicked: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function click(this: HTMLAnchorElement) {
      clicked.push(this.download);
    };
    cleanups.push(() => {
      HTMLAnchorElement.prototype.click = original;
    });
    const started: { kind: string; documentId: string | null }[] = [];
    el.addEventListener('ap-download-started', (event) => started.push(event as never));
    const shadow = detail(el)!.shadowRoot!;
    const button = shadow.querySelector<HTMLButtonElement>('[part~="credit-note-e-invoice-button"]')!;
    expect(button.textContent!.trim()).to.equal('E-invoice (XML)');
    expect(shadow.getElementById(button.getAttribute('aria-describedby')!)!.textContent).to.match(
      /^Credit note INV-CN-\d{4}-000001$/,
    );
    button.click();
    await until(() => clicked.length > 0, 6000, 'the e-invoice download');
    expect(requests).to.deep.equal(['xml application/xml']);
    expect(clicked[0]).to.match(/^INV-CN-\d{4}-000001\.xml$/);
    expect(started.map((e) => e.kind)).to.deep.equal(['e-invoice']);
    expect(started[0].documentId).to.match(/^cn_/);
    await expect(detail(el)).to.be.accessible();
  });

  it('shows a full refund in German, its licence keys and downloads marked revoked', async () => {
    await serverApi(store, 'POST', `/orders/${order.id}/refunds`, {});
    const el = await mount(store, accountId, 'de');
    await until(() => deepText(el).includes('Bestellungen') && links(el).length > 0, 6000, 'German list');
    await openOrder(el, 'REF-1');
    const shadow = detail(el)!.shadowRoot!;
    const text = deepText(shadow);
    expect(text).to.include('Erstattet');
    expect(text).to.include('Diese Bestellung wurde vollständig erstattet.');
    expect(text).to.include('Gutschriften');
    expect(shadow.querySelectorAll('[part~="credit-note-button"]').length).to.equal(2);
    expect(text).to.include('Widerrufen', 'a full refund revokes the licence keys and downloads');
    expect(buttonNamed(shadow, 'Herunterladen'), 'no download button').to.equal(undefined);
    await expect(detail(el)).to.be.accessible();
  });
});
