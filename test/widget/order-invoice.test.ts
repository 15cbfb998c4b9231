import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApLicenseKey } from '../../widget/components/license-key/license-key';
import { ApOrderDetail } from '../../widget/components/order-detail/order-detail';
import { ApOrderInvoice } from '../../widget/components/order-invoice/order-invoice';
import { ApOrders } from '../../widget/components/orders/orders';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { languages } from '../../server/contract';
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
ApOrderInvoice.define('ap-order-invoice');
ApLicenseKey.define('ap-license-key');

const seller = {
  legalName: 'Northwind Software GmbH',
  addressLine1: 'Friedrichstraße 68',
  city: 'Berlin',
  postalCode: '10117',
  country: 'DE',
  email: 'billing@northwind.example',
};

async function mount(store: TestStore, accountId: string, orderId: string, lang = 'en'): Promise<AccountPortal> {
  const url = await authUrlFor(store, accountId);
  return fixture<AccountPortal>(html`<account-portal store=${store.id} auth-url=${url} lang=${lang}
    no-hash-routing route=${`/orders/${orderId}`}></account-portal>`);
}

const invoiceOf = (el: AccountPortal) => deepQuery<ApOrderInvoice>(el.shadowRoot!, 'ap-order-invoice');
const shown = (el: AccountPortal) => until(() => invoiceOf(el)?.shadowRoot?.querySelector('h3'), 8000, 'the invoice');

/**
 * Runs `act` and waits for the download it starts: the URLs fetched meanwhile,
 * and the file handed to the browser (its name and text), without the browser
 * saving anything.
 */
async function captureDownloads(act: () => void) {
  const requested: string[] = [];
  const downloads: { name: string; text: string }[] = [];
  const started: Promise<void>[] = [];
  const real = window.fetch;
  window.fetch = (input, init) => {
    requested.push(String(input instanceof Request ? input.url : input));
    return real(input, init);
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    const { download, href } = this;
    started.push(
      real(href)
        .then((r) => r.text())
        .then((text) => {
          downloads.push({ name: download, text });
        }),
    );
  };
  try {
    act();
    await until(() => started.length > 0, 8000, 'the download');
    await Promise.all(started);
  } finally {
    window.fetch = real;
    HTMLAnchorElement.prototype.click = click;
  }
  return { requested, downloads };
}

describe('<ap-order-invoice>', () => {
  let store: TestStore;
  let order: { id: string; accountId: string; invoiceNumber: string };

  beforeEach(async () => {
    store = await newStore();
    await serverApi(store, 'PUT', '/store/seller', seller);
    order = await orderWithFulfilments(store, uniqueEmail('ada'), {
      billingDetails: { country: 'GB', postalCode: 'SW1Y 4JH' },
    });
  });

  it('shows the invoice number and billing details, with a language picker that lists every portal language', async () => {
    const el = await mount(store, order.accountId, order.id);
    await shown(el);
    const root = invoiceOf(el)!.shadowRoot!;
    expect(deepText(root)).to.include(`Invoice ${order.invoiceNumber}`);
    expect(deepText(root)).to.include('SW1Y 4JH');
    expect(deepText(root)).to.include('United Kingdom');
    const picker = root.querySelector<HTMLSelectElement>('select[name="language"]')!;
    expect([...picker.options].map((o) => o.value).filter(Boolean)).to.deep.equal([...languages]);
    expect(picker.value).to.equal('en');
    await expect(invoiceOf(el)).to.be.accessible();
  });

  it('downloads the PDF in the chosen language', async () => {
    const el = await mount(store, order.accountId, order.id);
    await shown(el);
    const root = invoiceOf(el)!.shadowRoot!;
    const { requested, downloads } = await captureDownloads(() => {
      const picker = root.querySelector<HTMLSelectElement>('select[name="language"]')!;
      picker.value = 'de';
      picker.dispatchEvent(new Event('change'));
      root.querySelector<HTMLButtonElement>('[part~="download-button"]')!.click();
    });
    expect(requested.some((url) => url.endsWith(`/orders/${order.id}/invoice.pdf?lang=de`))).to.equal(true);
    expect(downloads[0].name).to.equal(`${order.invoiceNumber}.pdf`);
  });

  it('offers the e-invoice (XML) beside the PDF and downloads it', async () => {
    const el = await mount(store, order.accountId, order.id, 'de');
    await shown(el);
    const root = invoiceOf(el)!.shadowRoot!;
    const button = root.querySelector<HTMLButtonElement>('[part~="e-invoice-button"]')!;
    expect(button.textContent!.trim()).to.equal('E-Rechnung (XML)');
    expect(button.closest('.download')).to.equal(root.querySelector('[part~="download-button"]')!.closest('.download'));
    await expect(invoiceOf(el)).to.be.accessible();
    const { requested, downloads } = await captureDownloads(() => button.click());
    expect(requested.some((url) => url.endsWith(`/orders/${order.id}/invoice.xml`))).to.equal(true);
    expect(downloads[0].name).to.equal(`${order.invoiceNumber}.xml`);
    expect(downloads[0].text).to.include('<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>');
    expect(downloads[0].text).to.include(`<cbc:ID>${order.invoiceNumber}</cbc:ID>`);
  });

  it('says why no e-invoice can be made when the billing details lack a country', async () => {
    const email = uniqueEmail('lin');
    const countryless = await orderWithFulfilments(store, email, {
      customer: { email, firstName: 'Lin' },
      items: [{ product: 'guide', displayName: 'Guide', quantity: 1, unitPrice: 1500, tax: 0 }],
    });
    const el = await mount(store, countryless.accountId, countryless.id);
    await shown(el);
    const root = invoiceOf(el)!.shadowRoot!;
    root.querySelector<HTMLButtonElement>('[part~="e-invoice-button"]')!.click();
    await until(() => root.querySelector('[role="alert"]'), 8000, 'the explanation');
    expect(root.querySelector('[role="alert"]')!.textContent).to.include('The e-invoice needs your country');
    expect(root.querySelector<HTMLButtonElement>('[part~="e-invoice-button"]')!.disabled).to.equal(false);
    await expect(invoiceOf(el)).to.be.accessible();
  });

  it('corrects the business name into revision 2, with field errors from the server', async () => {
    const el = await mount(store, order.accountId, order.id, 'de');
    await shown(el);
    const root = invoiceOf(el)!.shadowRoot!;
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Rechnungsdaten korrigieren'))!.click();
    await until(() => root.querySelector('form'), 4000, 'the form');
    const business = root.querySelector<HTMLInputElement>('input[name="isBusiness"]')!;
    business.click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => root.querySelector('#invoice-businessName-error'), 6000, 'the field error');
    expect(root.querySelector('#invoice-businessName')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(invoiceOf(el)).to.be.accessible();

    const name = root.querySelector<HTMLInputElement>('#invoice-businessName')!;
    name.value = 'Analytical Engines Ltd';
    name.dispatchEvent(new InputEvent('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => deepText(root).includes('Korrektur 2'), 6000, 'revision 2');
    expect(deepText(root)).to.include('Analytical Engines Ltd');
    const merchant = await serverApi(store, 'GET', `/orders/${order.id}/invoice?revision=1`);
    expect(merchant.billingDetails.businessName).to.equal(null);
  });

  it('keeps the country of a taxed order and says why', async () => {
    const el = await mount(store, order.accountId, order.id);
    await shown(el);
    const root = invoiceOf(el)!.shadowRoot!;
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Correct billing details'))!.click();
    await until(() => root.querySelector('form'), 4000, 'the form');
    const country = root.querySelector<HTMLSelectElement>('#invoice-country')!;
    expect(country.disabled).to.equal(true);
    expect(deepText(root)).to.include('The country cannot be changed');
  });

  it('is not there for the recipient of a gift', async () => {
    const recipient = uniqueEmail('grace');
    const gift = await orderWithFulfilments(store, uniqueEmail('bob'), { gift: { recipient: { email: recipient } } });
    const accounts = await serverApi(store, 'GET', `/accounts?email=${encodeURIComponent(recipient)}`);
    const el = await mount(store, accounts.data[0].id, gift.id);
    await until(() => deepQuery(el.shadowRoot!, 'ap-order-detail')?.shadowRoot?.querySelector('h2'), 8000, 'the order');
    expect(invoiceOf(el)).to.equal(null);
  });
});
