import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ErrorCode, SessionRequirement } from '../../contract';
import { validationHook } from '../../middleware/errors';
import type { Deps } from '../../deps';
import { requirePermission, requireSession, type PortalEnv } from '../../middleware/portal';
import { authenticateSession } from '../../services/sign-in';
import { defineOperation, type OperationConfig } from '../operations';

/** A Portal API sub-router: validation failures answer 422 in the house error shape. */
export const portalRouter = () => new OpenAPIHono<PortalEnv>({ defaultHook: validationHook });

/** The store path parameter every Portal API route has. */
export const storeParam = z.object({
  storeId: z
    .string()
    .max(40)
    .openapi({ param: { name: 'storeId', in: 'path' }, example: 'demo' }),
});

/** The errors of the session check (`requireCustomer`), which every route but the public ones may answer with. */
const sessionErrors = ['invalid_session', 'session_expired'] as const satisfies readonly ErrorCode[];

/** The operation's extension in the document that names what it needs of the session. */
export const PERMISSION_EXTENSION = 'x-session-permission';

/** A Portal API route as its file declares it. */
export type PortalOperationConfig = OperationConfig &
  (
    | {
        /**
         * Reachable without a session (the config and the ways in): documented with
         * `security: []`. Every other route needs the bearer session that `requireCustomer` checks.
         */
        public: true;
        permission?: never;
      }
    | {
        public?: never;
        /**
         * What the session must be allowed to do (server/contract/session-scope.ts), or
         * `signed-in` for what every session may. Required, so that no route escapes the
         * limits a merchant puts on a session.
         */
        permission: SessionRequirement;
      }
  );

/**
 * A Portal API route: the bearer session (or none, for a public one), its errors and
 * the store's, added; and the check that the session may do what the route needs
 * (`session_not_permitted`), named in the document as `x-session-permission`.
 */
export const portalRoute = <R extends PortalOperationConfig>({ public: isPublic, permission, ...config }: R) => {
  const limited = permission !== undefined && permission !== 'signed-in';
  const route = {
    ...config,
    ...(permission && {
      middleware: requirePermission(permission),
      [PERMISSION_EXTENSION]: permission,
      description: [
        config.description,
        limited
          ? `Needs the session permission \`${permission}\`, which the merchant's capabilities may take away.`
          : 'Open to every session, whatever its capabilities.',
      ]
        .filter(Boolean)
        .join(' '),
    }),
  };
  return defineOperation(route as typeof config, {
    security: () => (isPublic ? [] : [{ bearerAuth: [] }]),
    codes: () => [
      'store_not_found',
      ...(isPublic ? [] : sessionErrors),
      ...(limited ? (['session_not_permitted'] as const) : []),
    ],
    notes: {
      not_found: "Also for another customer's ids.",
      session_not_permitted:
        "The merchant limited this session: `details.permission` is what the operation needs, and `details.capabilities` the session's capabilities that take it away.",
    },
  });
};

/** Requires a signed-in customer of the route's store (a valid bearer session). */
export const requireCustomer = (deps: Deps) =>
  requireSession((store, token) => authenticateSession(deps.db, store, token, deps.clock.now()));
