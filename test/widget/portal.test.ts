import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index';
import type { AccountPortal } from '../../widget/index';
import {
  authUrlFor,
  deepQuery,
  deepText,
  emailFor,
  expireSession,
  newStore,
  nextEvent,
  serverApi,
  storedSessionToken,
  until,
  uniqueEmail,
  type TestStore,
} from './support/fixtures';

async function customer(store: TestStore, fields: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const account = await serverApi<{ id: string }>(store, 'POST', '/accounts', { email, firstName: 'Ada', ...fields });
  return { email, id: account.id };
}

const shadow = (el: AccountPortal) => el.shadowRoot!;
const signedIn = (el: AccountPortal) => until(() => shadow(el).querySelector('[role="tablist"]'), 5000, 'signed in');
const originalUrl = location.href;

afterEach(() => {
  history.replaceState(null, '', originalUrl);
  sessionStorage.clear();
});

describe('<account-portal>', () => {
  describe('signing in by email', () => {
    it('asks for an email, then says to check the inbox, and the emailed link signs in', async () => {
      const store = await newStore();
      const { email } = await customer(store);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await until(() => deepQuery(el, 'input#email'), 4000, 'email field');
      await expect(el).to.be.accessible();
      const input = deepQuery<HTMLInputElement>(el, 'input#email')!;
      input.value = email;
      deepQuery<HTMLButtonElement>(el, 'form button[type="submit"]')!.click();
      await until(() => deepText(el).includes('Check your inbox'), 4000, 'check inbox');
      expect(deepText(el)).to.include(email);
      await expect(el).to.be.accessible();

      const message = await emailFor(email, 'login_link');
      expect(message?.kind).to.equal('login_link');
      const link = message!.links.find((l) => l.includes('portal_token='))!;
      const signedInEvent = nextEvent(el, 'ap-signed-in');
      el.authUrl = link;
      const event = await signedInEvent;
      expect(event.account.email).to.equal(email);
      await signedIn(el);
    });

    it('waits out Retry-After before offering to resend', async () => {
      const store = await newStore();
      const { email } = await customer(store);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await until(() => deepQuery(el, 'input#email'));
      deepQuery<HTMLInputElement>(el, 'input#email')!.value = email;
      deepQuery<HTMLButtonElement>(el, 'form button[type="submit"]')!.click();
      await until(() => deepText(el).includes('Send the link again'));
      const resend = [...deepQuery(el, 'ap-sign-in')!.shadowRoot!.querySelectorAll('button')].find((b) =>
        b.textContent!.includes('Send the link again'),
      )!;
      const error = nextEvent(el, 'ap-error');
      resend.click();
      expect((await error).code).to.equal('login_link_recently_sent');
      await until(() => /another link in \d+ seconds/.test(deepText(el)), 4000, 'countdown');
      expect(resend.disabled).to.equal(true);
      expect(deepText(el)).to.include('A link was sent very recently');
    });

    it('explains a bad email in plain words, next to the field', async () => {
      const store = await newStore();
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await until(() => deepQuery(el, 'input#email'));
      deepQuery<HTMLInputElement>(el, 'input#email')!.value = 'not an email';
      deepQuery<HTMLButtonElement>(el, 'form button[type="submit"]')!.click();
      await until(() => deepText(el).includes('Please enter a valid email address'));
      expect(deepQuery(el, 'input#email')!.getAttribute('aria-invalid')).to.equal('true');
      await expect(el).to.be.accessible();
    });
  });

  describe('tokens in auth-url and the address bar', () => {
    it('redeems the auth-url token and opens the route in its fragment', async () => {
      const store = await newStore();
      const { id, email } = await customer(store);
      const url = `${await authUrlFor(store, id)}#/account`;
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${url}></account-portal>`,
      );
      await signedIn(el);
      expect(location.hash).to.equal('#/account');
      expect(deepText(el)).to.include(email);
    });

    it('accepts a bare token as auth-url', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const token = new URL(await authUrlFor(store, id)).searchParams.get('portal_token')!;
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${token}></account-portal>`,
      );
      await signedIn(el);
    });

    it('redeems portal_token from the page URL and removes it from the address bar, keeping the route', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const token = new URL(await authUrlFor(store, id)).searchParams.get('portal_token')!;
      history.replaceState(null, '', `${location.pathname}?keep=1&portal_token=${token}#/account`);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await signedIn(el);
      expect(location.search).to.equal('?keep=1');
      expect(location.hash).to.equal('#/account');
      expect(shadow(el).querySelector('#tab-account')!.getAttribute('aria-selected')).to.equal('true');
    });

    it('says so in plain words when a link was already used', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const url = await authUrlFor(store, id);
      await fetch(`/portal/${store.id}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: new URL(url).searchParams.get('portal_token') }),
      });
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${url}></account-portal>`,
      );
      await until(() => deepText(el).includes('already been used'));
      expect(deepQuery(el, 'input#email')).to.exist;
    });

    it('says a link was tried too often, not that one was sent, when a link hits its limit', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const url = await authUrlFor(store, id);
      const redeem = () =>
        fetch(`/portal/${store.id}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: new URL(url).searchParams.get('portal_token') }),
        });
      for (let i = 0; i < 20; i++) await redeem();
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${url}></account-portal>`,
      );
      await until(() => deepText(el).includes('This link was tried too many times'), 4000, 'the limit message');
      expect(deepText(el)).not.to.include('A link was sent very recently');
      expect(deepQuery(el, 'input#email')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('keeps the session in sessionStorage only', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      localStorage.clear();
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${await authUrlFor(store, id)}></account-portal>`,
      );
      await signedIn(el);
      expect(storedSessionToken(store.id)).to.match(/^st_/);
      expect(JSON.stringify({ ...localStorage })).not.to.include('st_');
    });
  });

  describe('an expired session', () => {
    it('asks to sign in again and returns to the same route afterwards', async () => {
      const store = await newStore();
      const { id, email } = await customer(store);
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${await authUrlFor(store, id)}></account-portal>`,
      );
      await signedIn(el);
      el.navigate('/account');
      await until(() => location.hash === '#/account');
      await expireSession(storedSessionToken(store.id)!);

      const expired = nextEvent(el, 'ap-session-expired');
      el.navigate('/orders');
      expect((await expired).route).to.equal('/orders');
      await until(() => deepText(el).includes('Your session has expired'));
      expect(storedSessionToken(store.id)).to.equal(null);

      deepQuery<HTMLInputElement>(el, 'input#email')!.value = email;
      deepQuery<HTMLButtonElement>(el, 'form button[type="submit"]')!.click();
      await until(() => deepText(el).includes('Check your inbox'));
      const link = (await emailFor(email, 'login_link')).links.find((l) => l.includes('portal_token='))!;
      expect(new URL(link).hash).to.equal('#/orders');
      location.hash = '#/account';
      el.authUrl = link;
      await signedIn(el);
      await until(() => location.hash === '#/orders', 4000, 'back on the route');
    });
  });

  describe('navigation', () => {
    it('follows the WAI-ARIA tabs pattern with arrow keys and fires ap-navigate', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${await authUrlFor(store, id)}></account-portal>`,
      );
      await signedIn(el);
      const ordersTab = shadow(el).querySelector<HTMLElement>('#tab-orders')!;
      ordersTab.focus();
      const navigated = nextEvent(el, 'ap-navigate');
      await sendKeys({ press: 'ArrowRight' });
      expect((await navigated).route).to.equal('/subscriptions');
      await until(() => shadow(el).activeElement?.id === 'tab-subscriptions', 2000, 'focus on the subscriptions tab');
      expect(shadow(el).querySelector('#tab-subscriptions')!.getAttribute('aria-selected')).to.equal('true');
      expect(ordersTab.getAttribute('tabindex')).to.equal('-1');
      await sendKeys({ press: 'End' });
      await until(() => location.hash === '#/account', 2000, 'End selects the last tab');
      await sendKeys({ press: 'ArrowRight' });
      await until(() => location.hash === '#/orders', 2000, 'ArrowRight wraps to the first tab');
      await sendKeys({ press: 'ArrowLeft' });
      await until(() => location.hash === '#/account', 2000, 'ArrowLeft wraps to the last tab');
      await sendKeys({ press: 'Home' });
      await until(() => location.hash === '#/orders');
      await expect(el).to.be.accessible();
    });

    it('with no-hash-routing, the route property drives it and the page URL stays untouched', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id} no-hash-routing route="/account"
        auth-url=${await authUrlFor(store, id)}></account-portal>`);
      await signedIn(el);
      expect(shadow(el).querySelector('#tab-account')!.getAttribute('aria-selected')).to.equal('true');
      const hashBefore = location.hash;
      let fired = 0;
      el.addEventListener('ap-navigate', () => fired++);
      el.route = '/orders';
      await el.updateComplete;
      expect(fired, 'a property set fires nothing').to.equal(0);
      expect(shadow(el).querySelector('#tab-orders')!.getAttribute('aria-selected')).to.equal('true');
      const navigated = nextEvent(el, 'ap-navigate');
      shadow(el).querySelector<HTMLElement>('#tab-account')!.click();
      expect((await navigated).route).to.equal('/account');
      expect(el.route).to.equal('/account');
      expect(location.hash).to.equal(hashBefore);
    });

    it('signOut() ends the session and fires ap-signed-out', async () => {
      const store = await newStore();
      const { id } = await customer(store);
      const el = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${await authUrlFor(store, id)}></account-portal>`,
      );
      await signedIn(el);
      const token = storedSessionToken(store.id)!;
      const out = nextEvent(el, 'ap-signed-out');
      [...shadow(el).querySelectorAll<HTMLButtonElement>('.header button')]
        .find((b) => b.textContent!.includes('Sign out'))!
        .click();
      await out;
      await until(() => deepQuery(el, 'input#email'));
      const me = await fetch(`/portal/${store.id}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).to.equal(401);
    });
  });

  describe('support contact and logo', () => {
    /** Mounts the portal with its config rewritten as `change` says: what an old or tampered store would send. */
    async function withConfig(change: (config: Record<string, any>) => void): Promise<AccountPortal> {
      const store = await newStore();
      const real = window.fetch;
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await real(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (!url.endsWith(`/portal/${store.id}/config`)) return response;
        const config = await response.json();
        change(config);
        return new Response(JSON.stringify(config), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      try {
        const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
        await until(() => deepQuery(el, 'input#email'), 4000, 'the sign-in form');
        return el;
      } finally {
        window.fetch = real;
      }
    }

    it('links the support page over https, and mailto: addresses', async () => {
      const page = await withConfig((c) => {
        c.support = { email: null, url: 'https://shop.example/help' };
      });
      expect(shadow(page).querySelector('.footer a')!.getAttribute('href')).to.equal('https://shop.example/help');
      const mail = await withConfig((c) => {
        c.support = { email: null, url: 'mailto:help@shop.example' };
      });
      expect(shadow(mail).querySelector('.footer a')!.getAttribute('href')).to.equal('mailto:help@shop.example');
      expect(shadow(mail).querySelector('.footer a')!.textContent).to.equal('help@shop.example');
    });

    it('renders no link for any other scheme, even when the server sends one', async () => {
      for (const url of [
        'javascript:alert(1)',
        ' JavaScript:alert(1)',
        'data:text/html,<b>x</b>',
        'http://shop.example/help',
        'https://shop.example/help" onmouseover="alert(1)',
      ]) {
        const el = await withConfig((c) => {
          c.support = { email: null, url };
        });
        expect(shadow(el).querySelector('.footer a'), url).to.equal(null);
        expect(shadow(el).querySelector('a[href^="javascript" i], a[href^=" javascript" i]')).to.equal(null);
      }
    });

    it('shows the store name instead of a logo that is not a clean https URL', async () => {
      const good = await withConfig((c) => {
        c.logoUrl = 'https://cdn.shop.example/logo.svg';
      });
      expect(shadow(good).querySelector('img.logo')!.getAttribute('src')).to.equal('https://cdn.shop.example/logo.svg');
      for (const logoUrl of [
        'https://cdn.shop.example/logo.svg" onerror="alert(1)',
        'javascript:alert(1)',
        'http://cdn.shop.example/l.svg',
      ]) {
        const el = await withConfig((c) => {
          c.logoUrl = logoUrl;
        });
        expect(shadow(el).querySelector('img'), logoUrl).to.equal(null);
        expect(shadow(el).querySelector('.store-name')!.textContent).to.equal('Northwind Test Shop');
      }
    });
  });

  describe('theming', () => {
    const theme = {
      primaryColor: '#d32f2f',
      textColor: '#102030',
      backgroundColor: '#fffdf5',
      surfaceColor: '#f5efe0',
      fontFamily: 'Georgia, serif',
      radius: 2,
      logoUrl: null,
      dark: null,
    };

    it("applies the store's portal checkout theme as --ap-* properties", async () => {
      const store = await newStore();
      await serverApi(store, 'PUT', '/checkouts/portal', theme);
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
      await until(() => deepQuery(el, 'form button[type="submit"]'));
      const button = deepQuery(el, 'form button[type="submit"]')!;
      await until(() => getComputedStyle(button).backgroundColor === 'rgb(211, 47, 47)', 3000, 'themed button');
      expect(getComputedStyle(button).fontFamily).to.include('Georgia');
      expect(getComputedStyle(button).borderTopLeftRadius).to.equal('2px');
    });

    it("lets the merchant's own CSS win", async () => {
      const store = await newStore();
      await serverApi(store, 'PUT', '/checkouts/portal', theme);
      const style = document.createElement('style');
      style.textContent = 'account-portal.branded { --ap-color-primary: #00796b; }';
      document.head.append(style);
      try {
        const el = await fixture<AccountPortal>(
          html`<account-portal class="branded" store=${store.id}></account-portal>`,
        );
        await until(() => deepQuery(el, 'form button[type="submit"]'));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(getComputedStyle(deepQuery(el, 'form button[type="submit"]')!).backgroundColor).to.equal(
          'rgb(0, 121, 107)',
        );
      } finally {
        style.remove();
      }
    });
  });

  describe('language', () => {
    it("uses the lang attribute, then the account's language", async () => {
      const store = await newStore();
      const el = await fixture<AccountPortal>(html`<account-portal store=${store.id} lang="de"></account-portal>`);
      await until(() => deepText(el).includes('Bei Ihrem Konto anmelden'), 4000, 'German sign-in');

      const { id } = await customer(store, { language: 'de' });
      const other = await fixture<AccountPortal>(
        html`<account-portal store=${store.id} auth-url=${await authUrlFor(store, id)}></account-portal>`,
      );
      await signedIn(other);
      await until(
        () => shadow(other).querySelector('#tab-orders')!.textContent!.includes('Bestellungen'),
        4000,
        'German tabs',
      );

      other.lang = 'en';
      await until(
        () => shadow(other).querySelector('#tab-orders')!.textContent!.includes('Orders'),
        4000,
        'English tabs',
      );
    });
  });

  describe('errors', () => {
    it('an unknown store shows a plain message and fires ap-error', async () => {
      const el = document.createElement('account-portal') as AccountPortal;
      el.store = 'no-such-store';
      const error = nextEvent(el, 'ap-error');
      document.body.append(el);
      try {
        expect((await error).code).to.equal('store_not_found');
        await until(() => deepText(el).includes('This store doesn'));
      } finally {
        el.remove();
      }
    });

    it('defining the elements twice is harmless', async () => {
      const { AccountPortal: Element } = await import('../../widget/index');
      expect(() => Element.define('account-portal')).not.to.throw();
    });
  });
});
