export { ApAccountUpdatedEvent } from './account-updated';
export { ApDataExportedEvent } from './data-exported';
export { ApDialogCloseEvent } from './dialog-close';
export { ApDownloadStartedEvent, type DownloadKind } from './download-started';
export { ApErrorEvent, type PortalAction } from './error';
export { ApInvoiceCorrectedEvent } from './invoice-corrected';
export { ApLicenseKeyCopiedEvent } from './license-key-copied';
export { ApNavigateEvent } from './navigate';
export { ApPasswordChangedEvent, type PasswordChange } from './password-changed';
export { ApPasswordResetRequestedEvent } from './password-reset-requested';
export { ApPaymentMethodUpdatedEvent } from './payment-method-updated';
export { ApRequestEvent, type RequestContinuation } from './request';
export { ApRequestCancelSubscriptionEvent } from './request-cancel-subscription';
export { ApRequestChangePlanEvent } from './request-change-plan';
export { ApRequestCloseEvent, type DialogCloseSource } from './request-close';
export { ApRequestPauseSubscriptionEvent } from './request-pause-subscription';
export { ApRequestRemovePaymentMethodEvent } from './request-remove-payment-method';
export { ApRequestRenewSubscriptionEvent } from './request-renew-subscription';
export { ApRequestUpdatePaymentMethodEvent } from './request-update-payment-method';
export { ApSessionExpiredEvent } from './session-expired';
export { ApSignInLinkRequestedEvent } from './sign-in-link-requested';
export { ApSignedInEvent } from './signed-in';
export { ApSignedOutEvent } from './signed-out';
export { ApSubscriptionCanceledEvent } from './subscription-canceled';
export { ApSubscriptionChangedEvent } from './subscription-changed';
export { ApSubscriptionPausedEvent } from './subscription-paused';
export { ApSubscriptionRenewedEvent } from './subscription-renewed';
export { ApSubscriptionResumedEvent } from './subscription-resumed';

/**
 * Every event the widget fires, by name. `<account-portal>`'s `addEventListener`
 * and the JSX props (`widget/jsx.ts`) are typed from it.
 */
export interface PortalEventMap {
  'ap-signed-in': import('./signed-in').ApSignedInEvent;
  'ap-signed-out': import('./signed-out').ApSignedOutEvent;
  'ap-session-expired': import('./session-expired').ApSessionExpiredEvent;
  'ap-navigate': import('./navigate').ApNavigateEvent;
  'ap-error': import('./error').ApErrorEvent;
  'ap-sign-in-link-requested': import('./sign-in-link-requested').ApSignInLinkRequestedEvent;
  'ap-password-reset-requested': import('./password-reset-requested').ApPasswordResetRequestedEvent;
  'ap-password-changed': import('./password-changed').ApPasswordChangedEvent;
  'ap-account-updated': import('./account-updated').ApAccountUpdatedEvent;
  'ap-data-exported': import('./data-exported').ApDataExportedEvent;
  'ap-download-started': import('./download-started').ApDownloadStartedEvent;
  'ap-license-key-copied': import('./license-key-copied').ApLicenseKeyCopiedEvent;
  'ap-invoice-corrected': import('./invoice-corrected').ApInvoiceCorrectedEvent;
  'ap-request-change-plan': import('./request-change-plan').ApRequestChangePlanEvent;
  'ap-request-cancel-subscription': import('./request-cancel-subscription').ApRequestCancelSubscriptionEvent;
  'ap-request-pause-subscription': import('./request-pause-subscription').ApRequestPauseSubscriptionEvent;
  'ap-request-renew-subscription': import('./request-renew-subscription').ApRequestRenewSubscriptionEvent;
  'ap-subscription-changed': import('./subscription-changed').ApSubscriptionChangedEvent;
  'ap-subscription-canceled': import('./subscription-canceled').ApSubscriptionCanceledEvent;
  'ap-subscription-resumed': import('./subscription-resumed').ApSubscriptionResumedEvent;
  'ap-subscription-paused': import('./subscription-paused').ApSubscriptionPausedEvent;
  'ap-subscription-renewed': import('./subscription-renewed').ApSubscriptionRenewedEvent;
  'ap-request-update-payment-method': import('./request-update-payment-method').ApRequestUpdatePaymentMethodEvent;
  'ap-request-remove-payment-method': import('./request-remove-payment-method').ApRequestRemovePaymentMethodEvent;
  'ap-payment-method-updated': import('./payment-method-updated').ApPaymentMethodUpdatedEvent;
  'ap-request-close': import('./request-close').ApRequestCloseEvent;
  'ap-dialog-close': import('./dialog-close').ApDialogCloseEvent;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends PortalEventMap {}
}
