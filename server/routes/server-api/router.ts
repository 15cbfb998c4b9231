import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ErrorCode } from '../../contract';
import type { ApiEnv } from '../../middleware/api-auth';
import { validationHook } from '../../middleware/errors';
import { IDEMPOTENCY_KEY_MAX, type IdempotencyClaim } from '../../services/idempotency';
import { defineOperation, type OperationConfig } from '../operations';

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

/** The Basic-auth security requirement of every Server API route. */
const basicAuth = [{ basicAuth: [] }];

/** The errors of authentication, which every Server API route may answer with. */
const authErrors = [
  'unauthorized',
  'too_many_auth_failures_from_address',
  'too_many_auth_failures_for_user',
] as const satisfies readonly ErrorCode[];

/** The errors of `Idempotency-Key` (idempotency.ts), which every POST may answer with. */
const idempotencyErrors = [
  'invalid_idempotency_key',
  'idempotency_key_reused',
  'idempotency_key_in_use',
] as const satisfies readonly ErrorCode[];

const idempotencyKey = z
  .string()
  .min(1)
  .max(IDEMPOTENCY_KEY_MAX)
  .optional()
  .openapi({
    description:
      'Makes a retry safe: the same key and body within 24 hours replay the first successful answer ' +
      '(`Idempotent-Replayed: true`) and change nothing.',
    example: 'order-10042',
  });

/**
 * A Server API route: Basic authentication, its errors, and on a POST the
 * `Idempotency-Key` header and its errors, added to what the route declares.
 */
export const apiRoute = <R extends OperationConfig>(config: R) =>
  defineOperation(config, {
    security: () => basicAuth,
    codes: (route) => [...authErrors, ...(route.method === 'post' ? idempotencyErrors : [])],
    notes: {
      not_found: 'Also for ids of another store.',
      idempotency_key_in_use: '`Retry-After` says when.',
    },
    headers: (route): z.ZodRawShape => (route.method === 'post' ? { 'idempotency-key': idempotencyKey } : {}),
  });
