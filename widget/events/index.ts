export { ApAccountUpdatedEvent } from './account-updated';
export { ApDataExportedEvent } from './data-exported';
export { ApDialogCloseEvent } from './dialog-close';
export { ApErrorEvent } from './error';
export { ApNavigateEvent } from './navigate';
export { ApPaymentMethodUpdatedEvent } from './payment-method-updated';
export { ApRequestCloseEvent, type DialogCloseSource } from './request-close';
export { ApRequestUpdatePaymentMethodEvent } from './request-update-payment-method';
export { ApSessionExpiredEvent } from './session-expired';
export { ApSignedInEvent } from './signed-in';
export { ApSignedOutEvent } from './signed-out';
export { ApSubscriptionCanceledEvent } from './subscription-canceled';
export { ApSubscriptionChangedEvent } from './subscription-changed';
export { ApSubscriptionPausedEvent } from './subscription-paused';
export { ApSubscriptionResumedEvent } from './subscription-resumed';

declare global {
  interface GlobalEventHandlersEventMap {
    'ap-signed-in': import('./signed-in').ApSignedInEvent;
    'ap-signed-out': import('./signed-out').ApSignedOutEvent;
    'ap-session-expired': import('./session-expired').ApSessionExpiredEvent;
    'ap-navigate': import('./navigate').ApNavigateEvent;
    'ap-account-updated': import('./account-updated').ApAccountUpdatedEvent;
    'ap-data-exported': import('./data-exported').ApDataExportedEvent;
    'ap-error': import('./error').ApErrorEvent;
    'ap-subscription-changed': import('./subscription-changed').ApSubscriptionChangedEvent;
    'ap-subscription-canceled': import('./subscription-canceled').ApSubscriptionCanceledEvent;
    'ap-subscription-resumed': import('./subscription-resumed').ApSubscriptionResumedEvent;
    'ap-subscription-paused': import('./subscription-paused').ApSubscriptionPausedEvent;
    'ap-payment-method-updated': import('./payment-method-updated').ApPaymentMethodUpdatedEvent;
    'ap-request-update-payment-method': import('./request-update-payment-method').ApRequestUpdatePaymentMethodEvent;
    'ap-request-close': import('./request-close').ApRequestCloseEvent;
    'ap-dialog-close': import('./dialog-close').ApDialogCloseEvent;
  }
}
