/**
 * The contract between the server and the widget: the error codes the API
 * answers with, the URL parameters sign-in links carry, the cancellation reasons,
 * and the limits both halves enforce. Each is defined here once and imported by
 * both halves. This module imports nothing from outside server/contract/, so the
 * widget can bundle it without pulling in any server code.
 */
export {
  declineCodes,
  errorCodes,
  errors,
  isDeclineCode,
  isErrorCode,
  type DeclineCode,
  type ErrorCode,
  type ErrorStatus,
} from './errors';
export { accountFieldMax, CANCELLATION_COMMENT_MAX, QUANTITY_MAX, RENEW_WINDOW_DAYS, RENEW_WINDOW_MS } from './limits';
export { MANAGE_PARAM, TOKEN_PARAM, TOKEN_PREFIX } from './params';
export { cancellationReasonCodes, cancellationReasons, type CancellationReason } from './subscriptions';
export { directionOf, languages, matchLanguage, pickLanguage, rtlLanguages, type Language } from './languages';
