import type { Deps } from '../../deps';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { sellerInput, sellerSchema } from '../../schemas/invoices';
import { setSellerDetails, toSellerView } from '../../services/stores';
import { apiRoute, apiRouter } from './router';

const tags = ['Store'];

const getSeller = apiRoute({
  operationId: 'getSellerDetails',
  method: 'get',
  path: '/seller',
  tags,
  summary: "The store's legal seller details, printed on its invoices",
  description:
    '`missing` lists the required fields not yet set; until it is empty, invoice routes answer ' +
    '`409 seller_details_missing`.',
  responses: { 200: jsonResponse(sellerSchema, 'The seller details.') },
});

const putSeller = apiRoute({
  operationId: 'setSellerDetails',
  method: 'put',
  path: '/seller',
  tags,
  summary: "Set the store's legal seller details as a whole",
  description:
    'Required for invoices: `legalName`, `addressLine1`, `city`, `country`, `email`. Optional: ' +
    '`addressLine2`, `postalCode`, `state`, `vatId`, `registrationNumber`, `footer` (bank details, a thank-you; ' +
    'up to 1000 characters). Invoices already issued keep the details they were issued with.',
  request: { body: jsonBody(sellerInput) },
  responses: { 200: jsonResponse(sellerSchema, 'The stored seller details.') },
});

/** The store's own settings that the merchant's backend manages. */
export const storeRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(getSeller, (c) => c.json(toSellerView(c.var.store), 200))
    .openapi(putSeller, (c) =>
      c.json(setSellerDetails(deps.db, deps.clock, c.var.store.id, c.req.valid('json'), 'replace'), 200),
    );
