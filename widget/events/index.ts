export { ApAccountUpdatedEvent } from './account-updated';
export { ApErrorEvent } from './error';
export { ApNavigateEvent } from './navigate';
export { ApSessionExpiredEvent } from './session-expired';
export { ApSignedInEvent } from './signed-in';
export { ApSignedOutEvent } from './signed-out';

declare global {
  interface GlobalEventHandlersEventMap {
    'ap-signed-in': import('./signed-in').ApSignedInEvent;
    'ap-signed-out': import('./signed-out').ApSignedOutEvent;
    'ap-session-expired': import('./session-expired').ApSessionExpiredEvent;
    'ap-navigate': import('./navigate').ApNavigateEvent;
    'ap-account-updated': import('./account-updated').ApAccountUpdatedEvent;
    'ap-error': import('./error').ApErrorEvent;
  }
}
