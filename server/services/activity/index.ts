/** The activity log: what other domains record in it, and what the APIs read of it. */
export {
  allActivity,
  anonymiseActivity,
  listActivity,
  recordActivity,
  toActivityView,
  type ActivityEntry,
} from './activity';
