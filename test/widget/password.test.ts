import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApAccountForm } from '../../widget/components/account-form/account-form';
import { ApPasswordSettings } from '../../widget/components/password-settings/password-settings';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import {
  authUrlFor,
  deepQuery,
  emailFor,
  newStore,
  nextEvent,
  serverApi,
  uniqueEmail,
  until,
  type TestStore,
} from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');
ApAccountForm.define('ap-account-form');
ApPasswordSettings.define('ap-password-settings');

const originalUrl = location.href;
afterEach(() => {
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A customer of the store (made by an order-less account create). */
async function customer(store: TestStore): Promise<{ id: string; email: string }> {
  const email = uniqueEmail('pat');
  const account = await serverApi<{ id: string }>(store, 'POST', '/accounts', { email, firstName: 'Pat' });
  return { id: account.id, email };
}

/** Whether the Portal API signs `email` in with `password`. */
async function passwordWorks(store: TestStore, email: string, password: string): Promise<boolean> {
  const response = await fetch(`/portal/${store.id}/sessions/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return response.status === 201;
}

/** The token of the newest password reset email to `email`. */
async function resetTokenFor(email: string): Promise<string> {
  const message = await emailFor(email, 'password_reset');
  const link = message.links.map((href) => new URL(href)).find((url) => url.searchParams.has('portal_reset'))!;
  return link.searchParams.get('portal_reset')!;
}

describe('password sign-in, finished', () => {
  let store: TestStore;

  before(async () => {
    store = await newStore({ passwordLogin: true });
  });

  describe('<ap-sign-in>: a forgotten password', () => {
    const signIn = (el: AccountPortal) => deepQuery<ApSignIn>(el.shadowRoot!, 'ap-sign-in')!;
    const shadow = (el: AccountPortal) => signIn(el)?.shadowRoot as ShadowRoot;

    async function arriveWithResetLink(token: string): Promise<AccountPortal> {
      history.replaceState(null, '', `${location.pathname}?portal_reset=${encodeURIComponent(token)}#/account`);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await until(() => shadow(el)?.querySelector('#new-password'), 6000, 'the new password form');
      return el;
    }

    it('"Forgot your password?" emails a link to choose a new one, which signs the customer in', async () => {
      const { email } = await customer(store);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await until(() => shadow(el)?.querySelector('form'), 6000, 'the sign-in form');
      [...shadow(el).querySelectorAll<HTMLButtonElement>('.button.link')]
        .find((b) => b.textContent!.includes('with a password'))!
        .click();
      await until(() => shadow(el).querySelector('#password'), 4000, 'the password form');
      [...shadow(el).querySelectorAll<HTMLButtonElement>('.button.link')]
        .find((b) => b.textContent!.includes('Forgot your password?'))!
        .click();
      await until(() => text(shadow(el).querySelector('h2')) === 'Reset your password', 4000, 'the reset form');
      expect(deepActive()).to.equal(shadow(el).querySelector('h2'));
      await expect(el).to.be.accessible();

      shadow(el).querySelector<HTMLInputElement>('#reset-email')!.value = email;
      const requested = nextEvent(document, 'ap-password-reset-requested');
      shadow(el).querySelector('form')!.requestSubmit();
      expect((await requested).email).to.equal(email);
      await until(() => text(shadow(el).querySelector('h2')) === 'Check your inbox', 4000, 'the confirmation');
      expect(text(shadow(el).querySelector('[role="status"]'))).to.include(
        `If ${email} has an account with us, a link to choose a new password is on its way.`,
      );
      const token = await resetTokenFor(email);
      el.remove();

      const arrived = await arriveWithResetLink(token);
      expect(location.search, 'the token leaves the address bar at once').not.to.include('portal_reset');
      expect(location.hash).to.equal('#/account');
      const input = shadow(arrived).querySelector<HTMLInputElement>('#new-password')!;
      expect(text(shadow(arrived).querySelector('h2'))).to.equal('Choose a new password');
      expect(input.type).to.equal('password');
      expect(input.autocomplete).to.equal('new-password');
      expect(text(shadow(arrived).querySelector('label[for="new-password"]'))).to.equal('New password');
      await expect(arrived).to.be.accessible();

      // Too short: said at the field, which keeps the focus.
      input.value = 'short';
      shadow(arrived).querySelector('form')!.requestSubmit();
      await until(() => input.getAttribute('aria-invalid') === 'true', 4000, 'the field error');
      expect(input.getAttribute('aria-describedby')).to.equal('new-password-hint new-password-error');
      expect(text(shadow(arrived).querySelector('#new-password-error'))).to.equal('Use at least 10 characters.');
      expect(deepActive()).to.equal(input);
      await expect(arrived).to.be.accessible();

      // "Show password" shows what was typed.
      shadow(arrived).querySelector<HTMLInputElement>('#show-password')!.click();
      await until(() => input.type === 'text', 4000, 'the password shown');

      input.value = 'a brand new passphrase';
      const signedIn = nextEvent(arrived, 'ap-signed-in');
      const changed = nextEvent(document, 'ap-password-changed');
      shadow(arrived).querySelector('form')!.requestSubmit();
      expect((await signedIn).account.email).to.equal(email);
      expect((await changed).change).to.equal('reset');
      await until(() => arrived.shadowRoot!.querySelector('[role="tablist"]'), 6000, 'the signed-in portal');
      expect(await passwordWorks(store, email, 'a brand new passphrase')).to.equal(true);
    });

    it('a used link says so and offers a new one right there', async () => {
      const { email } = await customer(store);
      await fetch(`/portal/${store.id}/password-resets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      const token = await resetTokenFor(email);
      const used = await fetch(`/portal/${store.id}/sessions/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password: 'the first new passphrase' }),
      });
      expect(used.status).to.equal(201);

      const el = await arriveWithResetLink(token);
      const failed = nextEvent(el, 'ap-error');
      shadow(el).querySelector<HTMLInputElement>('#new-password')!.value = 'the second new passphrase';
      shadow(el).querySelector('form')!.requestSubmit();
      const error = await failed;
      expect([error.code, error.action]).to.deep.equal(['token_used', 'reset-password']);
      await until(() => shadow(el).querySelector('#reset-email'), 4000, 'the form for a new link');
      expect(text(shadow(el).querySelector('h2'))).to.equal('Reset your password');
      expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal(
        'This link has already been used. Ask for a new one below.',
      );
      expect(deepActive()).to.equal(shadow(el).querySelector('h2'));
      await expect(el).to.be.accessible();
      expect(await passwordWorks(store, email, 'the second new passphrase')).to.equal(false);
    });
  });

  describe('<ap-password-settings> on the Account tab', () => {
    const card = (el: AccountPortal) => deepQuery<ApPasswordSettings>(el.shadowRoot!, 'ap-password-settings');
    const shadow = (el: AccountPortal) => card(el)?.shadowRoot as ShadowRoot;
    const input = (el: AccountPortal, id: string) => shadow(el)?.querySelector<HTMLInputElement>(`#${id}`) ?? null;

    async function mount(accountId: string): Promise<AccountPortal> {
      const url = await authUrlFor(store, accountId);
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${url} no-hash-routing route="/account"></account-portal>`,
      );
      await until(() => input(el, 'new-password'), 8000, 'the password card');
      return el;
    }

    const submit = (el: AccountPortal) => shadow(el).querySelector('form')!.requestSubmit();

    it('sets a first password with the new one only, then asks for the current one to change it', async () => {
      const { id, email } = await customer(store);
      const el = await mount(id);
      expect(text(shadow(el).querySelector('h2'))).to.equal('Password');
      expect(input(el, 'current-password')).to.equal(null);
      expect(input(el, 'new-password')!.autocomplete).to.equal('new-password');
      const username = shadow(el).querySelector<HTMLInputElement>('input[autocomplete="username"]')!;
      expect([username.value, username.hidden]).to.deep.equal([email, true]);
      expect(text(shadow(el).querySelector('#password-save'))).to.equal('Set password');
      await expect(el).to.be.accessible();

      input(el, 'new-password')!.value = 'correct horse battery';
      const changed = nextEvent(document, 'ap-password-changed');
      submit(el);
      expect((await changed).change).to.equal('set');
      await until(() => input(el, 'current-password'), 4000, 'the change form');
      expect(text(shadow(el).querySelector('[role="status"]'))).to.equal(
        'Your password has been set. You can now sign in with it.',
      );
      expect(input(el, 'new-password')!.value, 'the form is emptied').to.equal('');
      expect(input(el, 'current-password')!.autocomplete).to.equal('current-password');
      expect(text(shadow(el).querySelector('#password-save'))).to.equal('Change password');
      expect(await passwordWorks(store, email, 'correct horse battery')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('changing needs the right current password: a wrong one is said at its field, which takes the focus', async () => {
      const { id, email } = await customer(store);
      const el = await mount(id);
      input(el, 'new-password')!.value = 'correct horse battery';
      const set = nextEvent(el, 'ap-password-changed');
      submit(el);
      await set;
      await until(() => input(el, 'current-password'), 4000, 'the change form');

      // Nothing typed in: said before anything is sent.
      input(el, 'new-password')!.value = 'another good phrase';
      submit(el);
      await until(() => input(el, 'current-password')!.getAttribute('aria-invalid') === 'true', 4000, 'the error');
      expect(text(shadow(el).querySelector('#current-password-error'))).to.equal('Enter your current password.');
      expect(deepActive()).to.equal(input(el, 'current-password'));
      expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('Please correct the highlighted fields.');

      const failed = nextEvent(el, 'ap-error');
      input(el, 'current-password')!.value = 'a wrong guess';
      input(el, 'new-password')!.value = 'another good phrase';
      submit(el);
      const error = await failed;
      expect([error.code, error.status, error.action]).to.deep.equal(['validation_failed', 422, 'set-password']);
      await until(
        () => text(shadow(el).querySelector('#current-password-error')) === 'The current password is wrong.',
        4000,
        'the wrong password said',
      );
      expect(input(el, 'current-password')!.getAttribute('aria-describedby')).to.equal('current-password-error');
      expect(input(el, 'new-password')!.getAttribute('aria-invalid')).to.equal('false');
      expect(deepActive()).to.equal(input(el, 'current-password'));
      await expect(el).to.be.accessible();

      input(el, 'current-password')!.value = 'correct horse battery';
      const changed = nextEvent(el, 'ap-password-changed');
      submit(el);
      expect((await changed).change).to.equal('changed');
      await until(
        () => text(shadow(el).querySelector('[role="status"]')) === 'Your password has been changed.',
        4000,
        'the confirmation',
      );
      expect(await passwordWorks(store, email, 'another good phrase')).to.equal(true);
    });

    it('"Forgot your current password?" emails the account a link to choose a new one', async () => {
      const { id, email } = await customer(store);
      const el = await mount(id);
      input(el, 'new-password')!.value = 'correct horse battery';
      const set = nextEvent(el, 'ap-password-changed');
      submit(el);
      await set;
      await until(() => input(el, 'current-password'), 4000, 'the change form');
      const requested = nextEvent(el, 'ap-password-reset-requested');
      [...shadow(el).querySelectorAll<HTMLButtonElement>('button')]
        .find((b) => text(b) === 'Forgot your current password?')!
        .click();
      expect((await requested).email).to.equal(email);
      await until(
        () => text(shadow(el).querySelector('[role="status"]')).includes('We emailed a link to choose a new password'),
        4000,
        'the confirmation',
      );
      expect(await resetTokenFor(email)).to.match(/^pt_/);
    });

    it('is not there when the store does not offer passwords', async () => {
      const plain = await newStore();
      const account = await serverApi<{ id: string }>(plain, 'POST', '/accounts', { email: uniqueEmail('no') });
      const url = await authUrlFor(plain, account.id);
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${plain.id} auth-url=${url} no-hash-routing route="/account"></account-portal>`,
      );
      await until(() => deepQuery(el.shadowRoot!, '#contact-form'), 8000, 'the account form');
      expect(card(el)?.shadowRoot?.querySelector('form') ?? null).to.equal(null);
    });
  });
});
