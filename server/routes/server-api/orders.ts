import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import {
  apiErrorsWith,
  cursorQuery,
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  page,
} from '../../schemas/common';
import { orderCreateInput, orderSchema } from '../../schemas/orders';
import { completeIdempotencyKey } from '../../services/idempotency';
import { pickLanguage } from '../../i18n';
import { invoiceSchema, pdfQuery, revisionQuery, sellerMissing } from '../../schemas/invoices';
import { getAccount } from '../../services/accounts';
import {
  getMerchantInvoice,
  getOrderView,
  listOrderViews,
  merchantInvoicePdf,
  revokeFulfilment,
} from '../../services/orders';
import { portalUrl } from '../../services/sign-in';
import { pdfBody, pdfResponse } from '../pdf-response';
import { apiRouter, basicAuth } from './router';
import { recordOrder } from '../../services/order-intake';

const tags = ['Orders'];

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  security: basicAuth,
  summary: 'Record a completed order',
  description:
    "Creates the customer's account when the email is new (an existing account is not changed by the " +
    "order's contact data). Send an `Idempotency-Key` header to make retries safe: the same key and body " +
    'within 24 h replay the first response; the same key with another body is a 422.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().max(255).optional() }),
    body: jsonBody(orderCreateInput),
  },
  responses: {
    201: jsonResponse(orderSchema, 'The recorded order.'),
    ...apiErrorsWith(['order_exists', 'invalid_idempotency_key', 'idempotency_key_reused'], {
      order_exists: '`details.orderId` names the existing order.',
    }),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  security: basicAuth,
  summary: 'List orders (of one account), newest first',
  request: { query: z.object({ accountId: z.string().max(64).optional(), ...cursorQuery }) },
  responses: { 200: jsonResponse(page(orderSchema), 'A page of orders.'), ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/{orderId}',
  tags,
  security: basicAuth,
  summary: 'Get an order',
  request: { params: idParam('orderId', 'ord') },
  responses: { 200: jsonResponse(orderSchema, 'The order, with its account id.'), ...errorResponses },
});

const invoice = createRoute({
  method: 'get',
  path: '/{orderId}/invoice',
  tags,
  security: basicAuth,
  summary: 'The invoice of an order: number, revision, issue date and billing details',
  description: 'The latest revision, or `?revision=N`. 404 for an order without an invoice (nothing to pay).',
  request: { params: idParam('orderId', 'ord'), query: z.object(revisionQuery) },
  responses: { 200: jsonResponse(invoiceSchema, 'The invoice revision.'), ...sellerMissing, ...errorResponses },
});

const invoicePdf = createRoute({
  method: 'get',
  path: '/{orderId}/invoice.pdf',
  tags,
  security: basicAuth,
  summary: 'The invoice of an order as a PDF (`?lang=`, `?revision=`)',
  description: "In the language asked for (default: the account's), the latest revision or `?revision=N`.",
  request: { params: idParam('orderId', 'ord'), query: z.object({ ...pdfQuery, ...revisionQuery }) },
  responses: { 200: pdfResponse('The invoice as a PDF.'), ...sellerMissing, ...errorResponses },
});

const revoke = createRoute({
  method: 'post',
  path: '/{orderId}/fulfilments/{fulfilmentId}/revoke',
  tags,
  security: basicAuth,
  summary: 'Revoke a fulfilment (after a refund or chargeback)',
  description:
    'A revoked download gives no more links and links already handed out stop working (410 ' +
    '`download_revoked`); the portal shows the fulfilment as revoked. Revoking again changes nothing. ' +
    'Every fulfilment of an order whose status is `refunded` counts as revoked.',
  request: { params: idParam('orderId', 'ord').merge(idParam('fulfilmentId', 'ful')) },
  responses: {
    200: jsonResponse(orderSchema, 'The order, with `revokedAt` set on the fulfilment.'),
    ...errorResponses,
  },
});

export const orderRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, (c) => {
      const storeId = c.var.store.id;
      const input = c.req.valid('json');
      const order = deps.db.transaction((tx) => {
        const view = getOrderView(tx, storeId, recordOrder(deps, storeId, input));
        // Stored with the order itself: a crash cannot keep the order and lose its replay.
        completeIdempotencyKey(tx, c.var.idempotency, { status: 201, body: JSON.stringify(view) });
        return view;
      });
      return c.json(order, 201);
    })
    .openapi(list, (c) => c.json(listOrderViews(deps.db, c.var.store.id, c.req.valid('query')), 200))
    .openapi(get, (c) => c.json(getOrderView(deps.db, c.var.store.id, c.req.valid('param').orderId), 200))
    .openapi(invoice, (c) =>
      c.json(
        getMerchantInvoice(deps.db, c.var.store.id, c.req.valid('param').orderId, c.req.valid('query').revision),
        200,
      ),
    )
    .openapi(invoicePdf, async (c) => {
      const { orderId } = c.req.valid('param');
      const { lang, revision } = c.req.valid('query');
      const order = getOrderView(deps.db, c.var.store.id, orderId);
      const language = pickLanguage(lang ?? findAccountLanguage(deps, c.var.store.id, order.accountId));
      const orderUrl = `${portalUrl(c.var.store, deps.config.publicBaseUrl)}#/orders/${orderId}`;
      return pdfBody(
        await merchantInvoicePdf(deps.db, c.var.store.id, orderId, { revision, language, orderUrl }),
      ) as never;
    })
    .openapi(revoke, (c) => {
      const { orderId, fulfilmentId } = c.req.valid('param');
      return c.json(revokeFulfilment(deps, c.var.store.id, orderId, fulfilmentId), 200);
    });

function findAccountLanguage(deps: Deps, storeId: string, accountId: string): string | null {
  return getAccount(deps.db, storeId, accountId).language;
}
