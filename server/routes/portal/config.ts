import { createRoute } from '@hono/zod-openapi';
import { jsonResponse } from '../../schemas/common';
import { portalConfigSchema } from '../../schemas/portal';
import { getPortalConfig } from '../../services/stores';
import { portalErrors, portalRouter, storeParam } from './router';

/** How long browsers and caches may keep the config; a theme change shows within a minute. */
const CONFIG_MAX_AGE_SECONDS = 60;

const config = createRoute({
  method: 'get', path: '/{storeId}/config', tags: ['Store'],
  summary: 'The store\'s name, logo, support contact, features and theme (public)',
  description: `No session needed. Cacheable for ${CONFIG_MAX_AGE_SECONDS} seconds.`,
  request: { params: storeParam },
  responses: { 200: jsonResponse(portalConfigSchema, 'The portal\'s configuration.'), 404: portalErrors[404] },
});

/** The public portal configuration; the only Portal API response that may be cached. */
export const configRoutes = () => portalRouter()
  .openapi(config, (c) => {
    c.header('Cache-Control', `public, max-age=${CONFIG_MAX_AGE_SECONDS}`);
    return c.json(getPortalConfig(c.var.store), 200);
  });
