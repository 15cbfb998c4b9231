import { createRoute, z } from '@hono/zod-openapi';
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
  type SignedIn,
} from '../../services/sign-in';
import { bearerAuth, portalErrors, portalRouter, storeParam, requireCustomer } from './router';

const tags = ['Sign-in'];
const DEVICE_COOKIE = 'ap_device';

const loginLinks = createRoute({
  method: 'post',
  path: '/{storeId}/login-links',
  tags,
  summary: 'Email a sign-in link (same answer whether or not the account exists)',
  request: { params: storeParam, body: jsonBody(loginLinkInput) },
  responses: { 202: jsonResponse(z.object({ message: z.string() }), 'Accepted.'), ...portalErrors },
});

const created = { 201: jsonResponse(sessionSchema, 'A new session.'), ...portalErrors };

const withToken = createRoute({
  method: 'post',
  path: '/{storeId}/sessions',
  tags,
  summary: 'Redeem a login link, invitation or pre-authenticated URL token (single use)',
  request: { params: storeParam, body: jsonBody(sessionInput) },
  responses: created,
});

const withManagement = createRoute({
  method: 'post',
  path: '/{storeId}/sessions/management',
  tags,
  summary: 'Sign in with a management URL token (on a device that signed in before)',
  request: { params: storeParam, body: jsonBody(sessionInput) },
  responses: created,
});

const withPassword = createRoute({
  method: 'post',
  path: '/{storeId}/sessions/password',
  tags,
  summary: 'Sign in with email and password (when the store allows it)',
  request: { params: storeParam, body: jsonBody(passwordSignInInput) },
  responses: created,
});

const signOut = createRoute({
  method: 'delete',
  path: '/{storeId}/sessions/current',
  tags,
  security: bearerAuth,
  summary: 'Sign out',
  request: { params: storeParam },
  responses: { 204: { description: 'Signed out.' }, ...portalErrors },
});

/** Answers a sign-in: the session as JSON, the device credential as an HttpOnly partitioned cookie. */
function signedIn(c: Context<PortalEnv>, result: SignedIn) {
  setCookie(c, DEVICE_COOKIE, result.device.secret, {
    path: `/portal/${c.var.store.id}`,
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
    },
    201,
  );
}

const requester = (c: Context<PortalEnv>, deps: Deps) => ({
  ip: clientIp(c, deps.config.trustProxy ?? false),
  deviceSecret: getCookie(c, DEVICE_COOKIE),
});

export const sessionRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/sessions/current', requireCustomer(deps));
  return router
    .openapi(loginLinks, (c) => {
      requestLoginLink(deps, c.var.store, c.req.valid('json'), requester(c, deps));
      return c.json({ message: 'If an account exists for this address, a sign-in link is on its way.' }, 202);
    })
    .openapi(withToken, (c) =>
      signedIn(c, redeemSignInToken(deps, c.var.store, c.req.valid('json').token, requester(c, deps))),
    )
    .openapi(withManagement, (c) =>
      signedIn(c, signInWithManagementUrl(deps, c.var.store, c.req.valid('json').token, requester(c, deps))),
    )
    .openapi(withPassword, async (c) =>
      signedIn(c, await signInWithPassword(deps, c.var.store, c.req.valid('json'), requester(c, deps))),
    )
    .openapi(signOut, (c) => {
      endSession(deps.db, c.var.session.id, deps.clock.now());
      return c.body(null, 204);
    });
};
