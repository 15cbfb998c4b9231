/** The sign-in domain: what routes and other domains use of it. */
export { endAccountAccess, revokeAuthenticateUrl, type EndedAccess } from './access';
export { authenticateApiCaller, type ApiCaller } from './api-auth';
export { inviteAccount, inviteOnSubscription } from './invitations';
export { issueAuthenticateUrl, issueManagementUrl, portalUrl } from './portal-links';
export { consumeLimits, purgeRateLimitHits } from './rate-limits';
export { authenticateSession, endAllSessions, endSession, startSession, toSessionScope } from './sessions';
export {
  createLoginLinkWorker,
  LOGIN_LINK_MAX_ATTEMPTS,
  LOGIN_LINK_RETRY_SCHEDULE_MS,
  type LoginLinkWorkerOptions,
} from './login-link-worker';
export { requestLoginLink, type LoginLinkRequest } from './login-links';
export { redeemSignInToken, setPassword, signInWithManagementUrl, signInWithPassword, type SignedIn } from './sign-in';
export { findLiveToken, issueToken, purgeExpiredTokens } from './tokens';
