import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { requireSession } from '../../middleware/portal';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { portalAccountSchema, setPasswordInput } from '../../schemas/portal';
import { toPortalAccountView } from '../../services/portal-account';
import { setPassword } from '../../services/sign-in';
import { bearerAuth, portalErrors, portalRouter, storeParam } from './router';

const tags = ['Account'];

const me = createRoute({
  method: 'get', path: '/{storeId}/me', tags, security: bearerAuth,
  summary: 'The signed-in account: profile and billing details',
  request: { params: storeParam },
  responses: { 200: jsonResponse(portalAccountSchema, 'The account.'), ...portalErrors },
});

const password = createRoute({
  method: 'put', path: '/{storeId}/me/password', tags, security: bearerAuth,
  summary: 'Set or change the password (when the store allows password sign-in)',
  request: { params: storeParam, body: jsonBody(setPasswordInput) },
  responses: { 204: { description: 'Password set.' }, ...portalErrors },
});

export const meRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/me', requireSession(deps));
  router.use('/:storeId/me/*', requireSession(deps));
  return router
    .openapi(me, (c) => c.json(toPortalAccountView(c.var.account), 200))
    .openapi(password, async (c) => {
      await setPassword(deps, c.var.store, c.var.session, c.req.valid('json'));
      return c.body(null, 204);
    });
};
