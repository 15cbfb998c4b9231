/**
 * What a customer's session may do. Every Portal API operation that needs a session
 * needs one permission (or only a session, `signed-in`: the account's identity, the
 * session itself, signing out). A session may do everything, unless the merchant's
 * server narrowed it when it issued the pre-authenticated URL: each capability it
 * named takes some permissions away, and a session keeps only what none of them
 * takes, so capabilities compose (`read-only` with `orders-only` is the orders, to
 * look at). The server refuses the rest (403 `session_not_permitted`), and the widget
 * hides the tabs and buttons the session may not use.
 */
export const permissions = [
  /** Orders, received gifts, downloads, invoices and credit notes. */
  'orders:read',
  /** Correcting the billing details on an invoice. */
  'invoices:correct',
  /** Subscriptions and the plans one may switch to. */
  'subscriptions:read',
  /** Plan and quantity changes: quote, confirm, withdraw a scheduled one. */
  'subscriptions:change-plan',
  /** Cancelling a subscription. */
  'subscriptions:cancel',
  /** Withdrawing a pending cancellation. */
  'subscriptions:resume',
  /** Pausing and unpausing. */
  'subscriptions:pause',
  /** Paying the next period now with a saved payment method. */
  'subscriptions:renew',
  /** Confirming a payment the customer's bank holds (3-D Secure). */
  'payments:confirm',
  /** The saved payment methods. */
  'payment-methods:read',
  /** Adding, removing and choosing payment methods (the default, a subscription's). */
  'payment-methods:write',
  /** The Account tab: the activity log. */
  'account:read',
  /** Contact data, billing details and the password. */
  'account:write',
] as const;

/** Something a session may do. */
export type Permission = (typeof permissions)[number];

/** What an operation needs: a permission, or just a session (`signed-in`). */
export type SessionRequirement = Permission | 'signed-in';

const reads: readonly Permission[] = ['orders:read', 'subscriptions:read', 'payment-methods:read', 'account:read'];

/**
 * The capabilities a merchant may give a session, each with the permissions it takes
 * away and what it means, for the OpenAPI document and the README.
 */
export const capabilities = {
  'read-only': {
    denies: permissions.filter((p) => !reads.includes(p)),
    description:
      'Look, change nothing: every tab stays, but no change, payment or new card is accepted (downloads and ' +
      'invoice PDFs are reading).',
  },
  'orders-only': {
    denies: permissions.filter((p) => p !== 'orders:read' && p !== 'invoices:correct'),
    description: 'Only the Orders tab: orders, downloads and invoices (correcting one included).',
  },
  'no-payment-methods': {
    denies: ['payment-methods:read', 'payment-methods:write', 'subscriptions:renew'],
    description:
      'No Payment methods tab, and no choosing, adding or removing a card anywhere; renewing now (which pays ' +
      'with a saved card the customer picks) goes too.',
  },
  'no-cancel': {
    denies: ['subscriptions:cancel'],
    description: 'No cancelling a subscription (withdrawing a pending cancellation stays).',
  },
  'no-plan-changes': {
    denies: ['subscriptions:change-plan'],
    description: 'No plan or quantity changes.',
  },
  'no-pause': {
    denies: ['subscriptions:pause'],
    description: 'No pausing or unpausing.',
  },
} as const satisfies Record<string, { denies: readonly Permission[]; description: string }>;

/** A limit a merchant puts on a session. */
export type Capability = keyof typeof capabilities;

/** Every capability, in the table's order. */
export const capabilityNames = Object.keys(capabilities) as [Capability, ...Capability[]];

/** Whether `value` is a capability's name. */
export const isCapability = (value: string): value is Capability => Object.hasOwn(capabilities, value);

/** The capabilities of `given` that take `permission` away, in the table's order (none: it is allowed). */
export function capabilitiesDenying(given: readonly Capability[], permission: Permission): Capability[] {
  return capabilityNames.filter(
    (name) => given.includes(name) && (capabilities[name].denies as readonly Permission[]).includes(permission),
  );
}

/** Whether a session with `given` capabilities meets `requirement`. */
export function permits(given: readonly Capability[], requirement: SessionRequirement): boolean {
  return requirement === 'signed-in' || capabilitiesDenying(given, requirement).length === 0;
}

/** The permissions a session with `given` capabilities keeps. */
export function permissionsOf(given: readonly Capability[]): Permission[] {
  return permissions.filter((permission) => permits(given, permission));
}

/** The longest landing route, in characters. */
export const LANDING_ROUTE_MAX = 120;

/**
 * The screens a session may open at: the tabs (`/orders`, `/subscriptions`,
 * `/payment-methods`, `/account`), one order or subscription (`/orders/ord_…`,
 * `/subscriptions/sub_…`), a subscription's dialog (`/subscriptions/sub_…/cancel`,
 * `/change`, `/pause`) and the activity log (`/account/activity`).
 */
export const landingRoutePattern =
  /^\/(?:orders(?:\/[A-Za-z0-9_-]{1,64})?|subscriptions(?:\/[A-Za-z0-9_-]{1,64}(?:\/(?:change|cancel|pause))?)?|payment-methods|account(?:\/activity)?)$/;

/**
 * What the portal's screens need: each tab its own read permission, and each of a
 * subscription's dialogs its action's. The widget hides what a session may not open.
 */
export const screenPermissions = {
  tabs: {
    orders: 'orders:read',
    subscriptions: 'subscriptions:read',
    'payment-methods': 'payment-methods:read',
    account: 'account:read',
  },
  dialogs: {
    change: 'subscriptions:change-plan',
    cancel: 'subscriptions:cancel',
    pause: 'subscriptions:pause',
  },
} as const satisfies { tabs: Record<string, Permission>; dialogs: Record<string, Permission> };

/**
 * The permissions showing a screen needs (its tab's, and a dialog's action), or
 * null for a path that is not a landing route.
 */
export function routePermissions(path: string): Permission[] | null {
  if (!landingRoutePattern.test(path)) return null;
  const [tab, , action] = path.slice(1).split('/') as [keyof typeof screenPermissions.tabs, string, string?];
  const dialog = action as keyof typeof screenPermissions.dialogs | undefined;
  return [screenPermissions.tabs[tab], ...(dialog ? [screenPermissions.dialogs[dialog]] : [])];
}
