/** Fired when something the customer asked for failed; `code` is the server's error code. */
export class ApErrorEvent extends Event {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly status: number,
  ) {
    super('ap-error', { bubbles: true, composed: true });
  }
}
