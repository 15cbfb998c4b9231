/** The sign-in domain: what routes and other domains use of it. */
export { endAccountAccess, revokeAuthenticateUrl, type EndedAccess } from './access';
export { authenticateApiCaller, type ApiCaller } from './api-auth';
export { inviteAccount, inviteOnSubscription } from './invitations';
export { issueAuthenticateUrl, issueManagementUrl, portalUrl } from './portal-links';
export { consumeLimits, purgeRateLimitHits } from './rate-limits';
export { authenticateSession, endAllSessions, endSession, startSession } from './sessions';
export { redeemSignInToken, requestLoginLink, setPassword, signInWithManagementUrl, signInWithPassword, type SignedIn } from './sign-in';
export { findLiveToken, issueToken, purgeExpiredTokens } from './tokens';
