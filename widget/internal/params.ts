/** The query parameter of single-use sign-in links (login links, invitations, pre-authenticated URLs). */
export const TOKEN_PARAM = 'portal_token';
/** The query parameter of management URLs. */
export const MANAGE_PARAM = 'portal_manage';
