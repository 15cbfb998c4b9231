/**
 * The account's activity log: what happened to an account, its subscriptions,
 * payment methods and billing details, and every sign-in, with who did it. The
 * server records an entry in the transaction of the change; the customer reads them
 * in the Account tab (`GET /portal/{store}/activity`), the merchant through the
 * Server API (`GET /api/accounts/{id}/activity`). The widget has a sentence for
 * every kind.
 */
export const activityKinds = [
  // Signing in and the account
  'signed_in',
  'password_set',
  'access_ended',
  'account_created',
  'contact_updated',
  'billing_details_updated',
  'invoice_corrected',
  // Subscriptions
  'subscription_started',
  'subscription_plan_changed',
  'subscription_change_scheduled',
  'subscription_change_withdrawn',
  'subscription_canceled',
  'subscription_cancellation_withdrawn',
  'subscription_pause_scheduled',
  'subscription_pause_withdrawn',
  'subscription_paused',
  'subscription_resumed',
  'subscription_renewed',
  'subscription_renewal_failed',
  'subscription_payment_due',
  'subscription_confirmation_needed',
  'subscription_ended',
  'subscription_payment_method_changed',
  // Payment methods
  'payment_method_added',
  'payment_method_removed',
  'payment_method_default_changed',
  'payment_method_updated',
] as const;

/** What an activity entry records. */
export type ActivityKind = (typeof activityKinds)[number];

/**
 * Who made a change: the customer in the portal, the merchant through the Server
 * API, the renewal run (renewals, pauses and cancellations taking effect, dunning),
 * or the payment processor (a card its updater refreshed or that was detached there).
 */
export const activityActors = ['customer', 'merchant', 'renewals', 'processor'] as const;

/** Who made a change. */
export type ActivityActor = (typeof activityActors)[number];

/** How a customer signed in: a login link, an invitation, a pre-authenticated URL, a management URL, a password, or a password reset link (which signs in once the new password is set). */
export const signInMethods = [
  'login',
  'invitation',
  'authenticate',
  'management',
  'password',
  'password_reset',
] as const;

/** How a customer signed in. */
export type SignInMethod = (typeof signInMethods)[number];

/** The browser families a sign-in's device is described by (never its User-Agent itself). */
export const browserFamilies = ['chrome', 'edge', 'firefox', 'safari', 'opera', 'samsung', 'other'] as const;

/** The operating system families a sign-in's device is described by. */
export const osFamilies = ['windows', 'macos', 'ios', 'android', 'linux', 'chromeos', 'other'] as const;

/** A browser family. */
export type BrowserFamily = (typeof browserFamilies)[number];

/** An operating system family. */
export type OsFamily = (typeof osFamilies)[number];

/** How a subscription ended on its own: its cancellation took effect, its payments failed, or it was not renewed. */
export const subscriptionEndReasons = ['canceled', 'payment_failed', 'not_renewed'] as const;

/** Why a subscription ended. */
export type SubscriptionEndReason = (typeof subscriptionEndReasons)[number];

/**
 * What an entry says beyond its kind (each kind fills some): no personal data but
 * the last four digits of a card, so an erased account's log can be kept as it is
 * once its sign-ins' devices are cleared.
 */
export interface ActivityDetails {
  /** The subscription's plan (its product's name), after the change. */
  plan?: string;
  /** The plan before a plan change. */
  previousPlan?: string;
  quantity?: number;
  /** The fields that changed (`firstName`, `address.city`, `billingDetails.taxId`, …). */
  fields?: string[];
  /** A card's brand and last four digits, and its expiry. */
  brand?: string | null;
  last4?: string | null;
  expMonth?: number | null;
  expYear?: number | null;
  /** A cancellation that ended the subscription at once rather than at the period's end. */
  immediately?: boolean;
  /** When a cancellation, a scheduled change or a pause takes effect; when a pause ends. */
  endsAt?: string;
  effectiveAt?: string;
  startsAt?: string;
  resumesAt?: string;
  /** What a renewal or a resumption charged, in minor units. */
  amount?: number;
  currency?: string;
  /** When a failed renewal is tried again, or a due manual renewal lapses. */
  retryAt?: string | null;
  reason?: SubscriptionEndReason;
  invoiceNumber?: string | null;
  /** How many sessions ending the account's access ended. */
  sessions?: number;
}
