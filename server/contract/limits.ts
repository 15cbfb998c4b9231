const DAY_MS = 24 * 60 * 60 * 1000;

/** The longest comment a customer may add to a cancellation, in characters. */
export const CANCELLATION_COMMENT_MAX = 1000;

/** The fewest characters a customer's password has (the server refuses fewer; the widget says so first). */
export const PASSWORD_MIN_LENGTH = 10;

/** The most characters a password has. */
export const PASSWORD_MAX_LENGTH = 200;

/** How long an emailed link to choose a new password works, in minutes. */
export const PASSWORD_RESET_TTL_MINUTES = 60;

/** The most units a subscription can be changed to. */
export const QUANTITY_MAX = 10_000;

/**
 * The longest value of each contact and billing field, in characters: the server
 * refuses more (422 `too_big`), and the widget's inputs stop there.
 */
export const accountFieldMax = {
  firstName: 100,
  lastName: 100,
  phone: 40,
  company: 200,
  line1: 200,
  line2: 200,
  city: 100,
  region: 100,
  postalCode: 20,
  state: 100,
  businessName: 200,
  taxId: 50,
} as const;

/** How many days before its period ends a subscription may be renewed (the next period paid) by the customer. */
export const RENEW_WINDOW_DAYS = 30;

/** {@link RENEW_WINDOW_DAYS} in milliseconds. */
export const RENEW_WINDOW_MS = RENEW_WINDOW_DAYS * DAY_MS;
