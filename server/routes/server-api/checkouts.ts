import type { Deps } from '../../deps';
import { checkoutParam, checkoutSchema, themeSchema } from '../../schemas/checkouts';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { clearCheckoutTheme, getCheckout, setCheckoutTheme } from '../../services/stores';
import { apiRoute, apiRouter } from './router';

const tags = ['Checkouts'];

const get = apiRoute({
  operationId: 'getCheckout',
  method: 'get',
  path: '/{checkout}',
  tags,
  summary: 'The theme of a checkout (`default` or `portal`)',
  description:
    "The portal uses its own checkout's theme, else the default checkout's, else built-in defaults; " +
    '`source` says which applies.',
  request: { params: checkoutParam },
  responses: { 200: jsonResponse(checkoutSchema, 'The checkout.') },
});

const put = apiRoute({
  operationId: 'setCheckoutTheme',
  method: 'put',
  path: '/{checkout}',
  tags,
  summary: 'Set the full theme of a checkout (`default` or `portal`)',
  description:
    "Replaces the checkout's theme as a whole. Emails use it at once; the portal within a minute " +
    '(its config is cached briefly).',
  request: { params: checkoutParam, body: jsonBody(themeSchema) },
  responses: { 200: jsonResponse(checkoutSchema, 'The checkout with the stored theme.') },
});

const remove = apiRoute({
  operationId: 'removeCheckoutTheme',
  method: 'delete',
  path: '/{checkout}',
  tags,
  summary: "Remove a checkout's own theme (`default` or `portal`)",
  description:
    "The portal falls back to the default checkout's theme, the default checkout to the built-in one. " +
    'Answers with what applies now; removing a theme that is not stored changes nothing.',
  request: { params: checkoutParam },
  responses: { 200: jsonResponse(checkoutSchema, 'The checkout with the theme that now applies.') },
});

/** The themes of a store's checkouts, which the portal and its emails mirror. */
export const checkoutRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(get, (c) => c.json(getCheckout(c.get('store'), c.req.valid('param').checkout), 200))
    .openapi(put, async (c) => {
      const { checkout } = c.req.valid('param');
      return c.json(await setCheckoutTheme(deps.db, deps.clock, c.get('store').id, checkout, c.req.valid('json')), 200);
    })
    .openapi(remove, async (c) =>
      c.json(await clearCheckoutTheme(deps.db, deps.clock, c.get('store').id, c.req.valid('param').checkout), 200),
    );
