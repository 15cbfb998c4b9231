import type { Deps } from '../../deps';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { portalAccountSchema, portalBillingInput, portalContactInput, setPasswordInput } from '../../schemas/portal';
import { replaceOwnBillingDetails, toPortalAccountView, updateOwnContact } from '../../services/accounts';
import { setPassword } from '../../services/sign-in';
import { portalRoute, portalRouter, storeParam, requireCustomer } from './router';

const tags = ['Account'];

const me = portalRoute({
  operationId: 'getAccount',
  permission: 'signed-in',
  method: 'get',
  path: '/{storeId}/me',
  tags,
  summary: 'The signed-in account: profile and billing details',
  request: { params: storeParam },
  responses: { 200: jsonResponse(portalAccountSchema, 'The account.') },
});

const updateContact = portalRoute({
  operationId: 'updateContact',
  permission: 'account:write',
  method: 'patch',
  path: '/{storeId}/me',
  tags,
  summary: 'Change contact data (only the fields sent change; not the email address)',
  request: { params: storeParam, body: jsonBody(portalContactInput) },
  responses: { 200: jsonResponse(portalAccountSchema, 'The updated account.') },
});

const replaceBilling = portalRoute({
  operationId: 'replaceBillingDetails',
  permission: 'account:write',
  method: 'put',
  path: '/{storeId}/me/billing-details',
  tags,
  summary: 'Replace the billing details (a field left out is cleared)',
  request: { params: storeParam, body: jsonBody(portalBillingInput) },
  responses: { 200: jsonResponse(portalAccountSchema, 'The updated account.') },
});

const password = portalRoute({
  operationId: 'setPassword',
  permission: 'account:write',
  method: 'put',
  path: '/{storeId}/me/password',
  tags,
  summary: 'Set or change the password (when the store allows password sign-in)',
  description:
    'Changing an existing password needs `currentPassword` (a wrong one: 422 with `details[0].field` ' +
    '`currentPassword`, code `wrong_password`); wrong ones count against the account like failed password sign-ins.',
  request: { params: storeParam, body: jsonBody(setPasswordInput) },
  responses: { 204: { description: 'Password set.' } },
  errors: ['password_login_disabled', 'too_many_password_failures'],
});

export const meRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/me', requireCustomer(deps));
  router.use('/:storeId/me/*', requireCustomer(deps));
  return router
    .openapi(me, (c) => c.json(toPortalAccountView(c.get('account')), 200))
    .openapi(updateContact, async (c) =>
      c.json(toPortalAccountView(await updateOwnContact(deps, c.get('account'), c.req.valid('json'))), 200),
    )
    .openapi(replaceBilling, async (c) =>
      c.json(toPortalAccountView(await replaceOwnBillingDetails(deps, c.get('account'), c.req.valid('json'))), 200),
    )
    .openapi(password, async (c) => {
      await setPassword(deps, c.get('store'), c.get('session'), c.req.valid('json'));
      return c.body(null, 204);
    });
};
