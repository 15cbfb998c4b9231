import type { Deps } from '../../deps';
import { idParam, jsonBody, jsonResponse, ofAccountQuery, page } from '../../schemas/common';
import { orderCreateInput, orderSchema } from '../../schemas/orders';
import { completeIdempotencyKey } from '../../services/idempotency';
import { getOrderView, listOrderViews, revokeFulfilment } from '../../services/orders';
import { orderInvoiceRoutes } from './invoices';
import { apiRoute, apiRouter } from './router';
import { recordOrderThen } from '../../services/order-intake';

const tags = ['Orders'];

const create = apiRoute({
  operationId: 'createOrder',
  method: 'post',
  path: '/',
  tags,
  summary: 'Record a completed order',
  description:
    "Creates the customer's account when the email is new (an existing account is not changed by the " +
    "order's contact data). Send an `Idempotency-Key` header to make retries safe: the same key and body " +
    'within 24 h replay the first response; the same key with another body is a 422.',
  request: { body: jsonBody(orderCreateInput) },
  responses: { 201: jsonResponse(orderSchema, 'The recorded order.') },
  errors: ['not_found', 'order_exists', 'account_deleted'],
  errorNotes: {
    not_found: '`accountId` is not an account of this store.',
    order_exists: '`details.orderId` names the existing order.',
    account_deleted: "`accountId` (or the purchaser's or recipient's email) names a deleted account.",
  },
});

const list = apiRoute({
  operationId: 'listOrders',
  method: 'get',
  path: '/',
  tags,
  summary: 'List orders (of one account), newest first',
  request: { query: ofAccountQuery },
  responses: { 200: jsonResponse(page(orderSchema), 'A page of orders.') },
});

const get = apiRoute({
  operationId: 'getOrder',
  method: 'get',
  path: '/{orderId}',
  tags,
  summary: 'Get an order',
  request: { params: idParam('orderId', 'ord') },
  responses: { 200: jsonResponse(orderSchema, 'The order, with its account id.') },
});

const revoke = apiRoute({
  operationId: 'revokeFulfilment',
  method: 'post',
  path: '/{orderId}/fulfilments/{fulfilmentId}/revoke',
  tags,
  summary: 'Revoke a fulfilment (after a refund or chargeback)',
  description:
    'A revoked download gives no more links and links already handed out stop working (410 ' +
    '`download_revoked`); the portal shows the fulfilment as revoked. Revoking again changes nothing. ' +
    'Every fulfilment of an order whose status is `refunded` counts as revoked.',
  request: { params: idParam('orderId', 'ord').merge(idParam('fulfilmentId', 'ful')) },
  responses: { 200: jsonResponse(orderSchema, 'The order, with `revokedAt` set on the fulfilment.') },
});

export const orderRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, async (c) => {
      const storeId = c.get('store').id;
      const input = c.req.valid('json');
      const order = await recordOrderThen(deps, storeId, input, async (tx, view) => {
        // Stored with the order itself: a crash cannot keep the order and lose its replay.
        await completeIdempotencyKey(tx, c.get('idempotency'), { status: 201, body: JSON.stringify(view) });
        return view;
      });
      return c.json(order, 201);
    })
    .openapi(list, async (c) => c.json(await listOrderViews(deps.db, c.get('store').id, c.req.valid('query')), 200))
    .openapi(get, async (c) =>
      c.json(await getOrderView(deps.db, c.get('store').id, c.req.valid('param').orderId), 200),
    )
    .openapi(revoke, async (c) => {
      const { orderId, fulfilmentId } = c.req.valid('param');
      return c.json(await revokeFulfilment(deps, c.get('store').id, orderId, fulfilmentId), 200);
    })
    .route('/', orderInvoiceRoutes(deps));
