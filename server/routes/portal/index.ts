import type { Deps } from '../../deps';
import { portalCors, portalStore } from '../../middleware/portal';
import { limitBody } from '../../middleware/request-limits';
import { accountExportRoutes } from './account-export';
import { activityRoutes } from './activity';
import { configRoutes } from './config';
import { meRoutes } from './me';
import { orderRoutes } from './orders';
import { paymentActionRoutes } from './payment-actions';
import { passwordResetRoutes } from './password-resets';
import { paymentMethodRoutes } from './payment-methods';
import { renewalRoutes } from './renewals';
import { portalRouter } from './router';
import { sessionRoutes } from './sessions';
import { subscriptionRoutes } from './subscriptions';
import { findStore } from '../../services/stores';

/**
 * The largest request body the Portal API accepts. The largest real one, the account
 * form (`PATCH /me`) with every field at its maximum length, is 3.3 kB in three-byte
 * characters and 6.5 kB with every character escaped; 16 KiB leaves room for more
 * without letting anyone make the server hold much.
 */
export const PORTAL_BODY_LIMIT = 16 * 1024;

/** The Portal API: the customer's browser, with bearer sessions and per-store CORS. */
export function portalApi(deps: Deps) {
  const api = portalRouter();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The session token from POST /portal/{storeId}/sessions.',
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Account Portal — Portal API',
      version: '1.0.0',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      description: "For the customer's browser (the widget).",
    },
    servers: [{ url: `${deps.config.publicBaseUrl}/portal` }],
  });
  api.use(
    '/:storeId/*',
    portalStore((storeId) => findStore(deps.db, storeId)),
  );
  api.use(
    '/:storeId/*',
    portalCors(() => deps.config.publicBaseUrl),
  );
  // After CORS, so that the widget can read a 413 too.
  api.use('/:storeId/*', limitBody(PORTAL_BODY_LIMIT));
  return api
    .route('/', sessionRoutes(deps))
    .route('/', passwordResetRoutes(deps))
    .route('/', meRoutes(deps))
    .route('/', accountExportRoutes(deps))
    .route('/', activityRoutes(deps))
    .route('/', orderRoutes(deps))
    .route('/', subscriptionRoutes(deps))
    .route('/', renewalRoutes(deps))
    .route('/', paymentActionRoutes(deps))
    .route('/', paymentMethodRoutes(deps))
    .route('/', configRoutes());
}
