import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
import { Localizer } from '../../widget/internal/localizer';
import { deepText, newStore, until } from './support/fixtures';

AccountPortal.define('account-portal');
ApSignIn.define('ap-sign-in');

describe('infra', () => {
  it('renders the sign-in screen against the real API', async () => {
    const store = await newStore();
    const el = await fixture<AccountPortal>(html`<account-portal store=${store.id}></account-portal>`);
    await until(() => deepText(el).includes('Sign in to your account'), 4000, 'sign-in');
    expect(deepText(el)).to.include('Email me a sign-in link');
  });

  it('a language still loading when a newer one is asked for changes nothing (the latest call wins)', async () => {
    const real = window.fetch;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let fetches = 0;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/de.json')) {
        fetches += 1;
        await held;
      }
      return real(input, init);
    };
    try {
      const i18n = new Localizer('/widget/i18n');
      const german = i18n.use('de');
      const germanAgain = i18n.use('de-AT');
      await i18n.use('en');
      release();
      await Promise.all([german, germanAgain]);
      expect(i18n.language).to.equal('en');
      expect(i18n.t('portal.retry')).to.equal('Try again');
      expect(fetches).to.equal(1, 'one request for the German locale');
      await i18n.use('de');
      expect(i18n.language).to.equal('de');
      expect(fetches).to.equal(1, 'loaded once');
    } finally {
      window.fetch = real;
    }
  });

  it('formats file sizes in the language: whole bytes spelt out, then kB, MB, GB', async () => {
    const i18n = new Localizer('/widget/i18n');
    expect(i18n.fileSize(998)).to.equal('998 bytes');
    expect(i18n.fileSize(1)).to.equal('1 byte');
    expect(i18n.fileSize(1_500)).to.equal('1.5 kB');
    expect(i18n.fileSize(1_800_000)).to.equal('1.8 MB');
    await i18n.use('de');
    expect(i18n.fileSize(998)).to.equal('998 Byte');
    expect(i18n.fileSize(1_500)).to.equal('1,5 kB');
  });
});
