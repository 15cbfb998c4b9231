import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../../middleware/api-auth';
import { validationHook } from '../../middleware/errors';
import type { IdempotencyClaim } from '../../services/idempotency';

/** What Server API handlers find on the context. */
export type ServerApiEnv = {
  Variables: ApiEnv['Variables'] & {
    /**
     * The `Idempotency-Key` a POST holds (see idempotency.ts), for a route that stores its
     * response in the transaction that made its changes; otherwise the middleware stores it.
     */
    idempotency?: IdempotencyClaim;
  };
};

/** A Server API sub-router: validation failures answer 422 in the house error shape. */
export const apiRouter = () => new OpenAPIHono<ServerApiEnv>({ defaultHook: validationHook });

/** The Basic-auth security requirement every Server API route documents. */
export const basicAuth = [{ basicAuth: [] }];
