import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { pickLanguage } from '../../i18n';
import { idParam, jsonBody, jsonResponse } from '../../schemas/common';
import { eInvoiceErrors, invoiceCorrectionInput, invoiceSchema, pdfQuery, sellerMissing } from '../../schemas/invoices';
import { correctInvoice, customerInvoicePdf, customerInvoiceXml, getCustomerInvoice } from '../../services/orders';
import { portalUrl } from '../../services/sign-in';
import { pdfBody, pdfResponse, xmlBody, xmlResponse } from '../file-response';
import { portalRoute, portalRouter, storeParam } from './router';

const tags = ['Invoices'];
const params = storeParam.merge(idParam('orderId', 'ord'));

const get = portalRoute({
  operationId: 'getInvoice',
  permission: 'orders:read',
  method: 'get',
  path: '/{storeId}/orders/{orderId}/invoice',
  tags,
  summary: "The invoice of one of the customer's orders: its billing details and revision",
  description:
    "Only the purchaser has one; for a gift's recipient, another account's order or an order with nothing " +
    'to pay the answer is 404.',
  request: { params },
  responses: { 200: jsonResponse(invoiceSchema, 'The latest revision.') },
  ...sellerMissing,
});

const correct = portalRoute({
  operationId: 'correctInvoice',
  permission: 'invoices:correct',
  method: 'put',
  path: '/{storeId}/orders/{orderId}/invoice',
  tags,
  summary: 'Correct the billing details on the invoice (a new revision with the same number)',
  description:
    'The correctable fields as a whole. The country cannot change when the order carried tax for it ' +
    "(422, field `country`). The account's own billing details change only with `alsoUseForFutureInvoices`.",
  request: { params, body: jsonBody(invoiceCorrectionInput) },
  responses: { 200: jsonResponse(invoiceSchema, 'The invoice as it is now.') },
  ...sellerMissing,
});

const pdf = portalRoute({
  operationId: 'getInvoicePdf',
  permission: 'orders:read',
  method: 'get',
  path: '/{storeId}/orders/{orderId}/invoice.pdf',
  tags,
  summary: "The invoice as a PDF, in the language asked for (default: the account's)",
  request: { params, query: z.object(pdfQuery) },
  responses: { 200: pdfResponse('The latest revision as a PDF.') },
  ...sellerMissing,
});

const xml = portalRoute({
  operationId: 'getInvoiceXml',
  permission: 'orders:read',
  method: 'get',
  path: '/{storeId}/orders/{orderId}/invoice.xml',
  tags,
  summary: 'The invoice as an EN 16931 e-invoice (UBL 2.1 XML)',
  description:
    'The latest revision, with the same number and amounts as the PDF, for import into accounting software. ' +
    "Only the purchaser has one; for a gift's recipient, another account's order or an order with nothing to pay " +
    'the answer is 404.',
  request: { params },
  responses: { 200: xmlResponse('The latest revision as UBL 2.1 XML.') },
  ...eInvoiceErrors,
});

/**
 * The purchaser's invoices: reading, correcting and downloading them. Mounted by
 * `orderRoutes`, whose session guard covers every `/orders/*` path.
 */
export const invoiceRoutes = (deps: Deps) =>
  portalRouter()
    .openapi(get, async (c) =>
      c.json(
        await getCustomerInvoice(deps.db, c.get('store').id, c.get('account').id, c.req.valid('param').orderId),
        200,
      ),
    )
    .openapi(correct, async (c) =>
      c.json(
        await correctInvoice(
          deps,
          c.get('store').id,
          c.get('account'),
          c.req.valid('param').orderId,
          c.req.valid('json'),
        ),
        200,
      ),
    )
    .openapi(pdf, async (c) => {
      const { orderId } = c.req.valid('param');
      const language = pickLanguage(c.req.valid('query').lang ?? c.get('account').language);
      const orderUrl = `${portalUrl(c.get('store'), deps.config.publicBaseUrl)}#/orders/${orderId}`;
      return pdfBody(
        await customerInvoicePdf(deps.db, c.get('store').id, c.get('account').id, orderId, { language, orderUrl }),
      ) as never;
    })
    .openapi(xml, async (c) => {
      const { orderId } = c.req.valid('param');
      return xmlBody(await customerInvoiceXml(deps.db, c.get('store').id, c.get('account').id, orderId)) as never;
    });
