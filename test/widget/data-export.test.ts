import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApAccountForm } from '../../widget/components/account-form/account-form';
import { ApDataExport } from '../../widget/components/data-export/data-export';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import type { ApDataExportedEvent } from '../../widget/events';
import { authUrlFor, newStore, orderWithFulfilments, uniqueEmail, until } from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApAccountForm.define('ap-account-form');
ApDataExport.define('ap-data-export');

/** Signs a customer with one order in through a pre-authenticated URL and opens the Account tab. */
async function openAccount() {
  const store = await newStore();
  const email = uniqueEmail('ada');
  const order = await orderWithFulfilments(store, email);
  const authUrl = await authUrlFor(store, order.accountId);
  const el = await fixture<AccountPortal>(html`
    <account-portal store=${store.id} auth-url=${authUrl} no-hash-routing route="/account"></account-portal>`);
  const card = () => el.shadowRoot!.querySelector('ap-account-form')?.shadowRoot?.querySelector('ap-data-export');
  await until(() => card()?.shadowRoot?.getElementById('export-download'), 5000, 'the data export card');
  return { store, email, order, el, card: card()! };
}

const part = (card: ApDataExport, selector: string) => card.shadowRoot!.querySelector<HTMLElement>(selector)!;
const words = (node: HTMLElement) => node.textContent!.replace(/\s+/g, ' ').trim();

/** What the download anchors the card clicks point to: their file names and the files' text. */
function catchDownloads() {
  const caught: { name: string; text: Promise<string> }[] = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download) caught.push({ name: this.download, text: fetch(this.href).then((r) => r.text()) });
    else click.call(this);
  };
  return { caught, restore: () => (HTMLAnchorElement.prototype.click = click) };
}

afterEach(() => sessionStorage.clear());

describe('<ap-data-export>', () => {
  it('downloads the export under the server’s file name, says so and fires ap-data-exported', async () => {
    const { store, email, order, el, card } = await openAccount();
    const button = part(card, '#export-download') as HTMLButtonElement;
    expect(words(button)).to.equal('Download my data');
    expect(words(part(card, '.intro'))).to.include('Northwind Test Shop holds about you');
    const downloads = catchDownloads();
    try {
      const exported = oneEvent<ApDataExportedEvent>(el, 'ap-data-exported');
      button.click();
      await card.updateComplete;
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      expect(words(button)).to.equal('Preparing…');
      const event = await exported;
      const today = new Date().toISOString().slice(0, 10);
      expect(event.fileName).to.equal(`${store.id}-account-data-${today}.json`);
      expect(downloads.caught.map((d) => d.name)).to.deep.equal([event.fileName]);
      const data = JSON.parse(await downloads.caught[0].text);
      expect(data.format).to.equal('account-portal/account-export');
      expect(data.account.email).to.equal(email);
      expect(data.orders.map((o: { id: string }) => o.id)).to.deep.equal([order.id]);
      await card.updateComplete;
      expect(words(part(card, '[role="status"]'))).to.equal(`Your data was downloaded as ${event.fileName}.`);
      expect(button.getAttribute('aria-disabled')).to.equal('false');
    } finally {
      downloads.restore();
    }
  });

  it('says when the customer may download again once the hourly limit is reached', async () => {
    const { card } = await openAccount();
    const downloads = catchDownloads();
    try {
      for (let i = 1; i <= 6; i++) {
        (part(card, '#export-download') as HTMLButtonElement).click();
        await card.updateComplete;
        expect(part(card, '#export-download').getAttribute('aria-disabled'), `busy ${i}`).to.equal('true');
        await until(() => part(card, '#export-download').getAttribute('aria-disabled') === 'false', 5000, `try ${i}`);
      }
    } finally {
      downloads.restore();
    }
    expect(downloads.caught).to.have.length(5);
    const alert = part(card, '[role="alert"]');
    expect(words(alert)).to.match(
      /^You have downloaded your data several times in the last hour\. Please try again in 60 minutes\.$/,
    );
    expect(words(part(card, '[role="status"]'))).to.equal('');
  });

  it('is accessible', async () => {
    const { card } = await openAccount();
    await expect(card).to.be.accessible();
  });
});
