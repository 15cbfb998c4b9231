import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { cursorQuery, idParam, jsonResponse, page } from '../../schemas/common';
import { downloadLinkSchema, portalOrderSchema } from '../../schemas/portal-orders';
import { pickLanguage } from '../../i18n';
import { eInvoiceErrors, pdfQuery } from '../../schemas/invoices';
import { creditNoteFileParam, fileOf } from '../../schemas/refunds';
import {
  createDownloadLink,
  customerCreditNotePdf,
  customerCreditNoteXml,
  getPortalOrder,
  listPortalOrders,
} from '../../services/orders';
import { portalUrl } from '../../services/sign-in';
import { pdfBody, pdfOrXmlResponse, xmlBody } from '../file-response';
import { invoiceRoutes } from './invoices';
import { portalRoute, portalRouter, storeParam, requireCustomer } from './router';

const tags = ['Orders'];

const list = portalRoute({
  operationId: 'listOrders',
  permission: 'orders:read',
  method: 'get',
  path: '/{storeId}/orders',
  tags,
  summary: "The customer's orders and the gifts they received, newest first",
  request: { params: storeParam, query: z.object(cursorQuery) },
  responses: { 200: jsonResponse(page(portalOrderSchema), 'A page of orders.') },
});

const get = portalRoute({
  operationId: 'getOrder',
  permission: 'orders:read',
  method: 'get',
  path: '/{storeId}/orders/{orderId}',
  tags,
  summary: "One of the customer's orders (or a gift they sent or received)",
  request: { params: storeParam.merge(idParam('orderId', 'ord')) },
  responses: { 200: jsonResponse(portalOrderSchema, 'The order as this customer may see it.') },
});

const downloadLink = portalRoute({
  operationId: 'createDownloadLink',
  permission: 'orders:read',
  method: 'post',
  path: '/{storeId}/downloads/{fulfilmentId}/link',
  tags,
  summary: "A link to one of the customer's downloads, valid for 5 minutes",
  description:
    'Only the owner of the download gets one: the purchaser of an ordinary order or the recipient ' +
    'of a gift, never the purchaser of a gift (404). A download the store revoked, or of a refunded order, ' +
    "is a 410 `download_revoked`. `GET` on the link redirects to the file's signed URL or streams the file.",
  request: { params: storeParam.merge(idParam('fulfilmentId', 'ful')) },
  responses: { 201: jsonResponse(downloadLinkSchema, 'A new link.') },
  errors: ['download_revoked'],
});

const creditNote = portalRoute({
  operationId: 'getCreditNote',
  permission: 'orders:read',
  method: 'get',
  path: '/{storeId}/orders/{orderId}/credit-notes/{file}',
  tags,
  summary: "A credit note of one of the customer's orders as a PDF or an e-invoice (purchaser only)",
  description:
    "`{id}.pdf` in the language asked for (default: the account's); `{id}.xml` the EN 16931 credit note in " +
    "UBL 2.1. A gift's recipient, another account's order or another order's credit note is a 404.",
  request: {
    params: storeParam.merge(idParam('orderId', 'ord')).merge(creditNoteFileParam),
    query: z.object(pdfQuery),
  },
  responses: { 200: pdfOrXmlResponse('The credit note as a PDF or as UBL 2.1 XML.') },
  errors: ['not_found', ...eInvoiceErrors.errors],
  errorNotes: eInvoiceErrors.errorNotes,
});

/** The signed-in customer's orders, received gifts, download links and credit notes. */
export const orderRoutes = (deps: Deps) => {
  const router = portalRouter();
  router.use('/:storeId/orders', requireCustomer(deps));
  router.use('/:storeId/orders/*', requireCustomer(deps));
  router.use('/:storeId/downloads/*', requireCustomer(deps));
  return router
    .openapi(list, async (c) =>
      c.json(await listPortalOrders(deps.db, c.get('store').id, c.get('account').id, c.req.valid('query')), 200),
    )
    .openapi(get, async (c) =>
      c.json(await getPortalOrder(deps.db, c.get('store').id, c.get('account').id, c.req.valid('param').orderId), 200),
    )
    .openapi(downloadLink, async (c) =>
      c.json(
        await createDownloadLink(deps, c.get('store').id, c.get('account').id, c.req.valid('param').fulfilmentId),
        201,
      ),
    )
    .openapi(creditNote, async (c) => {
      const { orderId } = c.req.valid('param');
      const { id, xml } = fileOf(c.req.valid('param').file);
      const store = c.get('store');
      const account = c.get('account');
      if (xml) return xmlBody(await customerCreditNoteXml(deps.db, store.id, account.id, orderId, id)) as never;
      const language = pickLanguage(c.req.valid('query').lang ?? account.language);
      const orderUrl = `${portalUrl(store, deps.config.publicBaseUrl)}#/orders/${orderId}`;
      return pdfBody(
        await customerCreditNotePdf(deps.db, store.id, account.id, orderId, id, { language, orderUrl }),
      ) as never;
    })
    .route('/', invoiceRoutes(deps));
};
