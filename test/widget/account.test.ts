import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApAccountForm } from '../../widget/components/account-form/account-form';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import type { ApAccountUpdatedEvent } from '../../widget/events';
import type { PortalAccountView } from '../../widget/internal/types';
import { authUrlFor, deepText, newStore, serverApi, uniqueEmail, until, type TestStore } from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApAccountForm.define('ap-account-form');

type Account = PortalAccountView & { customUserId: string | null };

/** A customer the merchant's backend created with full contact and billing data. */
async function customer(store: TestStore): Promise<Account> {
  return serverApi<Account>(store, 'POST', '/accounts', {
    email: uniqueEmail('ada'),
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+44 20 7946 0000',
    company: 'Analytical Engines',
    country: 'GB',
    language: 'en',
    address: { line1: "12 St James's Square", city: 'London', postalCode: 'SW1Y 4LB' },
    billingDetails: {
      country: 'GB',
      postalCode: 'SW1Y 4LB',
      businessName: 'Analytical Engines Ltd',
      taxId: 'GB123456789',
      isBusiness: true,
    },
  });
}

const stored = (store: TestStore, id: string) => serverApi<Account>(store, 'GET', `/accounts/${id}`);

const formOf = (el: AccountPortal) => el.shadowRoot!.querySelector('ap-account-form');
const root = (el: AccountPortal) => formOf(el)!.shadowRoot!;
const input = (el: AccountPortal, id: string) => root(el).getElementById(id) as HTMLInputElement;
const select = (el: AccountPortal, id: string) => root(el).getElementById(id) as HTMLSelectElement;
const text = (el: AccountPortal, selector: string) =>
  root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Signs in through a pre-authenticated URL and opens the Account tab. */
async function openAccount(store: TestStore, account: Account, route = '/account'): Promise<AccountPortal> {
  const authUrl = await authUrlFor(store, account.id);
  const el = await fixture<AccountPortal>(html`
    <account-portal store=${store.id} auth-url=${authUrl} no-hash-routing route=${route}></account-portal>`);
  if (route === '/account')
    await until(() => formOf(el)?.shadowRoot?.getElementById('contact-firstName'), 5000, 'account form');
  return el;
}

/** Types into a field the way an input event from the keyboard would report it. */
function type(field: HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function choose(field: HTMLSelectElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

function check(field: HTMLInputElement, checked: boolean): void {
  if (field.checked !== checked) field.click();
}

const save = (el: AccountPortal, section: 'contact' | 'billing') =>
  (root(el).getElementById(`${section}-save`) as HTMLButtonElement).click();

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

afterEach(() => sessionStorage.clear());

describe('<ap-account-form>', () => {
  describe('showing the account', () => {
    it('fills the form from the session at once and shows the email read-only with a hint', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      expect(input(el, 'contact-firstName').value).to.equal('Ada');
      expect(input(el, 'contact-lastName').value).to.equal('Lovelace');
      expect(input(el, 'contact-phone').value).to.equal('+44 20 7946 0000');
      expect(input(el, 'contact-company').value).to.equal('Analytical Engines');
      expect(input(el, 'contact-line1').value).to.equal("12 St James's Square");
      expect(input(el, 'contact-city').value).to.equal('London');
      expect(input(el, 'contact-postalCode').value).to.equal('SW1Y 4LB');
      expect(select(el, 'contact-country').value).to.equal('GB');
      expect(select(el, 'contact-language').value).to.equal('en');
      expect(select(el, 'billing-country').value).to.equal('GB');
      expect(input(el, 'billing-postalCode').value).to.equal('SW1Y 4LB');
      expect(input(el, 'billing-businessName').value).to.equal('Analytical Engines Ltd');
      expect(input(el, 'billing-taxId').value).to.equal('GB123456789');
      expect(input(el, 'billing-isBusiness').checked).to.equal(true);

      const email = input(el, 'contact-email');
      expect(email.value).to.equal(account.email);
      expect(email.readOnly).to.equal(true);
      expect(root(el).getElementById(email.getAttribute('aria-describedby')!)!.textContent).to.include(
        'Only the store can change your email address',
      );
      await expect(el).to.be.accessible();
    });

    it('labels every field and offers autofill', async () => {
      const store = await newStore();
      const el = await openAccount(store, await customer(store));
      const expected: Record<string, string> = {
        'contact-firstName': 'given-name',
        'contact-lastName': 'family-name',
        'contact-phone': 'tel',
        'contact-company': 'organization',
        'contact-line1': 'address-line1',
        'contact-line2': 'address-line2',
        'contact-city': 'address-level2',
        'contact-region': 'address-level1',
        'contact-postalCode': 'postal-code',
        'contact-country': 'country',
        'contact-email': 'email',
        'billing-country': 'billing country',
        'billing-postalCode': 'billing postal-code',
      };
      for (const [id, token] of Object.entries(expected)) {
        expect(root(el).getElementById(id)!.getAttribute('autocomplete'), id).to.equal(token);
      }
      expect(input(el, 'contact-phone').type).to.equal('tel');
      for (const control of root(el).querySelectorAll('input, select')) {
        expect(root(el).querySelector(`label[for="${control.id}"]`), control.id).to.exist;
      }
    });

    it('lists every country by its name, sorted, and a "same as my browser" language', async () => {
      const store = await newStore();
      const el = await openAccount(store, await customer(store));
      const options = [...select(el, 'contact-country').options].slice(1);
      expect(options.length).to.be.greaterThan(240);
      const names = options.map((o) => o.textContent!.trim());
      expect(names).to.deep.equal([...names].sort(new Intl.Collator('en').compare));
      expect(options.find((o) => o.value === 'DE')!.textContent!.trim()).to.equal('Germany');
      const languages = [...select(el, 'contact-language').options].map((o) => [o.value, o.textContent!.trim()]);
      expect(languages).to.have.length(31);
      expect(languages.slice(0, 3)).to.deep.equal([
        ['', 'Same as my browser'],
        ['en', 'English'],
        ['de', 'Deutsch'],
      ]);
      // Each language named in itself, and marked as written in it.
      expect(languages).to.deep.include(['ja', '日本語']);
      expect(languages).to.deep.include(['pt-PT', 'Português europeu']);
      expect(select(el, 'contact-language').querySelector<HTMLOptionElement>('option[value="ar"]')!.lang).to.equal(
        'ar',
      );
    });

    it('refreshes from GET /me what changed since signing in', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account, '/orders');
      await until(() => el.shadowRoot!.querySelector('[role="tablist"]'), 5000, 'signed in');
      await serverApi(store, 'PATCH', `/accounts/${account.id}`, { firstName: 'Grace' });
      el.navigate('/account');
      await until(() => formOf(el)?.shadowRoot?.getElementById('contact-firstName'), 4000, 'account form');
      await until(() => input(el, 'contact-firstName').value === 'Grace', 4000, 'the fresh first name');
    });
  });

  describe('saving contact details', () => {
    it('sends PATCH /me, shows the busy state, announces success and fires ap-account-updated', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      type(input(el, 'contact-firstName'), 'Augusta');
      type(input(el, 'contact-line2'), 'Flat 3');
      choose(select(el, 'contact-country'), 'IE');
      type(input(el, 'contact-postalCode'), 'D02 X285');
      const updated = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      save(el, 'contact');
      await formOf(el)!.updateComplete;
      const button = root(el).getElementById('contact-save')!;
      expect(button.textContent!.trim()).to.equal('Saving…');
      expect(button.getAttribute('aria-disabled')).to.equal('true');

      const event = await updated;
      expect(event.account.firstName).to.equal('Augusta');
      expect(event.account.address.line2).to.equal('Flat 3');
      await until(
        () => text(el, '#contact-form [role="status"]') === 'Your contact details have been saved.',
        4000,
        'saved',
      );
      expect(button.textContent!.trim()).to.equal('Save');

      const fresh = await stored(store, account.id);
      expect(fresh.firstName).to.equal('Augusta');
      expect(fresh.country).to.equal('IE');
      expect(fresh.address).to.deep.equal({
        line1: "12 St James's Square",
        line2: 'Flat 3',
        city: 'London',
        region: null,
        postalCode: 'D02 X285',
      });
      expect(fresh.email).to.equal(account.email);
      await expect(el).to.be.accessible();
    });

    it('clears a field emptied by the customer', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      type(input(el, 'contact-company'), '');
      choose(select(el, 'contact-language'), '');
      const updated = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      save(el, 'contact');
      expect((await updated).account.company).to.equal(null);
      const fresh = await stored(store, account.id);
      expect(fresh.company).to.equal(null);
      expect(fresh.language).to.equal(null);
    });

    it("shows the server's field errors next to the fields and moves focus to the first", async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      let updates = 0;
      el.addEventListener('ap-account-updated', () => updates++);
      type(input(el, 'contact-firstName'), 'x'.repeat(101));
      type(input(el, 'contact-phone'), 'call me maybe');
      choose(select(el, 'contact-country'), 'DE');
      save(el, 'contact');
      await until(
        () => text(el, '#contact-form [role="alert"]') === 'Please correct the highlighted fields.',
        4000,
        'summary',
      );
      await formOf(el)!.updateComplete;

      const firstName = input(el, 'contact-firstName');
      const phone = input(el, 'contact-phone');
      expect(firstName.getAttribute('aria-invalid')).to.equal('true');
      expect(text(el, '#contact-firstName-error')).to.equal('Use at most 100 characters.');
      expect(phone.getAttribute('aria-invalid')).to.equal('true');
      expect(phone.getAttribute('aria-describedby')).to.equal('contact-phone-error');
      expect(text(el, '#contact-phone-error')).to.equal('Use digits, spaces and + ( ) - . / only.');
      expect(deepActive()).to.equal(firstName);
      expect(input(el, 'contact-lastName').getAttribute('aria-invalid')).to.equal('false');
      expect(root(el).querySelectorAll('[aria-invalid="true"]').length).to.equal(2);
      expect(updates).to.equal(0);
      expect((await stored(store, account.id)).phone).to.equal('+44 20 7946 0000');
      await expect(el).to.be.accessible();

      // With the format fixed, the server checks country and postal code together: a UK code does not fit Germany.
      type(firstName, 'Ada');
      type(phone, '+49 30 123456');
      save(el, 'contact');
      const postalCode = input(el, 'contact-postalCode');
      await until(() => postalCode.getAttribute('aria-invalid') === 'true', 4000, 'postal code error');
      await formOf(el)!.updateComplete;
      expect(text(el, '#contact-postalCode-error')).to.equal(
        "This postal code doesn't match the country. It should look like 10115.",
      );
      expect(phone.getAttribute('aria-invalid')).to.equal('false');
      expect(deepActive()).to.equal(postalCode);
      expect(updates).to.equal(0);

      type(postalCode, '10115');
      const updated = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      save(el, 'contact');
      const event = await updated;
      expect(event.account.phone).to.equal('+49 30 123456');
      expect(event.account.address.postalCode).to.equal('10115');
      await until(() => !root(el).querySelector('[aria-invalid="true"]'), 4000, 'errors cleared');
      expect(text(el, '#contact-form [role="alert"]')).to.equal('');
    });
  });

  describe('saving billing details', () => {
    it('replaces them with PUT /me/billing-details', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      const business = () => root(el).querySelector('[part="business"]')!;
      expect(business().classList.contains('active')).to.equal(true);
      expect(input(el, 'billing-businessName').required).to.equal(true);

      check(input(el, 'billing-isBusiness'), false);
      await formOf(el)!.updateComplete;
      expect(business().classList.contains('active')).to.equal(false);
      expect(input(el, 'billing-businessName').required).to.equal(false);
      type(input(el, 'billing-businessName'), '');
      type(input(el, 'billing-taxId'), '');
      choose(select(el, 'billing-country'), 'DE');
      type(input(el, 'billing-state'), 'Berlin');
      type(input(el, 'billing-postalCode'), '10115');
      const updated = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      save(el, 'billing');
      const event = await updated;
      const expected = {
        country: 'DE',
        state: 'Berlin',
        postalCode: '10115',
        businessName: null,
        taxId: null,
        isBusiness: false,
      };
      expect(event.account.billingDetails).to.deep.equal(expected);
      await until(
        () => text(el, '#billing-form [role="status"]') === 'Your billing details have been saved.',
        4000,
        'saved',
      );
      expect((await stored(store, account.id)).billingDetails).to.deep.equal(expected);
      expect(text(el, '#contact-form [role="status"]')).to.equal('');
      await expect(el).to.be.accessible();
    });

    it("shows the server's field errors next to the fields and moves focus to the first", async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      // maxlength stops typing past the limit; a pasted-in value set by script still reaches the server.
      type(input(el, 'billing-state'), 'x'.repeat(101));
      type(input(el, 'billing-businessName'), '');
      type(input(el, 'billing-taxId'), 'GB#123');
      save(el, 'billing');
      await until(
        () => text(el, '#billing-form [role="alert"]') === 'Please correct the highlighted fields.',
        4000,
        'summary',
      );
      await formOf(el)!.updateComplete;

      expect(text(el, '#billing-state-error')).to.equal('Use at most 100 characters.');
      expect(text(el, '#billing-businessName-error')).to.equal('Enter the name of the business.');
      expect(text(el, '#billing-taxId-error')).to.equal('Use letters, digits, spaces, dots, dashes and slashes only.');
      expect(input(el, 'billing-taxId').getAttribute('aria-describedby')).to.equal(
        'billing-taxId-hint billing-taxId-error',
      );
      expect(deepActive()).to.equal(input(el, 'billing-state'));
      expect(root(el).querySelectorAll('#contact-form [aria-invalid="true"]').length).to.equal(0);
      expect((await stored(store, account.id)).billingDetails.businessName).to.equal('Analytical Engines Ltd');
      await expect(el).to.be.accessible();
    });
  });

  describe('language', () => {
    it('re-renders the whole portal in German after the customer chooses Deutsch', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      expect(deepText(el)).to.include('Contact details');
      choose(select(el, 'contact-language'), 'de');
      const updated = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      save(el, 'contact');
      expect((await updated).account.language).to.equal('de');
      await until(() => deepText(el).includes('Kontaktdaten'), 4000, 'German');

      const page = deepText(el);
      expect(page).to.include('Rechnungsdaten');
      expect(page).to.include('Ihre Kontaktdaten wurden gespeichert.');
      expect(el.shadowRoot!.querySelector('#tab-account')!.textContent!.trim()).to.equal('Konto');
      expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('de');
      const country = select(el, 'contact-country');
      expect(country.selectedOptions[0].textContent!.trim()).to.equal('Vereinigtes Königreich');
      const names = [...country.options].slice(1).map((o) => o.textContent!.trim());
      expect(names).to.deep.equal([...names].sort(new Intl.Collator('de').compare));
      expect(input(el, 'contact-firstName').value).to.equal('Ada');

      // German field errors too, worked out from the server's codes.
      type(input(el, 'contact-phone'), 'ring me');
      save(el, 'contact');
      await until(() => root(el).querySelector('#contact-phone-error'), 4000, 'German error');
      expect(text(el, '#contact-phone-error')).to.equal('Verwenden Sie nur Ziffern, Leerzeichen und + ( ) - . /.');
      expect(text(el, '#contact-form [role="alert"]')).to.equal('Bitte korrigieren Sie die markierten Felder.');
      await expect(el).to.be.accessible();
    });
  });

  describe('keyboard', () => {
    it('tabs through the fields in reading order and saves with Enter and Space', async () => {
      const store = await newStore();
      const account = await customer(store);
      const el = await openAccount(store, account);
      (el.shadowRoot!.querySelector('#tab-account') as HTMLElement).focus();
      const order: string[] = [];
      for (let i = 0; i < 19; i++) {
        await sendKeys({ press: 'Tab' });
        order.push(deepActive()?.id ?? '');
      }
      expect(order).to.deep.equal([
        'contact-email',
        'contact-firstName',
        'contact-lastName',
        'contact-phone',
        'contact-company',
        'contact-line1',
        'contact-line2',
        'contact-city',
        'contact-region',
        'contact-postalCode',
        'contact-country',
        'contact-language',
        'contact-save',
        'billing-country',
        'billing-state',
        'billing-postalCode',
        'billing-isBusiness',
        'billing-businessName',
        'billing-taxId',
      ]);

      input(el, 'contact-line2').focus();
      await sendKeys({ type: 'Flat 3' });
      const contactSaved = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      await sendKeys({ press: 'Enter' });
      expect((await contactSaved).account.address.line2).to.equal('Flat 3');

      input(el, 'billing-taxId').focus();
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(deepActive()).to.equal(input(el, 'billing-isBusiness'));
      await sendKeys({ press: 'Space' });
      expect(input(el, 'billing-isBusiness').checked).to.equal(false);
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(root(el).getElementById('billing-save'));
      const billingSaved = oneEvent<ApAccountUpdatedEvent>(el, 'ap-account-updated');
      await sendKeys({ press: 'Space' });
      expect((await billingSaved).account.billingDetails.isBusiness).to.equal(false);
      expect(deepActive()).to.equal(root(el).getElementById('billing-save'));
    });
  });

  describe('layout', () => {
    it('uses two columns on a wide container and one on a narrow one, without overflowing at 320 px', async () => {
      const store = await newStore();
      const el = await openAccount(store, await customer(store));
      const box = (id: string) => root(el).getElementById(id)!.getBoundingClientRect();
      el.style.width = '900px';
      await formOf(el)!.updateComplete;
      expect(box('contact-lastName').top).to.equal(box('contact-firstName').top);
      expect(box('contact-lastName').left).to.be.greaterThan(box('contact-firstName').right);

      el.style.width = '320px';
      await formOf(el)!.updateComplete;
      expect(box('contact-lastName').top).to.be.greaterThan(box('contact-firstName').bottom);
      const form = formOf(el)!;
      expect(form.scrollWidth).to.be.at.most(form.clientWidth);
      for (const control of root(el).querySelectorAll('input:not([type="checkbox"]), select, button')) {
        expect(control.getBoundingClientRect().right, control.id).to.be.at.most(el.getBoundingClientRect().right);
      }
    });
  });
});
