/**
 * What the customer was doing when something failed: the name `ap-error` gives it
 * in `action` (null when the portal was loading what a screen shows).
 */
export type PortalAction =
  | 'sign-in'
  | 'request-sign-in-link'
  | 'request-password-reset'
  | 'reset-password'
  | 'set-password'
  | 'update-account'
  | 'change-plan'
  | 'cancel-subscription'
  | 'pause-subscription'
  | 'resume-subscription'
  | 'unpause-subscription'
  | 'undo-scheduled-change'
  | 'confirm-payment'
  | 'renew-subscription'
  | 'update-payment-method'
  | 'remove-payment-method'
  | 'set-default-payment-method'
  | 'choose-payment-method'
  | 'download-file'
  | 'download-invoice'
  | 'download-e-invoice'
  | 'download-credit-note'
  | 'copy-license-key'
  | 'correct-invoice';

/**
 * Fired when something failed: a request (`code` is the server's error code, or
 * `network_error`), or an action in the browser (`clipboard_unavailable`,
 * `processor_script_failed`).
 */
export class ApErrorEvent extends Event {
  /** The server's error code (see the README's error tables), or one of the widget's own. */
  readonly code: string;
  /** What went wrong, in English (the portal shows the customer a localised message). */
  readonly message: string;
  /** The HTTP status; 0 when no answer came (or it failed in the browser). */
  readonly status: number;
  /** What the customer was doing (`cancel-subscription`, `download-invoice`, …); null while loading a screen. */
  readonly action: PortalAction | null;

  constructor(code: string, message: string, status: number, action: PortalAction | null = null) {
    super('ap-error', { bubbles: true, composed: true });
    this.code = code;
    this.message = message;
    this.status = status;
    this.action = action;
  }
}
