import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { apiErrorsWith, errorResponses, idParam, isoDate, jsonBody, jsonResponse } from '../../schemas/common';
import { getAccount } from '../../services/accounts';
import { inviteAccount, issueAuthenticateUrl, issueManagementUrl, endAllSessions } from '../../services/sign-in';
import { apiRouter, basicAuth } from './router';

const tags = ['Customer sign-in'];
const params = idParam('accountId', 'acc');
const portalUrl = z.object({ url: z.string(), expiresAt: isoDate }).openapi('PortalUrl');

const authenticate = createRoute({
  method: 'get', path: '/{accountId}/authenticate', tags, security: basicAuth,
  summary: 'A pre-authenticated portal URL (single use, valid 24 h)',
  description: 'Hand it to the `<account-portal auth-url>` attribute, or redirect to it. Append `#/subscriptions` to open that tab.',
  request: { params },
  responses: { 200: jsonResponse(portalUrl, 'The URL.'), ...errorResponses },
});

const authenticateMany = createRoute({
  method: 'post', path: '/authenticate', tags, security: basicAuth,
  summary: 'Pre-authenticated portal URLs for several accounts at once',
  request: { body: jsonBody(z.object({ accountIds: z.array(z.string().max(64)).min(1).max(100) }).strict()) },
  responses: {
    200: jsonResponse(z.object({ data: z.array(portalUrl.extend({ accountId: z.string() })) }), 'One URL per account.'),
    ...errorResponses,
  },
});

const invite = createRoute({
  method: 'post', path: '/{accountId}/invitations', tags, security: basicAuth,
  summary: 'Email the customer an invitation to the portal',
  request: { params },
  responses: {
    202: jsonResponse(z.object({ expiresAt: isoDate }), 'Queued; the link in it expires at `expiresAt`.'),
    ...apiErrorsWith(['rate_limited'], { rate_limited: 'More than 5 invitations in 30 minutes.' }),
  },
});

const managementUrl = createRoute({
  method: 'get', path: '/{accountId}/management-url', tags, security: basicAuth,
  summary: 'A management URL (works on devices that signed in before; expires per store setting)',
  request: { params },
  responses: { 200: jsonResponse(portalUrl, 'The URL.'), ...errorResponses },
});

const endSessions = createRoute({
  method: 'delete', path: '/{accountId}/sessions', tags, security: basicAuth,
  summary: 'End all of the account\'s portal sessions',
  request: { params },
  responses: { 200: jsonResponse(z.object({ ended: z.number() }), 'How many sessions were ended.'), ...errorResponses },
});

const iso = (link: { url: string; expiresAt: Date }) => ({ url: link.url, expiresAt: link.expiresAt.toISOString() });

export const signInRoutes = (deps: Deps) => apiRouter()
  .openapi(authenticate, (c) => c.json(deps.db.transaction((tx) => {
    const account = getAccount(tx, c.var.store.id, c.req.valid('param').accountId);
    return iso(issueAuthenticateUrl(tx, c.var.store, account, deps.config.publicBaseUrl, deps.clock.now()));
  }), 200))
  .openapi(authenticateMany, (c) => c.json({
    data: deps.db.transaction((tx) => c.req.valid('json').accountIds.map((accountId) => {
      const account = getAccount(tx, c.var.store.id, accountId);
      return { accountId, ...iso(issueAuthenticateUrl(tx, c.var.store, account, deps.config.publicBaseUrl, deps.clock.now())) };
    })),
  }, 200))
  .openapi(invite, (c) => {
    const { expiresAt } = inviteAccount(deps, c.var.store, c.req.valid('param').accountId);
    return c.json({ expiresAt: expiresAt.toISOString() }, 202);
  })
  .openapi(managementUrl, (c) => c.json(deps.db.transaction((tx) => {
    const account = getAccount(tx, c.var.store.id, c.req.valid('param').accountId);
    return iso(issueManagementUrl(tx, c.var.store, account, deps.config.publicBaseUrl, deps.clock.now()));
  }), 200))
  .openapi(endSessions, (c) => {
    const account = getAccount(deps.db, c.var.store.id, c.req.valid('param').accountId);
    return c.json({ ended: endAllSessions(deps.db, c.var.store.id, account.id, deps.clock.now()) }, 200);
  });
