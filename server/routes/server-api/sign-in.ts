import { mapInOrder } from '../../lib/in-order';
import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { idParam, isoDate, jsonBody, jsonResponse } from '../../schemas/common';
import { sessionLimitsFields, sessionLimitsInput, sessionLimitsQuery } from '../../schemas/session-scope';
import { getLiveAccount } from '../../services/accounts';
import {
  endAccountAccess,
  inviteAccount,
  issueAuthenticateUrl,
  issueManagementUrl,
  revokeAuthenticateUrl,
} from '../../services/sign-in';
import { apiRoute, apiRouter } from './router';
import type { StoreRow } from '../../db/schema';
import type { SessionLimitsInput } from '../../schemas/session-scope';

const tags = ['Customer sign-in'];
const params = idParam('accountId', 'acc');
const portalUrl = z.object({ url: z.string(), expiresAt: isoDate }).openapi('PortalUrl');
const authenticateUrl = portalUrl
  .extend({
    id: z.string().openapi({
      example: 'tok_4k9x2m7q1w8e5r3t6y0u',
      description: 'Revokes the URL with `DELETE /api/accounts/{accountId}/authenticate-urls/{id}`.',
    }),
  })
  .openapi('AuthenticateUrl');

const authenticateDescription =
  'Hand it to the `<account-portal auth-url>` attribute, or redirect to it. Append `#/subscriptions` to open that ' +
  'tab, or set `landingRoute`. Optional limits narrow the session the URL starts: `capabilities` (what it may not ' +
  'do), `landingRoute` (where the widget opens), `sessionLifetimeSeconds` (a shorter session) and ' +
  '`urlLifetimeSeconds` (a shorter-lived URL).';

const limitErrors = {
  errors: ['account_deleted'],
  errorNotes: {
    validation_failed:
      "Also for a `sessionLifetimeSeconds` above the store's `sessionMaxSeconds`, and a `landingRoute` the " +
      '`capabilities` take away.',
  },
} as const;

const authenticate = apiRoute({
  operationId: 'issueAuthenticateUrl',
  method: 'get',
  path: '/{accountId}/authenticate',
  tags,
  summary: 'A pre-authenticated portal URL (single use, valid 24 h), optionally with limits',
  description: `${authenticateDescription} The limits are query parameters here; \`POST\` takes them as JSON.`,
  request: { params, query: sessionLimitsQuery },
  responses: { 200: jsonResponse(authenticateUrl, 'The URL and its id.') },
  ...limitErrors,
});

const authenticateWithLimits = apiRoute({
  operationId: 'createAuthenticateUrl',
  method: 'post',
  path: '/{accountId}/authenticate',
  tags,
  summary: 'A pre-authenticated portal URL with limits on its session (single use)',
  description: authenticateDescription,
  request: { params, body: jsonBody(sessionLimitsInput) },
  responses: { 200: jsonResponse(authenticateUrl, 'The URL and its id.') },
  ...limitErrors,
});

const revokeAuthenticate = apiRoute({
  operationId: 'revokeAuthenticateUrl',
  method: 'delete',
  path: '/{accountId}/authenticate-urls/{urlId}',
  tags,
  summary: 'Revoke a pre-authenticated portal URL',
  description:
    "The URL stops working at once. One that was used already stays used: end the account's access to end " +
    'the session it started. An id that is not a pre-authenticated URL of this account is a 404.',
  request: { params: params.extend(idParam('urlId', 'tok').shape) },
  responses: { 204: { description: 'Revoked.' } },
});

const authenticateMany = apiRoute({
  operationId: 'issueAuthenticateUrls',
  method: 'post',
  path: '/authenticate',
  tags,
  summary: 'Pre-authenticated portal URLs for several accounts at once',
  description: 'The limits, when given, apply to every URL (see `createAuthenticateUrl`).',
  request: {
    body: jsonBody(
      z
        .object({ accountIds: z.array(z.string().max(64)).min(1).max(100), ...sessionLimitsFields })
        .strict()
        .openapi('AuthenticateUrlsRequest'),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(authenticateUrl.extend({ accountId: z.string() })) }),
      'One URL per account.',
    ),
  },
  errors: ['not_found', 'account_deleted'],
  errorNotes: {
    ...limitErrors.errorNotes,
    not_found: 'For the first id that is not an account of this store; no URL is issued then.',
    account_deleted: 'For the first deleted account; no URL is issued then.',
  },
});

const invite = apiRoute({
  operationId: 'sendInvitation',
  method: 'post',
  path: '/{accountId}/invitations',
  tags,
  summary: 'Email the customer an invitation to the portal',
  request: { params },
  responses: {
    202: jsonResponse(z.object({ expiresAt: isoDate }), 'Queued; the link in it expires at `expiresAt`.'),
  },
  errors: ['too_many_invitations', 'account_deleted'],
});

const managementUrl = apiRoute({
  operationId: 'issueManagementUrl',
  method: 'get',
  path: '/{accountId}/management-url',
  tags,
  summary: 'A management URL (works on devices that signed in before; expires per store setting)',
  request: { params },
  responses: { 200: jsonResponse(portalUrl, 'The URL.') },
  errors: ['account_deleted'],
});

const endSessions = apiRoute({
  operationId: 'endAccountAccess',
  method: 'delete',
  path: '/{accountId}/sessions',
  tags,
  summary: "End the account's portal access: sessions, links and remembered devices",
  description:
    'In one transaction: ends every session, makes every link that could still be used stop working ' +
    '(unused login links, invitations, pre-authenticated URLs, management URLs, download links) and forgets the ' +
    "account's remembered devices. The customer then needs a new login link (or a new URL from you); a password " +
    'they set still works.',
  request: { params },
  responses: { 200: jsonResponse(z.object({ ended: z.number() }), 'How many sessions were ended.') },
});

const iso = (link: { url: string; expiresAt: Date }) => ({ url: link.url, expiresAt: link.expiresAt.toISOString() });
const withId = (link: { id: string; url: string; expiresAt: Date }) => ({ id: link.id, ...iso(link) });

export const signInRoutes = (deps: Deps) => {
  const issue = async (store: StoreRow, accountId: string, limits: SessionLimitsInput) =>
    await deps.db.transaction(async (tx) => {
      const account = await getLiveAccount(tx, store.id, accountId);
      return withId(
        await issueAuthenticateUrl(tx, store, account, deps.config.publicBaseUrl, deps.clock.now(), limits),
      );
    });
  return apiRouter()
    .openapi(authenticate, async (c) =>
      c.json(await issue(c.get('store'), c.req.valid('param').accountId, c.req.valid('query')), 200),
    )
    .openapi(authenticateWithLimits, async (c) =>
      c.json(await issue(c.get('store'), c.req.valid('param').accountId, c.req.valid('json')), 200),
    )
    .openapi(revokeAuthenticate, async (c) => {
      const { accountId, urlId } = c.req.valid('param');
      await revokeAuthenticateUrl(deps, c.get('store').id, accountId, urlId);
      return c.body(null, 204);
    })
    .openapi(authenticateMany, async (c) => {
      const { accountIds, ...limits } = c.req.valid('json');
      const now = deps.clock.now();
      return c.json(
        {
          data: await deps.db.transaction(
            async (tx) =>
              await mapInOrder(accountIds, async (accountId) => {
                const account = await getLiveAccount(tx, c.get('store').id, accountId);
                const link = await issueAuthenticateUrl(
                  tx,
                  c.get('store'),
                  account,
                  deps.config.publicBaseUrl,
                  now,
                  limits,
                );
                return { accountId, ...withId(link) };
              }),
          ),
        },
        200,
      );
    })
    .openapi(invite, async (c) => {
      const { expiresAt } = await inviteAccount(deps, c.get('store'), c.req.valid('param').accountId);
      return c.json({ expiresAt: expiresAt.toISOString() }, 202);
    })
    .openapi(managementUrl, async (c) =>
      c.json(
        await deps.db.transaction(async (tx) => {
          const account = await getLiveAccount(tx, c.get('store').id, c.req.valid('param').accountId);
          return iso(
            await issueManagementUrl(tx, c.get('store'), account, deps.config.publicBaseUrl, deps.clock.now()),
          );
        }),
        200,
      ),
    )
    .openapi(endSessions, async (c) =>
      c.json(
        { ended: (await endAccountAccess(deps, c.get('store').id, c.req.valid('param').accountId)).sessions },
        200,
      ),
    );
};
