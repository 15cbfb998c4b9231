import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../../middleware/api-auth';
import { validationHook } from '../../middleware/errors';

/** A Server API sub-router: validation failures answer 422 in the house error shape. */
export const apiRouter = () => new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

/** The Basic-auth security requirement every Server API route documents. */
export const basicAuth = [{ basicAuth: [] }];
