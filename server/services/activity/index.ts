/** The activity log: what other domains record in it, and what the APIs read of it. */
export { listActivity, recordActivity, toActivityView, type ActivityEntry } from './activity';
