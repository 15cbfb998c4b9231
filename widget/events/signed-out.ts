/** Fired when the customer signed out (the button, or `signOut()`). */
export class ApSignedOutEvent extends Event {
  constructor() {
    super('ap-signed-out', { bubbles: true, composed: true });
  }
}
