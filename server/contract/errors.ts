import { RENEW_WINDOW_DAYS } from './limits';

/**
 * Every error code the API answers with: its HTTP status and the plain-English
 * message it sends by default. This table is the one place a code is defined —
 * the server builds its errors from it (`problem()` in server/lib/errors.ts), the
 * OpenAPI documents list codes from it, and the widget must have a localised
 * message for each of its keys (a missing one is a type error).
 *
 * A few errors carry a more specific message that names what the request was
 * about (`A product with key "pro" already exists.`); their code, status and the
 * default message below stay the same.
 */
export const errors = {
  // Any request
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_cursor: { status: 400, message: 'The cursor is not one this API returned.' },
  invalid_idempotency_key: { status: 400, message: 'An Idempotency-Key is 1 to 255 characters.' },
  bad_request: { status: 400, message: 'The request could not be understood.' },
  invalid_signature: { status: 400, message: "The webhook's signature does not verify." },
  unauthorized: { status: 401, message: "Send the store's Server API credentials with HTTP Basic authentication." },
  forbidden: { status: 403, message: 'This request is not allowed.' },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here.' },
  request_timeout: { status: 408, message: 'The request did not arrive in time.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  uri_too_long: { status: 414, message: "The URL's path and query are too long." },
  unsupported_media_type: { status: 415, message: 'Send the request body as application/json.' },
  headers_too_large: { status: 431, message: 'The request line and headers are too large.' },
  validation_failed: { status: 422, message: 'The request body is invalid.' },
  idempotency_key_reused: {
    status: 422,
    message: 'This Idempotency-Key was used with a different request body in the last 24 hours.',
  },
  idempotency_key_in_use: {
    status: 409,
    message: 'A request with this Idempotency-Key is still running. Retry when it has finished.',
  },
  rate_limited: { status: 429, message: 'Too many requests. Please wait a moment and try again.' },
  // Each limit on the ways in says what was limited (server/services/sign-in/limits.ts counts them).
  login_link_recently_sent: {
    status: 429,
    message:
      'A sign-in link was sent to this address very recently. Please check your inbox, or wait a little before asking again.',
  },
  password_reset_recently_sent: {
    status: 429,
    message:
      'A link to choose a new password was sent to this address very recently. Please check your inbox, or wait a little before asking again.',
  },
  too_many_login_links_from_network: {
    status: 429,
    message: 'Very many sign-in links were requested from your network in the last hour. Please try again later.',
  },
  too_many_sign_ins_from_network: {
    status: 429,
    message: 'There were very many sign-in attempts from your network. Please wait a few minutes and try again.',
  },
  too_many_link_attempts: {
    status: 429,
    message: 'This link was tried too often. Please wait a few minutes, or ask for a new sign-in link.',
  },
  too_many_password_failures: {
    status: 429,
    message:
      'Too many wrong passwords for this email address. Please try again later, or sign in with an emailed link.',
  },
  too_many_password_failures_from_network: {
    status: 429,
    message:
      'Too many wrong passwords were tried from your network. Please try again later, or sign in with an emailed link.',
  },
  too_many_auth_failures_from_address: {
    status: 429,
    message:
      'Too many requests with wrong Server API credentials came from this address. Check the credentials, and try again after Retry-After.',
  },
  too_many_auth_failures_for_user: {
    status: 429,
    message:
      'Too many requests with wrong credentials for this Server API user. Check the credentials, and try again after Retry-After.',
  },
  too_many_invitations: {
    status: 429,
    message: 'This account was invited 5 times in the last 30 minutes; try again later.',
  },
  too_many_exports: {
    status: 429,
    message: 'Your data was downloaded several times in the last hour. Please try again later.',
  },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  /** An HTTP error without a more specific code; it keeps its own status. */
  error: { status: 500, message: 'Request failed.' },

  // Stores, catalog, accounts and orders
  store_not_found: { status: 404, message: 'There is no store with this id.' },
  store_exists: { status: 409, message: 'A store with this id already exists.' },
  api_user_taken: { status: 409, message: 'That API user name is used by another store.' },
  unknown_setting: { status: 422, message: 'There is no store setting with this name.' },
  product_exists: { status: 409, message: 'A product with this key already exists.' },
  account_exists: { status: 409, message: 'An account with this email already exists.' },
  account_deleted: {
    status: 410,
    message: 'This account was deleted: its personal data is gone, and it cannot be changed or signed in to.',
  },
  account_has_live_subscriptions: {
    status: 409,
    message:
      'This account has subscriptions that have not ended (in trial, active, paused or overdue). End them first ' +
      '(cancel with "immediately": true), then delete the account.',
  },
  order_exists: { status: 409, message: 'An order with this reference already exists.' },
  seller_details_missing: {
    status: 409,
    message:
      'Invoices cannot be issued until the store has set its seller details (legal name, address, country and contact email).',
  },
  e_invoice_buyer_country_missing: {
    status: 409,
    message:
      "The e-invoice needs the buyer's country. Correct the invoice's billing details to add it, then download the e-invoice again.",
  },
  e_invoice_unavailable: {
    status: 409,
    message: 'No EN 16931 e-invoice can be made for this invoice; the PDF is still available.',
  },
  link_expired: {
    status: 410,
    message: 'This download link has expired. Open your account page and start the download again.',
  },
  download_revoked: { status: 410, message: 'This download is no longer available: the store has withdrawn it.' },
  download_unavailable: {
    status: 502,
    message: 'The file could not be fetched from the store right now. Please try again in a few minutes.',
  },
  dev_outbox_not_served: {
    status: 403,
    message:
      "The development outbox holds every store's live sign-in links, so it is served only while the server " +
      'listens on a loopback address (HOST=127.0.0.1, ::1 or localhost).',
  },

  // Signing in
  invalid_session: { status: 401, message: 'Sign in to continue.' },
  session_expired: { status: 401, message: 'Your session has expired. Please sign in again.' },
  invalid_token: { status: 401, message: 'This link is not valid. Ask for a new sign-in link.' },
  invalid_credentials: { status: 401, message: 'The email address or the password is wrong.' },
  email_not_verified: {
    status: 403,
    message: 'Please confirm your email address first: we can send you a sign-in link.',
  },
  login_link_required: {
    status: 403,
    message: 'This device has not signed in to your account before. We can email you a sign-in link.',
  },
  password_login_disabled: {
    status: 403,
    message: 'This store does not offer password sign-in; ask for a sign-in link.',
  },
  session_not_permitted: {
    status: 403,
    message: 'This session may not do that: the store opened the portal with limits.',
  },
  token_superseded: { status: 410, message: 'A newer link was sent for this account; use the latest email.' },
  token_used: { status: 410, message: 'This link was already used. Ask for a new sign-in link.' },
  token_expired: { status: 410, message: 'This link has expired. Ask for a new sign-in link.' },

  // Subscriptions: what their state allows
  subscription_ended: { status: 409, message: 'This subscription has ended and can no longer be changed.' },
  subscription_paused: { status: 409, message: 'This subscription is paused. Unpause it first.' },
  subscription_overdue: {
    status: 409,
    message: 'A payment for this subscription is overdue. Update the payment method first.',
  },
  cancellation_pending: { status: 409, message: 'This subscription is set to end. Resume it first.' },
  pause_scheduled: { status: 409, message: 'A pause is scheduled for this subscription. Withdraw it first.' },
  subscription_busy: {
    status: 409,
    message: 'The subscription is being charged or changed right now. Please try again in a moment.',
  },
  not_pending_cancellation: {
    status: 409,
    message: 'This subscription is not set to end, so there is nothing to resume.',
  },
  cancellation_effective: { status: 409, message: 'This subscription has already reached the end of its period.' },
  not_paused: { status: 409, message: 'This subscription is not paused.' },
  no_scheduled_change: { status: 409, message: 'There is no scheduled change to undo.' },
  renewal_not_open: {
    status: 409,
    message: `This subscription can be renewed from ${RENEW_WINDOW_DAYS} days before its period ends.`,
  },
  immediate_cancel_not_allowed: {
    status: 403,
    message:
      'This store does not allow ending a subscription immediately. It can be canceled at the end of the billing period.',
  },
  pause_not_allowed: { status: 403, message: 'This store does not offer pausing subscriptions.' },
  pause_too_long: { status: 422, message: 'A pause cannot last that many billing periods.' },
  resume_date_too_early: { status: 422, message: 'Choose a resume date after the end of the paid period.' },

  // Plan and quantity changes
  plan_not_available: { status: 422, message: 'This subscription cannot be switched to that plan.' },
  no_change: { status: 422, message: 'That is the current plan and quantity: there is nothing to change.' },
  quote_stale: {
    status: 409,
    message: 'The subscription changed after this quote was made. Please preview the change again.',
  },
  quote_used: { status: 409, message: 'This quote was already used. Preview the change again for a new one.' },
  quote_expired: {
    status: 410,
    message: 'This quote has expired (quotes are valid for 10 minutes). Please preview the change again.',
  },

  // Payments and payment methods
  payment_declined: { status: 402, message: 'The payment was declined.' },
  payment_action_required: {
    status: 409,
    message: 'Your bank has not confirmed this payment yet. Please confirm it when your bank asks you to.',
  },
  payment_pending: {
    status: 409,
    message:
      'An earlier payment for this subscription is still being confirmed with the payment processor. Please try again in a few minutes.',
  },
  gateway_unavailable: {
    status: 503,
    message:
      'The payment provider cannot be reached right now, and nothing was changed. Please try again in a moment; you will not be charged twice.',
  },
  payment_method_in_use: {
    status: 409,
    message:
      'This is the only payment method, and subscriptions pay with it. Add another payment method first, then remove this one.',
  },
  payment_method_expired: {
    status: 422,
    message: 'This card has expired. Choose another payment method or add a new one.',
  },
  payment_method_not_found: { status: 422, message: 'Choose one of your saved payment methods.' },
  payment_method_required: {
    status: 422,
    message: 'This needs a payment, and there is no saved payment method. Please add one first.',
  },
  setup_not_found: { status: 404, message: 'This payment method form does not exist. Please start again.' },
  setup_used: { status: 409, message: 'This payment method form was already used. Please start again.' },
  setup_expired: { status: 410, message: 'This payment method form has expired. Please start again.' },

  // Refunds and credit notes
  nothing_to_refund: { status: 409, message: 'Nothing of this order is left to refund.' },
  refund_exceeds_paid: {
    status: 422,
    message: 'That is more than was paid for this order and not yet refunded.',
  },
  refund_failed: { status: 402, message: 'The payment processor refused the refund.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A code the API answers errors with. */
export type ErrorCode = keyof typeof errors;

/** The HTTP status of a code (or of several). */
export type ErrorStatus<C extends ErrorCode = ErrorCode> = (typeof errors)[C]['status'];

/** Every code, in the table's order. */
export const errorCodes = Object.keys(errors) as ErrorCode[];

/** Whether a string is one of the contract's codes (what a client receives is only a string). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errors, code);
}

/**
 * Why the payment processor refused a card: `details.declineCode` of a 402
 * `payment_declined`. The widget has a localised message for each.
 */
export const declineCodes = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'invalid_token',
  'processing_error',
  'authentication_required',
  'authentication_failed',
] as const;

/** A decline code. */
export type DeclineCode = (typeof declineCodes)[number];

/** Whether a value is one of the decline codes. */
export const isDeclineCode = (code: unknown): code is DeclineCode => declineCodes.some((known) => known === code);
