import { expect, fixture, html } from '@open-wc/testing';
import { AccountPortal } from '../../widget/account-portal/account-portal';
import { ApSignIn } from '../../widget/components/sign-in/sign-in';
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
});
