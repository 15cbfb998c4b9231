/** The sign-in domain: what routes and other domains use of it. */
export { endAccessInTransaction, endAccountAccess, revokeAuthenticateUrl, type EndedAccess } from './access';
export { authenticateApiCaller, type ApiCaller } from './api-auth';
export { inviteAccount, inviteOnSubscription } from './invitations';
export { issueAuthenticateUrl, issueManagementUrl, portalUrl } from './portal-links';
export { consumeLimits, purgeRateLimitHits, type Limit } from './rate-limits';
export { authenticateSession, endAllSessions, endSession, startSession, toSessionScope } from './sessions';
export {
  createLoginLinkWorker,
  LOGIN_LINK_MAX_ATTEMPTS,
  LOGIN_LINK_RETRY_SCHEDULE_MS,
  type LoginLinkWorkerOptions,
} from './login-link-worker';
export { dropLoginLinkRequests, requestLoginLink, type LoginLinkRequest } from './login-links';
export { PASSWORD_RESET_TTL_MS, requestPasswordReset, resetPassword } from './password-reset';
export { redeemSignInToken, setPassword, signInWithManagementUrl, signInWithPassword, type SignedIn } from './sign-in';
export { findLiveToken, issueToken, purgeExpiredTokens } from './tokens';
