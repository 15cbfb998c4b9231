import type { Deps } from '../../deps';
import { portalCors, portalStore } from '../../middleware/portal';
import { configRoutes } from './config';
import { meRoutes } from './me';
import { orderRoutes } from './orders';
import { paymentMethodRoutes } from './payment-methods';
import { renewalRoutes } from './renewals';
import { portalRouter } from './router';
import { sessionRoutes } from './sessions';
import { subscriptionRoutes } from './subscriptions';
import { findStore } from '../../services/stores';

/** The Portal API: the customer's browser, with bearer sessions and per-store CORS. */
export function portalApi(deps: Deps) {
  const api = portalRouter();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http', scheme: 'bearer', description: 'The session token from POST /portal/{storeId}/sessions.',
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Account Portal — Portal API', version: '1.0.0', description: 'For the customer\'s browser (the widget).' },
    servers: [{ url: `${deps.config.publicBaseUrl}/portal` }],
  });
  api.use('/:storeId/*', portalStore((storeId) => findStore(deps.db, storeId)));
  api.use('/:storeId/*', async (c, next) => portalCors(deps.config.publicBaseUrl)(c, next));
  return api
    .route('/', sessionRoutes(deps))
    .route('/', meRoutes(deps))
    .route('/', orderRoutes(deps))
    .route('/', subscriptionRoutes(deps))
    .route('/', renewalRoutes(deps))
    .route('/', paymentMethodRoutes(deps))
    .route('/', configRoutes());
}
