import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { idParam, jsonBody, jsonResponse } from '../../schemas/common';
import { eInvoiceErrors, pdfQuery } from '../../schemas/invoices';
import { creditNoteFileParam, fileOf, refundCreateInput, refundSchema, type RefundView } from '../../schemas/refunds';
import { pickLanguage } from '../../i18n';
import { getAccount } from '../../services/accounts';
import { listRefunds, refundOrder } from '../../services/billing';
import { getOrderView, merchantCreditNotePdf, merchantCreditNoteXml } from '../../services/orders';
import { portalUrl } from '../../services/sign-in';
import { pdfBody, pdfOrXmlResponse, xmlBody } from '../file-response';
import { apiRoute, apiRouter } from './router';

const tags = ['Refunds'];
const orderParam = idParam('orderId', 'ord');

const create = apiRoute({
  operationId: 'createRefund',
  method: 'post',
  path: '/{orderId}/refunds',
  tags,
  summary: 'Refund an order, fully or partly',
  description:
    'Without `amount` and `items` everything not yet refunded is refunded. Never more than was paid and not ' +
    'yet refunded. Orders the portal charged (renewals, upgrades) are refunded through the payment gateway; orders ' +
    'paid in your own checkout are recorded as `external` refunds that you pay back. Each refund gets a credit note. ' +
    'With an `Idempotency-Key`, asking again returns the same refund (finishing it if the gateway was unreachable).',
  request: { params: orderParam, body: jsonBody(refundCreateInput) },
  responses: { 201: jsonResponse(refundSchema, 'The refund, succeeded, with its credit note.') },
  errors: ['not_found', 'nothing_to_refund', 'refund_exceeds_paid', 'refund_failed', 'gateway_unavailable'],
  errorNotes: {
    refund_exceeds_paid: '`details.refundable` is what is left (minor units, tax included).',
    refund_failed: "`details.refundId` names the failed refund, `details.gatewayCode` the processor's reason.",
    gateway_unavailable:
      'Nothing was refunded twice: retry with the same `Idempotency-Key` (after `Retry-After`) to finish the refund.',
  },
});

const list = apiRoute({
  operationId: 'listRefunds',
  method: 'get',
  path: '/{orderId}/refunds',
  tags,
  summary: 'The refunds of an order, newest first',
  request: { params: orderParam },
  responses: { 200: jsonResponse(z.object({ data: z.array(refundSchema) }), 'The refunds.') },
  errors: ['not_found'],
});

const file = apiRoute({
  operationId: 'getCreditNote',
  method: 'get',
  path: '/{orderId}/credit-notes/{file}',
  tags,
  summary: 'A credit note of the order as a PDF (`{id}.pdf?lang=`) or an EN 16931 e-invoice (`{id}.xml`)',
  description:
    "The PDF in the language asked for (default: the account's), in the layout of the invoice it corrects; " +
    'the XML a UBL 2.1 `CreditNote` (type 381) naming the invoice it corrects, for accounting software.',
  request: { params: orderParam.merge(creditNoteFileParam), query: z.object(pdfQuery) },
  responses: { 200: pdfOrXmlResponse('The credit note as a PDF or as UBL 2.1 XML.') },
  errors: ['not_found', ...eInvoiceErrors.errors],
  errorNotes: eInvoiceErrors.errorNotes,
});

/** Refunds and credit notes of orders, for the merchant. */
export const refundRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, async (c) => {
      const storeId = c.get('store').id;
      const { orderId } = c.req.valid('param');
      const input = c.req.valid('json');
      const key = c.req.header('idempotency-key');
      // The Server API's idempotency middleware replays the stored response and stores this one once it
      // succeeded. The gateway call cannot run inside a transaction, so the refund itself is keyed by the same
      // Idempotency-Key too: a retry after a 503 (not remembered by the middleware) finishes the same refund.
      const refund: RefundView = await refundOrder(deps, storeId, orderId, input, key);
      return c.json(refund, 201);
    })
    .openapi(list, async (c) =>
      c.json(await listRefunds(deps.db, c.get('store').id, c.req.valid('param').orderId), 200),
    )
    .openapi(file, async (c) => {
      const { orderId } = c.req.valid('param');
      const { id, xml } = fileOf(c.req.valid('param').file);
      const store = c.get('store');
      if (xml) return xmlBody(await merchantCreditNoteXml(deps.db, store.id, orderId, id)) as never;
      const order = await getOrderView(deps.db, store.id, orderId);
      const language = pickLanguage(
        c.req.valid('query').lang ?? (await getAccount(deps.db, store.id, order.accountId)).language,
      );
      const orderUrl = `${portalUrl(store, deps.config.publicBaseUrl)}#/orders/${orderId}`;
      return pdfBody(await merchantCreditNotePdf(deps.db, store.id, orderId, id, { language, orderUrl })) as never;
    });
