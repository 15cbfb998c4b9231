import { HOUR, MINUTE } from '../../lib/clock';
import type { Limit } from './rate-limits';

/**
 * Every rate limit on the ways in, in one place: what is counted, how many, and the
 * code of the 429 it answers (its message is the contract's) (each limit its own, so the customer is
 * told what actually happened). The README's "Limits" paragraph lists the same.
 *
 * Limits per address are set for a large office or a mobile carrier's gateway, where
 * thousands of customers share one address; the limits per email address, token and
 * account are the strict ones.
 */
export const limits = {
  /** Login links to one address (known or not): one a minute, five an hour. */
  loginLinkEmail: (storeId: string, email: string): Limit => ({
    name: 'login_link_email',
    key: `login-email:${storeId}:${email}`,
    rules: [
      { max: 1, windowMs: MINUTE },
      { max: 5, windowMs: HOUR },
    ],
    code: 'login_link_recently_sent',
  }),
  /** Password reset links to one address (known or not): one a minute, five an hour. */
  passwordResetEmail: (storeId: string, email: string): Limit => ({
    name: 'password_reset_email',
    key: `password-reset-email:${storeId}:${email}`,
    rules: [
      { max: 1, windowMs: MINUTE },
      { max: 5, windowMs: HOUR },
    ],
    code: 'password_reset_recently_sent',
  }),
  /** Login links and password reset links asked for from one network address. */
  loginLinkNetwork: (ip: string): Limit => ({
    name: 'login_link_network',
    key: `login-ip:${ip}`,
    rules: [{ max: 300, windowMs: HOUR }],
    code: 'too_many_login_links_from_network',
  }),
  /** Sign-in attempts with a token (login link, invitation, pre-authenticated or management URL) from one network address. */
  signInNetwork: (ip: string): Limit => ({
    name: 'sign_in_network',
    key: `redeem-ip:${ip}`,
    rules: [{ max: 600, windowMs: 10 * MINUTE }],
    code: 'too_many_sign_ins_from_network',
  }),
  /** Attempts with one and the same token, from anywhere. */
  linkAttempts: (token: string): Limit => ({
    name: 'link_attempts',
    key: `redeem-token:${token}`,
    rules: [{ max: 20, windowMs: 10 * MINUTE }],
    code: 'too_many_link_attempts',
  }),
  /** Password sign-ins for one email address (known or not); a correct password does not count. */
  passwordAccount: (storeId: string, email: string): Limit => ({
    name: 'password_account',
    key: `password-account:${storeId}:${email}`,
    rules: [{ max: 100, windowMs: HOUR }],
    code: 'too_many_password_failures',
  }),
  /** Password sign-ins from one network address; a correct password does not count. */
  passwordNetwork: (ip: string): Limit => ({
    name: 'password_network',
    key: `password-ip:${ip}`,
    rules: [{ max: 30, windowMs: 15 * MINUTE }],
    code: 'too_many_password_failures_from_network',
  }),
  /** Failed Server API authentications from one address (the merchant's backend; no NAT of customers). */
  apiAuthAddress: (ip: string): Limit => ({
    name: 'api_auth_address',
    key: `api-auth-ip:${ip}`,
    rules: [{ max: 30, windowMs: 10 * MINUTE }],
    code: 'too_many_auth_failures_from_address',
  }),
  /**
   * Failed Server API authentications for one API user name, from anywhere. Once it
   * is reached, only addresses with no failure of their own in the window are heard,
   * so someone who knows the user name cannot lock the merchant's backend out.
   */
  apiAuthUser: (user: string): Limit => ({
    name: 'api_auth_user',
    key: `api-auth-user:${user}`,
    rules: [{ max: 100, windowMs: 10 * MINUTE }],
    code: 'too_many_auth_failures_for_user',
  }),
  /** Invitations to one account. */
  invitations: (storeId: string, accountId: string): Limit => ({
    name: 'invitations',
    key: `invitation:${storeId}:${accountId}`,
    rules: [{ max: 5, windowMs: 30 * MINUTE }],
    code: 'too_many_invitations',
  }),
};
