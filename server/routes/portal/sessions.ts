import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { setCookie, getCookie } from 'hono/cookie';
import type { Deps } from '../../deps';
import { clientIp, type PortalEnv } from '../../middleware/portal';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { loginLinkInput, passwordSignInInput, sessionInput, sessionSchema } from '../../schemas/portal';
import { toPortalAccountView } from '../../services/accounts';
import {
  endSession,
  redeemSignInToken,
  requestLoginLink,
  signInWithManagementUrl,
  signInWithPassword,
  toSessionScope,
  type SignedIn,
} from '../../services/sign-in';
import { sessionScopeSchema } from '../../schemas/session-scope';
import { portalRoute, portalRouter, storeParam, requireCustomer } from './router';

const tags = ['Sign-in'];
const DEVICE_COOKIE = 'ap_device';

const loginLinks = portalRoute({
  operationId: 'requestLoginLink',
  method: 'post',
  path: '/{storeId}/login-links',
  public: true,
  tags,
  summary: 'Email a sign-in link (same answer whether or not the account exists)',
  request: { params: storeParam, body: jsonBody(loginLinkInput) },
  responses: { 202: jsonResponse(z.object({ message: z.string() }), 'Accepted.') },
  errors: [
    'login_link_recently_sent',
    'too_many_login_links_from_network',
    'too_many_link_attempts',
    'invalid_token',
    'token_expired',
  ],
  errorNotes: {
    invalid_token: 'Only with `managementToken`: it is not a management URL of this store.',
    token_expired: 'Only with `managementToken`.',
  },
});

export const created = { 201: jsonResponse(sessionSchema, 'A new session.') };

const withToken = portalRoute({
  operationId: 'signInWithToken',
  method: 'post',
  path: '/{storeId}/sessions',
  public: true,
  tags,
  summary: 'Redeem a login link, invitation or pre-authenticated URL token (single use)',
  request: { params: storeParam, body: jsonBody(sessionInput) },
  responses: created,
  errors: [
    'too_many_sign_ins_from_network',
    'too_many_link_attempts',
    'invalid_token',
    'token_superseded',
    'token_used',
    'token_expired',
  ],
});

const withManagement = portalRoute({
  operationId: 'signInWithManagementUrl',
  method: 'post',
  path: '/{storeId}/sessions/management',
  public: true,
  tags,
  summary: 'Sign in with a management URL token (on a device that signed in before)',
  request: { params: storeParam, body: jsonBody(sessionInput) },
  responses: created,
  errors: [
    'too_many_sign_ins_from_network',
    'too_many_link_attempts',
    'invalid_token',
    'token_expired',
    'email_not_verified',
    'login_link_required',
  ],
  errorNotes: {
    email_not_verified: '`details.emailHint` is the masked address a link can be sent to.',
    login_link_required: '`details.emailHint` is the masked address a link can be sent to.',
  },
});

const withPassword = portalRoute({
  operationId: 'signInWithPassword',
  method: 'post',
  path: '/{storeId}/sessions/password',
  public: true,
  tags,
  summary: 'Sign in with email and password (when the store allows it)',
  request: { params: storeParam, body: jsonBody(passwordSignInInput) },
  responses: created,
  errors: [
    'password_login_disabled',
    'too_many_password_failures',
    'too_many_password_failures_from_network',
    'invalid_credentials',
  ],
});

const current = portalRoute({
  operationId: 'getSession',
  method: 'get',
  path: '/{storeId}/sessions/current',
  permission: 'signed-in',
  tags,
  summary: 'What the session may do: its capabilities, the permissions they leave, its landing route',
  description:
    'A session from a pre-authenticated URL carries the limits the merchant gave it; every other session may do ' +
    'everything (no capabilities, every permission).',
  request: { params: storeParam },
  responses: { 200: jsonResponse(sessionScopeSchema, "The session's scope.") },
});

const signOut = portalRoute({
  operationId: 'signOut',
  permission: 'signed-in',
  method: 'delete',
  path: '/{storeId}/sessions/current',
  tags,
  summary: 'Sign out',
  request: { params: storeParam },
  responses: { 204: { description: 'Signed out.' } },
});

/** Answers a sign-in: the session as JSON, the device credential as an HttpOnly partitioned cookie. */
export function signedIn(c: Context<PortalEnv>, result: SignedIn) {
  setCookie(c, DEVICE_COOKIE, result.device.secret, {
    path: `/portal/${c.get('store').id}`,
    httpOnly: true,
    secure: true,
    sameSite: 'None',
    partitioned: true,
    // A lifetime rather than a date, so the cookie follows the server's clock (and Hono's 400-day cap holds).
    maxAge: Math.floor((result.device.expiresAt.getTime() - result.session.createdAt.getTime()) / 1000),
  });
  return c.json(
    {
      token: result.token,
      expiresAt: result.session.idleExpiresAt.toISOString(),
      account: toPortalAccountView(result.account),
      scope: toSessionScope(result.session),
    },
    201,
  );
}

/** Who asks: the client's address (for per-address limits) and the device cookie, if any. */
export const requester = (c: Context<PortalEnv>, deps: Deps) => ({
  ip: clientIp(c, deps.config.trustProxy ?? false),
  deviceSecret: getCookie(c, DEVICE_COOKIE),
  userAgent: c.req.header('user-agent'),
});

export const sessionRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/sessions/current', requireCustomer(deps));
  return router
    .openapi(loginLinks, async (c) => {
      await requestLoginLink(deps, c.get('store'), c.req.valid('json'), requester(c, deps));
      return c.json({ message: 'If an account exists for this address, a sign-in link is on its way.' }, 202);
    })
    .openapi(withToken, async (c) =>
      signedIn(c, await redeemSignInToken(deps, c.get('store'), c.req.valid('json').token, requester(c, deps))),
    )
    .openapi(withManagement, async (c) =>
      signedIn(c, await signInWithManagementUrl(deps, c.get('store'), c.req.valid('json').token, requester(c, deps))),
    )
    .openapi(withPassword, async (c) =>
      signedIn(c, await signInWithPassword(deps, c.get('store'), c.req.valid('json'), requester(c, deps))),
    )
    .openapi(current, (c) => c.json(toSessionScope(c.get('session')), 200))
    .openapi(signOut, async (c) => {
      await endSession(deps.db, c.get('session').id, deps.clock.now());
      return c.body(null, 204);
    });
};
