import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { checkoutParam, checkoutSchema, themeSchema } from '../../schemas/checkouts';
import { errorResponses, jsonBody, jsonResponse } from '../../schemas/common';
import { getCheckout, setCheckoutTheme } from '../../services/checkouts';
import { apiRouter, basicAuth } from './router';

const tags = ['Checkouts'];

const get = createRoute({
  method: 'get', path: '/{checkout}', tags, security: basicAuth,
  summary: 'The theme of a checkout (`default` or `portal`)',
  description: 'The portal uses its own checkout\'s theme, else the default checkout\'s, else built-in defaults; '
    + '`source` says which applies.',
  request: { params: checkoutParam },
  responses: { 200: jsonResponse(checkoutSchema, 'The checkout.'), ...errorResponses },
});

const put = createRoute({
  method: 'put', path: '/{checkout}', tags, security: basicAuth,
  summary: 'Set the full theme of a checkout (`default` or `portal`)',
  description: 'Replaces the checkout\'s theme as a whole. Emails use it at once; the portal within a minute '
    + '(its config is cached briefly).',
  request: { params: checkoutParam, body: jsonBody(themeSchema) },
  responses: { 200: jsonResponse(checkoutSchema, 'The checkout with the stored theme.'), ...errorResponses },
});

/** The themes of a store's checkouts, which the portal and its emails mirror. */
export const checkoutRoutes = (deps: Deps) => apiRouter()
  .openapi(get, (c) => c.json(getCheckout(c.var.store, c.req.valid('param').checkout), 200))
  .openapi(put, (c) => {
    const { checkout } = c.req.valid('param');
    return c.json(setCheckoutTheme(deps.db, deps.clock, c.var.store.id, checkout, c.req.valid('json')), 200);
  });
