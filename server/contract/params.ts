/** The query parameter of single-use sign-in links (login links, invitations, pre-authenticated URLs). */
export const TOKEN_PARAM = 'portal_token';

/** The query parameter of (reusable) management URLs. */
export const MANAGE_PARAM = 'portal_manage';

/** The query parameter of (single-use) password reset links: the portal asks for a new password. */
export const RESET_PARAM = 'portal_reset';

/** How every sign-in token begins, so a bare token can be told from a URL. */
export const TOKEN_PREFIX = 'pt_';
