import { HOUR, MINUTE } from '../../lib/clock';
import type { Limit } from './rate-limits';

/**
 * Every rate limit on the ways in, in one place: what is counted, how many, and the
 * code and message of the 429 it answers (each limit its own, so the customer is
 * told what actually happened). The README's "Limits" paragraph lists the same.
 *
 * Limits per address are set for a large office or a mobile carrier's gateway, where
 * thousands of customers share one address; the limits per email address, token and
 * account are the strict ones.
 */
export const limits = {
  /** Login links to one address (known or not): one a minute, five an hour. */
  loginLinkEmail: (storeId: string, email: string): Limit => ({
    key: `login-email:${storeId}:${email}`, rules: [{ max: 1, windowMs: MINUTE }, { max: 5, windowMs: HOUR }],
    code: 'login_link_recently_sent',
    message: 'A sign-in link was sent to this address very recently. Please check your inbox, or wait a little before asking again.',
  }),
  /** Login links asked for from one network address. */
  loginLinkNetwork: (ip: string): Limit => ({
    key: `login-ip:${ip}`, rules: [{ max: 300, windowMs: HOUR }],
    code: 'too_many_login_links_from_network',
    message: 'Very many sign-in links were requested from your network in the last hour. Please try again later.',
  }),
  /** Sign-in attempts with a token (login link, invitation, pre-authenticated or management URL) from one network address. */
  signInNetwork: (ip: string): Limit => ({
    key: `redeem-ip:${ip}`, rules: [{ max: 600, windowMs: 10 * MINUTE }],
    code: 'too_many_sign_ins_from_network',
    message: 'There were very many sign-in attempts from your network. Please wait a few minutes and try again.',
  }),
  /** Attempts with one and the same token, from anywhere. */
  linkAttempts: (token: string): Limit => ({
    key: `redeem-token:${token}`, rules: [{ max: 20, windowMs: 10 * MINUTE }],
    code: 'too_many_link_attempts',
    message: 'This link was tried too often. Please wait a few minutes, or ask for a new sign-in link.',
  }),
  /** Password sign-ins for one email address (known or not); a correct password does not count. */
  passwordAccount: (storeId: string, email: string): Limit => ({
    key: `password-account:${storeId}:${email}`, rules: [{ max: 100, windowMs: HOUR }],
    code: 'too_many_password_failures',
    message: 'Too many wrong passwords for this email address. Please try again later, or sign in with an emailed link.',
  }),
  /** Password sign-ins from one network address; a correct password does not count. */
  passwordNetwork: (ip: string): Limit => ({
    key: `password-ip:${ip}`, rules: [{ max: 30, windowMs: 15 * MINUTE }],
    code: 'too_many_password_failures_from_network',
    message: 'Too many wrong passwords were tried from your network. Please try again later, or sign in with an emailed link.',
  }),
  /** Failed Server API authentications from one address (the merchant's backend; no NAT of customers). */
  apiAuthAddress: (ip: string): Limit => ({
    key: `api-auth-ip:${ip}`, rules: [{ max: 30, windowMs: 10 * MINUTE }],
    code: 'too_many_auth_failures_from_address',
    message: 'Too many requests with wrong Server API credentials came from this address. Check the credentials, and try again after Retry-After.',
  }),
  /**
   * Failed Server API authentications for one API user name, from anywhere. Once it
   * is reached, only addresses with no failure of their own in the window are heard,
   * so someone who knows the user name cannot lock the merchant's backend out.
   */
  apiAuthUser: (user: string): Limit => ({
    key: `api-auth-user:${user}`, rules: [{ max: 100, windowMs: 10 * MINUTE }],
    code: 'too_many_auth_failures_for_user',
    message: 'Too many requests with wrong credentials for this Server API user. Check the credentials, and try again after Retry-After.',
  }),
  /** Invitations to one account. */
  invitations: (storeId: string, accountId: string): Limit => ({
    key: `invitation:${storeId}:${accountId}`, rules: [{ max: 5, windowMs: 30 * MINUTE }],
    code: 'too_many_invitations',
    message: 'This account was invited 5 times in the last 30 minutes; try again later.',
  }),
};
