import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { pickLanguage } from '../../i18n';
import { idParam, jsonResponse } from '../../schemas/common';
import { eInvoiceErrors, invoiceSchema, pdfQuery, revisionQuery, sellerMissing } from '../../schemas/invoices';
import { getAccount } from '../../services/accounts';
import { getMerchantInvoice, getOrderView, merchantInvoicePdf, merchantInvoiceXml } from '../../services/orders';
import { portalUrl } from '../../services/sign-in';
import { pdfBody, pdfResponse, xmlBody, xmlResponse } from '../file-response';
import { apiRoute, apiRouter } from './router';

const tags = ['Orders'];

const invoice = apiRoute({
  operationId: 'getOrderInvoice',
  method: 'get',
  path: '/{orderId}/invoice',
  tags,
  summary: 'The invoice of an order: number, revision, issue date and billing details',
  description: 'The latest revision, or `?revision=N`. 404 for an order without an invoice (nothing to pay).',
  request: { params: idParam('orderId', 'ord'), query: z.object(revisionQuery) },
  responses: { 200: jsonResponse(invoiceSchema, 'The invoice revision.') },
  ...sellerMissing,
});

const invoicePdf = apiRoute({
  operationId: 'getOrderInvoicePdf',
  method: 'get',
  path: '/{orderId}/invoice.pdf',
  tags,
  summary: 'The invoice of an order as a PDF (`?lang=`, `?revision=`)',
  description: "In the language asked for (default: the account's), the latest revision or `?revision=N`.",
  request: { params: idParam('orderId', 'ord'), query: z.object({ ...pdfQuery, ...revisionQuery }) },
  responses: { 200: pdfResponse('The invoice as a PDF.') },
  ...sellerMissing,
});

const invoiceXml = apiRoute({
  operationId: 'getOrderInvoiceXml',
  method: 'get',
  path: '/{orderId}/invoice.xml',
  tags,
  summary: 'The invoice of an order as an EN 16931 e-invoice in UBL 2.1 (`?revision=`)',
  description:
    'The latest revision or `?revision=N`, with the same number and amounts as the PDF. Generated with ' +
    '`@e-invoice-eu/core`; see the README for what is validated.',
  request: { params: idParam('orderId', 'ord'), query: z.object(revisionQuery) },
  responses: { 200: xmlResponse('The invoice as UBL 2.1 XML.') },
  ...eInvoiceErrors,
});

/** An order's invoice for the merchant: its JSON, the PDF and the e-invoice, any revision. Mounted by `orderRoutes`. */
export const orderInvoiceRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(invoice, async (c) =>
      c.json(
        await getMerchantInvoice(
          deps.db,
          c.get('store').id,
          c.req.valid('param').orderId,
          c.req.valid('query').revision,
        ),
        200,
      ),
    )
    .openapi(invoicePdf, async (c) => {
      const { orderId } = c.req.valid('param');
      const { lang, revision } = c.req.valid('query');
      const order = await getOrderView(deps.db, c.get('store').id, orderId);
      const language = pickLanguage(lang ?? (await findAccountLanguage(deps, c.get('store').id, order.accountId)));
      const orderUrl = `${portalUrl(c.get('store'), deps.config.publicBaseUrl)}#/orders/${orderId}`;
      return pdfBody(
        await merchantInvoicePdf(deps.db, c.get('store').id, orderId, { revision, language, orderUrl }),
      ) as never;
    })
    .openapi(invoiceXml, async (c) => {
      const { orderId } = c.req.valid('param');
      return xmlBody(
        await merchantInvoiceXml(deps.db, c.get('store').id, orderId, c.req.valid('query').revision),
      ) as never;
    });

async function findAccountLanguage(deps: Deps, storeId: string, accountId: string): Promise<string | null> {
  return (await getAccount(deps.db, storeId, accountId)).language;
}
