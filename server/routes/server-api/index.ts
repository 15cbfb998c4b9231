import type { Deps } from '../../deps';
import { apiAuth } from '../../middleware/api-auth';
import { clientIp } from '../../middleware/portal';
import { BODY_METHODS, limitBody } from '../../middleware/request-limits';
import { accountRoutes } from './accounts';
import { activityRoutes } from './activity';
import { cancellationReasonRoutes } from './cancellation-reasons';
import { checkoutRoutes } from './checkouts';
import { orderRoutes } from './orders';
import { paymentMethodRoutes } from './payment-methods';
import { productRoutes } from './products';
import { refundRoutes } from './refunds';
import { signInRoutes } from './sign-in';
import { storeRoutes } from './store';
import { subscriptionRoutes } from './subscriptions';
import { idempotency } from './idempotency';
import { apiRouter } from './router';
import { defaultHeaders, NO_STORE } from '../../middleware/response-headers';
import { webhookEndpointRoutes } from './webhook-endpoints';
import { authenticateApiCaller } from '../../services/sign-in';

/** The largest request body the Server API accepts. */
export const API_BODY_LIMIT = 1024 * 1024;

/** Where the Server API's OpenAPI document is served (the Server API is mounted at `/api`). */
const SERVER_API_DOCUMENT = '/api/openapi.json';

/** The Server API: the merchant's backend, authenticated with the store's credentials. */
export function serverApi(deps: Deps) {
  const api = apiRouter();
  api.openAPIRegistry.registerComponent('securitySchemes', 'basicAuth', {
    type: 'http',
    scheme: 'basic',
    description: "The store's Server API user name and password.",
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Account Portal Server API',
      version: '1.0.0',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      description:
        "For the merchant's backend. Authenticate with HTTP Basic using the store's API credentials. " +
        'Every POST takes an `Idempotency-Key` header (1–255 characters): the same key and body within 24 h replay ' +
        'the first successful response (`Idempotent-Replayed: true`); the same key with another body is a 422 ' +
        '`idempotency_key_reused`, and while the first request runs a 409 `idempotency_key_in_use`.',
    },
    servers: [{ url: `${deps.config.publicBaseUrl}/api` }],
  });
  // Only reading the document itself is public; every other path, whatever it ends with, needs credentials.
  const isDocument = (method: string, path: string) =>
    (method === 'GET' || method === 'HEAD') && path === SERVER_API_DOCUMENT;
  const authenticate = apiAuth(
    (caller) => authenticateApiCaller(deps.db, caller, deps.clock.now(), deps.metrics),
    (c) => clientIp(c, deps.config.trustProxy ?? false),
  );
  // Credentials first (a refusal answers at once), then `no-store` on every answer after them, errors included.
  api.use('*', async (c, next) => {
    await (isDocument(c.req.method, c.req.path) ? next() : authenticate(c, next));
    defaultHeaders(c, NO_STORE);
  });
  // After authentication, so that nobody without credentials makes the server read a body at all.
  api.on(BODY_METHODS, '*', limitBody(API_BODY_LIMIT));
  // Its own middleware, after authentication and the headers above (replays get them too):
  // every POST honours Idempotency-Key (see idempotency.ts).
  api.on('POST', '*', idempotency(deps));
  return api
    .route('/accounts', accountRoutes(deps))
    .route('/webhook-endpoints', webhookEndpointRoutes(deps))
    .route('/accounts', paymentMethodRoutes(deps))
    .route('/accounts', signInRoutes(deps))
    .route('/accounts', activityRoutes(deps))
    .route('/orders', orderRoutes(deps))
    .route('/orders', refundRoutes(deps))
    .route('/subscriptions', subscriptionRoutes(deps))
    .route('/cancellation-reasons', cancellationReasonRoutes())
    .route('/products', productRoutes(deps))
    .route('/checkouts', checkoutRoutes(deps))
    .route('/store', storeRoutes(deps));
}
