import { isDeclineCode, type ErrorCode } from '../../server/contract';
import { ApiError } from './api-client';
import type { Localizer, MessageKey } from './localizer';

/**
 * A code the widget gives a failure itself: a request never got an answer, the
 * payment processor's script (Stripe.js, for the bank's challenge) did not load, the
 * gateway's card form did not load, or the browser refused the clipboard.
 */
export type ClientErrorCode =
  'network_error' | 'processor_script_failed' | 'card_frame_failed' | 'clipboard_unavailable';

/** Every code a request of the widget can fail with: the contract's, and the widget's own. */
export type ProblemCode = ErrorCode | ClientErrorCode;

/** How a code reads: a message key, or words made from the error's details. */
export type ProblemMessage = MessageKey | ((error: ApiError, i18n: Localizer) => string);

/** Messages that replace {@link problemMessages}' for some codes where a screen knows more. */
export type ProblemOverrides = Partial<Record<ProblemCode, ProblemMessage>>;

/** Why a payment was declined, in plain words (`details.declineCode` of a 402 `payment_declined`). */
export function declineText(error: ApiError, i18n: Localizer): string {
  const code = (error.details as { declineCode?: unknown } | undefined)?.declineCode;
  return isDeclineCode(code) ? i18n.t(`subscriptions.declines.${code}`) : i18n.t('subscriptions.declines.other');
}

type Details = { maxPeriods?: number; pauseStartsAt?: string; opensAt?: string };
const detailsOf = (error: ApiError) => (error.details ?? {}) as Details;

/** What the Server API alone answers with: the widget never sees these unless something is badly wrong. */
const generic: MessageKey = 'errors.generic';

/** A change the subscription's state no longer allows: the screen should load it again. */
const stateChanged: MessageKey = 'subscriptions.errors.stateChanged';

/**
 * Every code the server can answer with (server/contract/errors.ts), in the
 * customer's language. Being a `Record` over the contract's codes, a code added to
 * the contract without a message here is a type error. Screens that know more
 * about a failure replace some of these with {@link ProblemOverrides}.
 */
export const problemMessages: Record<ProblemCode, ProblemMessage> = {
  network_error: 'errors.network_error',
  processor_script_failed: 'subscriptions.errors.processorScriptFailed',
  card_frame_failed: 'paymentMethods.setup.frameFailed',
  clipboard_unavailable: 'orders.copyFailed',

  invalid_json: generic,
  invalid_cursor: generic,
  invalid_idempotency_key: generic,
  bad_request: generic,
  invalid_signature: generic,
  unauthorized: generic,
  forbidden: generic,
  not_found: 'errors.not_found',
  method_not_allowed: generic,
  // The request took too long on its way: most likely a slow or broken connection.
  request_timeout: 'errors.network_error',
  payload_too_large: generic,
  uri_too_long: generic,
  unsupported_media_type: generic,
  headers_too_large: generic,
  validation_failed: 'errors.validation_failed',
  idempotency_key_reused: generic,
  idempotency_key_in_use: generic,
  rate_limited: 'errors.rate_limited',
  // Every 429 of the ways in says what was limited, so a customer arriving with a link is never told one was just sent.
  login_link_recently_sent: 'signIn.errors.login_link_recently_sent',
  password_reset_recently_sent: 'password.errors.password_reset_recently_sent',
  too_many_login_links_from_network: 'signIn.errors.too_many_login_links_from_network',
  too_many_sign_ins_from_network: 'signIn.errors.too_many_sign_ins_from_network',
  too_many_link_attempts: 'signIn.errors.too_many_link_attempts',
  too_many_password_failures: 'signIn.errors.too_many_password_failures',
  too_many_password_failures_from_network: 'signIn.errors.too_many_password_failures_from_network',
  too_many_auth_failures_from_address: generic,
  too_many_auth_failures_for_user: generic,
  too_many_invitations: generic,
  too_many_exports: (error, i18n) =>
    error.retryAfter
      ? i18n.t('account.export.tooManyWait', { count: Math.ceil(error.retryAfter / 60) })
      : i18n.t('account.export.tooMany'),
  internal_error: generic,
  error: generic,

  store_not_found: 'errors.store_not_found',
  store_exists: generic,
  api_user_taken: generic,
  unknown_setting: generic,
  product_exists: generic,
  account_exists: generic,
  // Only the Server API answers these: a deleted account has no sessions.
  account_deleted: generic,
  account_has_live_subscriptions: generic,
  order_exists: generic,
  seller_details_missing: 'invoice.unavailable',
  e_invoice_buyer_country_missing: 'invoice.eInvoiceNeedsCountry',
  e_invoice_unavailable: 'invoice.eInvoiceUnavailable',
  link_expired: 'errors.link_expired',
  download_revoked: 'orders.downloadRevoked',
  download_unavailable: 'errors.download_unavailable',
  dev_outbox_not_served: generic,

  invalid_session: 'errors.invalid_session',
  session_expired: 'signIn.expired',
  invalid_token: 'signIn.errors.invalid_token',
  invalid_credentials: 'signIn.errors.invalid_credentials',
  email_not_verified: 'errors.email_not_verified',
  login_link_required: 'errors.login_link_required',
  password_login_disabled: 'errors.password_login_disabled',
  session_not_permitted: 'errors.session_not_permitted',
  token_superseded: 'signIn.errors.token_superseded',
  token_used: 'signIn.errors.token_used',
  token_expired: 'signIn.errors.token_expired',

  subscription_ended: stateChanged,
  subscription_paused: stateChanged,
  subscription_overdue: stateChanged,
  cancellation_pending: stateChanged,
  pause_scheduled: stateChanged,
  subscription_busy: 'subscriptions.errors.busy',
  not_pending_cancellation: stateChanged,
  cancellation_effective: stateChanged,
  not_paused: stateChanged,
  no_scheduled_change: stateChanged,
  renewal_not_open: (error, i18n) => {
    const { opensAt } = detailsOf(error);
    return opensAt ? i18n.t('subscriptions.errors.renewalNotOpen', { date: i18n.date(opensAt) }) : i18n.t(stateChanged);
  },
  immediate_cancel_not_allowed: 'subscriptions.errors.notAllowed',
  pause_not_allowed: 'subscriptions.errors.notAllowed',
  pause_too_long: (error, i18n) => {
    const { maxPeriods } = detailsOf(error);
    return maxPeriods ? i18n.t('subscriptions.errors.pauseTooLong', { count: maxPeriods }) : error.message;
  },
  resume_date_too_early: (error, i18n) => {
    const { pauseStartsAt } = detailsOf(error);
    return pauseStartsAt
      ? i18n.t('subscriptions.errors.resumeTooEarly', { date: i18n.date(pauseStartsAt) })
      : error.message;
  },

  plan_not_available: 'subscriptions.errors.planUnavailable',
  no_change: 'subscriptions.errors.noChange',
  quote_stale: 'subscriptions.errors.quoteOutdated',
  quote_used: 'subscriptions.errors.quoteOutdated',
  quote_expired: 'subscriptions.errors.quoteOutdated',

  payment_declined: declineText,
  payment_pending: 'subscriptions.errors.paymentPending',
  payment_action_required: 'subscriptions.errors.paymentActionRequired',
  gateway_unavailable: 'subscriptions.errors.gateway',
  payment_method_in_use: 'errors.payment_method_in_use',
  payment_method_expired: 'subscriptions.errors.methodUnusable',
  payment_method_not_found: 'subscriptions.errors.methodUnusable',
  payment_method_required: 'subscriptions.errors.paymentMethodRequired',
  setup_not_found: 'paymentMethods.setup.expired',
  setup_used: 'paymentMethods.setup.expired',
  setup_expired: 'paymentMethods.setup.expired',

  nothing_to_refund: 'orders.errors.nothing_to_refund',
  refund_exceeds_paid: 'orders.errors.refund_exceeds_paid',
  refund_failed: 'orders.errors.refund_failed',
};

// The widget's own table answers this, so that the contract's English messages stay out of the bundle.
const isProblemCode = (code: string): code is ProblemCode =>
  Object.prototype.hasOwnProperty.call(problemMessages, code);

/** Whether `error` is an API error with one of `codes` (a misspelt code is a type error). */
export function hasCode(error: unknown, ...codes: ProblemCode[]): error is ApiError {
  return error instanceof ApiError && codes.some((code) => code === error.code);
}

/**
 * A failed request in the customer's language: the screen's own message for the
 * code if it has one, else the portal-wide one; a code outside the contract (or a
 * failure that is no API error) reads "Something went wrong".
 */
export function problemText(error: unknown, i18n: Localizer, overrides: ProblemOverrides = {}): string {
  if (!(error instanceof ApiError) || !isProblemCode(error.code)) return i18n.t(generic);
  const message = overrides[error.code] ?? problemMessages[error.code];
  return typeof message === 'function' ? message(error, i18n) : i18n.t(message);
}

/** The codes that mean the subscription changed under the customer (the screen should load it again). */
const stateConflicts: readonly ErrorCode[] = [
  'subscription_ended',
  'cancellation_pending',
  'subscription_paused',
  'subscription_overdue',
  'pause_scheduled',
  'not_pending_cancellation',
  'cancellation_effective',
  'not_paused',
  'no_scheduled_change',
];

/** Whether the subscription changed under the customer (the screen should load it again). */
export const isStateConflict = (error: unknown) => hasCode(error, ...stateConflicts);
