import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { portalAccountSchema, portalBillingInput, portalContactInput, setPasswordInput } from '../../schemas/portal';
import { replaceOwnBillingDetails, toPortalAccountView, updateOwnContact } from '../../services/accounts';
import { setPassword } from '../../services/sign-in';
import { bearerAuth, portalErrors, portalRouter, storeParam, requireCustomer } from './router';

const tags = ['Account'];

const me = createRoute({
  method: 'get',
  path: '/{storeId}/me',
  tags,
  security: bearerAuth,
  summary: 'The signed-in account: profile and billing details',
  request: { params: storeParam },
  responses: { 200: jsonResponse(portalAccountSchema, 'The account.'), ...portalErrors },
});

const updateContact = createRoute({
  method: 'patch',
  path: '/{storeId}/me',
  tags,
  security: bearerAuth,
  summary: 'Change contact data (only the fields sent change; not the email address)',
  request: { params: storeParam, body: jsonBody(portalContactInput) },
  responses: { 200: jsonResponse(portalAccountSchema, 'The updated account.'), ...portalErrors },
});

const replaceBilling = createRoute({
  method: 'put',
  path: '/{storeId}/me/billing-details',
  tags,
  security: bearerAuth,
  summary: 'Replace the billing details (a field left out is cleared)',
  request: { params: storeParam, body: jsonBody(portalBillingInput) },
  responses: { 200: jsonResponse(portalAccountSchema, 'The updated account.'), ...portalErrors },
});

const password = createRoute({
  method: 'put',
  path: '/{storeId}/me/password',
  tags,
  security: bearerAuth,
  summary: 'Set or change the password (when the store allows password sign-in)',
  request: { params: storeParam, body: jsonBody(setPasswordInput) },
  responses: { 204: { description: 'Password set.' }, ...portalErrors },
});

export const meRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/me', requireCustomer(deps));
  router.use('/:storeId/me/*', requireCustomer(deps));
  return router
    .openapi(me, (c) => c.json(toPortalAccountView(c.var.account), 200))
    .openapi(updateContact, (c) =>
      c.json(toPortalAccountView(updateOwnContact(deps, c.var.account, c.req.valid('json'))), 200),
    )
    .openapi(replaceBilling, (c) =>
      c.json(toPortalAccountView(replaceOwnBillingDetails(deps, c.var.account, c.req.valid('json'))), 200),
    )
    .openapi(password, async (c) => {
      await setPassword(deps, c.var.store, c.var.session, c.req.valid('json'));
      return c.body(null, 204);
    });
};
