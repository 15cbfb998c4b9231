import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Capability } from '../../contract';
import { accounts } from './accounts';
import { storeRef, timestamp } from './columns';
import { stores } from './stores';

export const tokenPurposes = [
  'login',
  'invitation',
  'authenticate',
  'management',
  'download',
  'password_reset',
] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/**
 * The limits a merchant put on a pre-authenticated URL, which the session it starts
 * carries: capabilities (what the session may not do), the screen it opens at, and a
 * lifetime shorter than the store's `sessionMaxSeconds`.
 */
export interface TokenScope {
  capabilities: Capability[];
  landingRoute: string | null;
  sessionLifetimeSeconds: number | null;
}

/**
 * A token in a link: login link, invitation, pre-authenticated URL, password reset
 * link (single use), management URL or signed download link (reusable until they
 * expire). Only its SHA-256 is stored.
 */
export const portalTokens = sqliteTable(
  'portal_tokens',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    purpose: text({ enum: tokenPurposes }).notNull(),
    /** What the token grants access to beyond the account, such as the fulfilment of a download link. */
    subjectId: text(),
    tokenHash: text().notNull(),
    /** The merchant's limits on the session a pre-authenticated URL starts (none: a full session). */
    scope: text({ mode: 'json' }).$type<TokenScope>(),
    createdAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    usedAt: timestamp(),
    revokedAt: timestamp(),
  },
  (t) => [
    uniqueIndex('portal_tokens_hash_unique').on(t.tokenHash),
    index('portal_tokens_account_idx').on(t.accountId, t.purpose),
  ],
);

/** A customer's session on the Portal API. Only the token's SHA-256 is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    tokenHash: text().notNull(),
    /** How it started: a token purpose, `password` or `device`. */
    via: text().notNull(),
    deviceId: text(),
    /** What the session may not do (see server/contract/session-scope.ts); empty: everything is allowed. */
    capabilities: text({ mode: 'json' }).$type<Capability[]>().notNull().default([]),
    /** The screen the widget opens at after the sign-in, such as `/subscriptions`. */
    landingRoute: text(),
    createdAt: timestamp().notNull(),
    /** Last time the idle window was moved (writes are throttled). */
    lastSeenAt: timestamp().notNull(),
    idleExpiresAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    revokedAt: timestamp(),
  },
  (t) => [uniqueIndex('sessions_hash_unique').on(t.tokenHash), index('sessions_account_idx').on(t.accountId)],
);

/** A browser that has signed in before, recognised by an HttpOnly cookie holding a secret. */
export const devices = sqliteTable(
  'devices',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    accountId: text()
      .notNull()
      .references(() => accounts.id),
    secretHash: text().notNull(),
    createdAt: timestamp().notNull(),
    lastUsedAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    revokedAt: timestamp(),
  },
  (t) => [uniqueIndex('devices_secret_unique').on(t.secretHash), index('devices_account_idx').on(t.accountId)],
);

/** One counted request for a sliding-window rate limit; buckets are hashed keys. */
export const rateLimitHits = sqliteTable(
  'rate_limit_hits',
  {
    /** Which hit this is, so that a refund takes back exactly the hits its request counted. */
    id: integer().primaryKey({ autoIncrement: true }),
    bucket: text().notNull(),
    at: timestamp().notNull(),
  },
  (t) => [index('rate_limit_hits_bucket_idx').on(t.bucket, t.at)],
);

/** What an emailed-link request asks for: a sign-in link, or a link to choose a new password. */
export const linkRequestPurposes = ['login', 'password_reset'] as const;
export type LinkRequestPurpose = (typeof linkRequestPurposes)[number];

/**
 * A customer's request for a login link (or a password reset link), answered at
 * once and worked off by the login-link worker: it looks the account up, issues the
 * link and queues the email. The request itself never reads accounts, so a known
 * and an unknown address cost it the same. A row lives only until the worker has
 * handled it.
 */
export const loginLinkRequests = sqliteTable(
  'login_link_requests',
  {
    id: text().primaryKey(),
    storeId: storeRef().references(() => stores.id),
    /** The normalised address the link is for (for a management URL, its account's). */
    email: text().notNull(),
    /** The portal route to open after signing in, put into the link's fragment. */
    returnTo: text(),
    /** `login` for a sign-in link, `password_reset` for a link to choose a new password. */
    purpose: text({ enum: linkRequestPurposes }).notNull().default('login'),
    requestedAt: timestamp().notNull(),
    /** `pending` until handled; the worker deletes a handled row. */
    status: text({ enum: ['pending'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp().notNull(),
    leaseUntil: timestamp(),
  },
  (t) => [index('login_link_requests_due_idx').on(t.status, t.nextAttemptAt)],
);

/** A row of `devices`. */
export type DeviceRow = typeof devices.$inferSelect;

/** A row of `sessions`. */
export type SessionRow = typeof sessions.$inferSelect;

/** A row of `portalTokens`. */
export type PortalTokenRow = typeof portalTokens.$inferSelect;

/** A row of `loginLinkRequests`. */
export type LoginLinkRequestRow = typeof loginLinkRequests.$inferSelect;
