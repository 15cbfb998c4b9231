import { expect } from '@open-wc/testing';
import { languages } from '../../server/contract';
import { deepQuery, until } from './support/fixtures';
import { localeOf, untranslated, walk, walkGroups } from './support/language-walk';
import { labelsWithoutTheirText, mountPortal, renderedTexts, richWorld, screens, type World } from './support/screens';

describe('the check for untranslated text', () => {
  let world: World;
  before(async function () {
    this.timeout(30_000);
    world = await richWorld();
  });
  afterEach(() => sessionStorage.clear());

  it('finds English shown for German, English inside a longer text, and raw keys', async function () {
    this.timeout(30_000);
    const el = await mountPortal(world, 'en');
    await screens[0].show(el, world);
    const problems = untranslated(
      [
        ...renderedTexts(el),
        'orders.loadMore',
        'Ihre Karten: Your saved cards pay for your subscriptions when they renew.',
      ],
      await localeOf('de'),
    );
    el.remove();
    expect(
      problems.some((p) => p.startsWith('English "Orders"')),
      problems.join('\n'),
    ).to.equal(true);
    expect(problems).to.include('raw key orders.loadMore in "orders.loadMore"');
    expect(
      problems.some((p) => p.startsWith('English phrase')),
      problems.join('\n'),
    ).to.equal(true);
  });

  it('en: every screen and dialog shows its messages, with no raw key', async function () {
    this.timeout(60_000);
    const english = await localeOf('en');
    const texts = await walk(world, 'en');
    const problems = Object.values(texts).flatMap((found) => untranslated(found, english));
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('finds a label that does not contain the text its control shows', () => {
    const box = document.createElement('div');
    box.innerHTML =
      '<button aria-label="تنزيل الإشعار الدائن X (PDF)">إشعار دائن X</button>' +
      '<button aria-label="Download credit note X (PDF)">Credit note X</button><button aria-label="More">+</button>' +
      '<ul aria-label="Saved cards"><li>Visa</li></ul>';
    document.body.append(box);
    expect(labelsWithoutTheirText(box)).to.deep.equal([
      '"تنزيل الإشعار الدائن X (PDF)" does not contain "إشعار دائن x"',
    ]);
    box.remove();
  });

  it('walks every portal language but English in one of the walk files', () => {
    expect([...walkGroups.flat()].sort()).to.deep.equal(languages.filter((l) => l !== 'en').sort());
  });
});

describe('locale formats', () => {
  let world: World;
  before(async function () {
    this.timeout(30_000);
    world = await richWorld();
  });

  it('Japanese shows dates and money as Japanese does (年月日, ￥ without decimals)', async function () {
    this.timeout(20_000);
    const el = await mountPortal(world, 'ja', `/orders/${world.yenOrderId}`);
    const detail = () => deepQuery(el, 'ap-order-detail')!.shadowRoot!;
    await until(() => deepQuery(el, 'ap-order-detail')?.shadowRoot?.querySelector('.head .title'), 6000, 'the order');
    const text = renderedTexts(detail()).join(' ');
    const long = new Intl.DateTimeFormat('ja', { dateStyle: 'long' }).format(new Date(world.yenCompletedAt));
    expect(long).to.match(/^2026年1月\d+日$/);
    expect(text).to.include(long);
    const yen = new Intl.NumberFormat('ja', { style: 'currency', currency: 'JPY' }).format(4900);
    expect(yen).to.equal('￥4,900');
    expect(text).to.include(yen);
    expect(text).to.not.match(/4,900\.00|49\.00/);

    el.route = '/orders';
    const list = () => deepQuery(el, 'ap-orders')!.shadowRoot!;
    await until(
      () => deepQuery(el, 'ap-orders')?.shadowRoot?.querySelector('tbody tr[part="row"]'),
      6000,
      'the orders',
    );
    const medium = new Intl.DateTimeFormat('ja', { dateStyle: 'medium' }).format(new Date(world.yenCompletedAt));
    expect(medium).to.match(/^2026\/01\/\d+$/);
    expect(renderedTexts(list())).to.include(medium);
    el.remove();
  });

  for (const language of ['ar', 'he'] as const) {
    it(`${language} renders right to left: the element's dir, tabs from the right, the back arrow mirrored, codes and card digits left to right`, async function () {
      this.timeout(20_000);
      const el = await mountPortal(world, language, `/subscriptions/${world.subscriptionId}`);
      await until(() => el.dir === 'rtl', 4000, 'dir=rtl');
      expect(getComputedStyle(el).direction).to.equal('rtl');
      const tabs = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];
      expect(tabs[0].getBoundingClientRect().left).to.be.greaterThan(tabs[1].getBoundingClientRect().left);
      const detail = () => deepQuery(el, 'ap-subscription-detail')!.shadowRoot!;
      await until(
        () => deepQuery(el, 'ap-subscription-detail')?.shadowRoot?.querySelector('#title'),
        6000,
        'the subscription',
      );
      const arrow = detail().querySelector('.back svg')!;
      expect(getComputedStyle(arrow).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
      // "•••• 4242" stays as printed on the card: the dots to the left of the digits.
      const card = detail().querySelector('.method [aria-hidden="true"]')!;
      expect(card.textContent).to.match(/\u2066••••\s4242\u2069/);
      el.route = `/orders/${world.orderId}`;
      await until(() => deepQuery(el, 'ap-license-key')?.shadowRoot?.querySelector('.key'), 6000, 'the licence key');
      const key = deepQuery(el, 'ap-license-key')!.shadowRoot!.querySelector('.key')!;
      expect(getComputedStyle(key).direction).to.equal('ltr');
      el.remove();
    });
  }
});
