import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { passwordResetInput, passwordResetRequestInput } from '../../schemas/portal';
import { requestPasswordReset, resetPassword } from '../../services/sign-in';
import { portalRoute, portalRouter, storeParam } from './router';
import { created, requester, signedIn } from './sessions';

const tags = ['Sign-in'];

const requestReset = portalRoute({
  operationId: 'requestPasswordReset',
  method: 'post',
  path: '/{storeId}/password-resets',
  public: true,
  tags,
  summary: 'Email a link to choose a new password (same answer whether or not the account exists)',
  request: { params: storeParam, body: jsonBody(passwordResetRequestInput) },
  responses: { 202: jsonResponse(z.object({ message: z.string() }), 'Accepted.') },
  errors: ['password_login_disabled', 'password_reset_recently_sent', 'too_many_login_links_from_network'],
});

const reset = portalRoute({
  operationId: 'resetPassword',
  method: 'post',
  path: '/{storeId}/sessions/password-reset',
  public: true,
  tags,
  summary: "Set a new password with a reset link's token (single use) and sign in",
  description: 'The link proves the mailbox, so the email counts as verified; every other session of the account ends.',
  request: { params: storeParam, body: jsonBody(passwordResetInput) },
  responses: created,
  errors: [
    'password_login_disabled',
    'too_many_sign_ins_from_network',
    'too_many_link_attempts',
    'invalid_token',
    'token_superseded',
    'token_used',
    'token_expired',
  ],
});

/** Forgotten passwords: a link by email, and a new password with its token. */
export const passwordResetRoutes = (deps: Deps) =>
  portalRouter()
    .openapi(requestReset, async (c) => {
      await requestPasswordReset(deps, c.get('store'), c.req.valid('json'), requester(c, deps));
      return c.json(
        { message: 'If an account exists for this address, a link to choose a new password is on its way.' },
        202,
      );
    })
    .openapi(reset, async (c) =>
      signedIn(c, await resetPassword(deps, c.get('store'), c.req.valid('json'), requester(c, deps))),
    );
