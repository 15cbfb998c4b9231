import { contentEtag, matchesIfNoneMatch } from '../../lib/etag';
import { jsonResponse } from '../../schemas/common';
import { portalConfigSchema } from '../../schemas/portal';
import { getPortalConfig } from '../../services/stores';
import { portalRoute, portalRouter, storeParam } from './router';

/**
 * Browsers and caches may keep the config but must ask each time (`no-cache`): the
 * answer is a 304 while it is unchanged, and a theme change shows at the next page load.
 */
const CONFIG_CACHE_CONTROL = 'no-cache';

const config = portalRoute({
  operationId: 'getConfig',
  method: 'get',
  path: '/{storeId}/config',
  public: true,
  tags: ['Store'],
  summary: "The store's name, logo, support contact, features and theme (public)",
  description:
    'No session needed. `Cache-Control: no-cache` with an `ETag`: send it back in `If-None-Match` ' +
    'for a 304 while nothing changed.',
  request: { params: storeParam },
  responses: {
    200: jsonResponse(portalConfigSchema, "The portal's configuration."),
    304: { description: 'Unchanged since the `ETag` sent in `If-None-Match`.' },
  },
});

/** The public portal configuration; the only Portal API response that may be stored (and only revalidated). */
export const configRoutes = () =>
  portalRouter().openapi(config, (c) => {
    const body = JSON.stringify(getPortalConfig(c.get('store')));
    const etag = contentEtag(body);
    c.header('Cache-Control', CONFIG_CACHE_CONTROL);
    c.header('ETag', etag);
    if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    c.header('Content-Type', 'application/json');
    return c.body(body, 200);
  });
