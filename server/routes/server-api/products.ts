import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { productCreateInput, productSchema, productUpdateInput } from '../../schemas/catalog';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { createProduct, getProduct, listProducts, toProductView, updateProduct } from '../../services/stores';
import { apiRoute, apiRouter } from './router';

const tags = ['Products'];
const params = z.object({
  productId: z
    .string()
    .max(100)
    .openapi({ param: { name: 'productId', in: 'path' }, description: 'Product id or key.' }),
});

const create = apiRoute({
  operationId: 'createProduct',
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a product or subscription plan',
  request: { body: jsonBody(productCreateInput) },
  responses: { 201: jsonResponse(productSchema, 'The new product.') },
  errors: ['product_exists'],
});

const list = apiRoute({
  operationId: 'listProducts',
  method: 'get',
  path: '/',
  tags,
  summary: 'List the catalog, by family and sort order',
  request: { query: z.object({ family: z.string().max(100).optional() }) },
  responses: { 200: jsonResponse(z.object({ data: z.array(productSchema) }), 'The products.') },
});

const get = apiRoute({
  operationId: 'getProduct',
  method: 'get',
  path: '/{productId}',
  tags,
  summary: 'Get a product by id or key',
  request: { params },
  responses: { 200: jsonResponse(productSchema, 'The product.') },
});

const update = apiRoute({
  operationId: 'updateProduct',
  method: 'patch',
  path: '/{productId}',
  tags,
  summary: 'Update a product (prices, family, sort order, visibility, allowed switches)',
  description: 'Changing prices does not change the price existing subscriptions renew at.',
  request: { params, body: jsonBody(productUpdateInput) },
  responses: { 200: jsonResponse(productSchema, 'The updated product.') },
});

export const productRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, async (c) =>
      c.json(toProductView(await createProduct(deps, c.get('store').id, c.req.valid('json'))), 201),
    )
    .openapi(list, async (c) =>
      c.json({ data: (await listProducts(deps.db, c.get('store').id, c.req.valid('query'))).map(toProductView) }, 200),
    )
    .openapi(get, async (c) =>
      c.json(toProductView(await getProduct(deps.db, c.get('store').id, c.req.valid('param').productId)), 200),
    )
    .openapi(update, async (c) => {
      const product = await updateProduct(deps, c.get('store').id, c.req.valid('param').productId, c.req.valid('json'));
      return c.json(toProductView(product), 200);
    });
