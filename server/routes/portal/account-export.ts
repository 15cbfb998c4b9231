import type { Deps } from '../../deps';
import { accountExportSchema } from '../../schemas/account-export';
import { exportAccount, exportFileName } from '../../services/privacy';
import { jsonFileBody, jsonFileResponse } from '../file-response';
import { portalRoute, portalRouter, requireCustomer, storeParam } from './router';

const download = portalRoute({
  operationId: 'exportAccountData',
  // Everything the account has, but only reading it: a read-only session may take its data away.
  permission: 'account:read',
  method: 'get',
  path: '/{storeId}/me/export',
  tags: ['Account'],
  summary: 'Everything the store holds about the signed-in customer, as one JSON file',
  description:
    "The account, its orders (gifts within the order screens' rules), every invoice revision, refunds, " +
    'subscriptions, payment methods (brand, last four digits and expiry only) and the emails sent to it. ' +
    '`format` and `version` name the shape: fields may be added within a version, never renamed or removed. ' +
    'At most 5 per account in an hour.',
  request: { params: storeParam },
  responses: {
    200: jsonFileResponse(accountExportSchema, 'The export, as an attachment.', 'demo-account-data-2026-05-01.json'),
  },
  errors: ['too_many_exports'],
  errorNotes: { too_many_exports: '`Retry-After` and `details.retryAfterSeconds` say when.' },
});

/** The customer's data export, a file to save. */
export const accountExportRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/me/export', requireCustomer(deps));
  return router.openapi(download, async (c) => {
    const data = await exportAccount(deps, c.get('store'), c.get('account'));
    const bytes = new TextEncoder().encode(`${JSON.stringify(data, null, 2)}\n`);
    return jsonFileBody({ bytes, fileName: exportFileName(c.get('store'), data.exportedAt) }) as never;
  });
};
