/** How a password changed: set for the first time, changed with the current one, or reset from an emailed link. */
export type PasswordChange = 'set' | 'changed' | 'reset';

/**
 * The customer's password changed. After a reset (which also signs the customer in,
 * after `ap-signed-in`), every other session of the account has ended.
 */
export class ApPasswordChangedEvent extends Event {
  /** `set` (the first password), `changed` (with the current one) or `reset` (from an emailed link). */
  readonly change: 'set' | 'changed' | 'reset';

  constructor(change: PasswordChange) {
    super('ap-password-changed', { bubbles: true, composed: true });
    this.change = change;
  }
}
