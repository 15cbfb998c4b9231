/**
 * The contract between the server and the widget: the error codes the API
 * answers with, the URL parameters sign-in links carry, the cancellation reasons,
 * the limits both halves enforce, the languages, the colour contrast rules
 * of themes, what a session may do, and the kinds of the activity log. Each is defined here once and imported by
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
export {
  accountFieldMax,
  CANCELLATION_COMMENT_MAX,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RESET_TTL_MINUTES,
  QUANTITY_MAX,
  RENEW_WINDOW_DAYS,
  RENEW_WINDOW_MS,
} from './limits';
export { MANAGE_PARAM, RESET_PARAM, TOKEN_PARAM, TOKEN_PREFIX } from './params';
export { cancellationReasonCodes, cancellationReasons, type CancellationReason } from './subscriptions';
export { directionOf, languages, matchLanguage, pickLanguage, rtlLanguages, type Language } from './languages';
export {
  builtInDarkPalette,
  colorSchemes,
  contrastRatio,
  readableShade,
  schemeColours,
  themeSchemes,
  themeWarnings,
  type ColorScheme,
  type ContrastWarning,
  type Palette,
  type SchemeColours,
} from './contrast';
export {
  capabilities,
  capabilitiesDenying,
  capabilityNames,
  isCapability,
  LANDING_ROUTE_MAX,
  landingRoutePattern,
  permissions,
  permissionsOf,
  permits,
  routePermissions,
  screenPermissions,
  type Capability,
  type Permission,
  type SessionRequirement,
} from './session-scope';
export {
  activityActors,
  activityKinds,
  browserFamilies,
  osFamilies,
  signInMethods,
  subscriptionEndReasons,
  type ActivityActor,
  type ActivityDetails,
  type ActivityKind,
  type BrowserFamily,
  type OsFamily,
  type SignInMethod,
  type SubscriptionEndReason,
} from './activity';
