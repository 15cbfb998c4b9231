/** What asked an `<ap-dialog>` to close. */
export type DialogCloseSource = 'escape' | 'close-button';

/**
 * The customer asked an `<ap-dialog>` to close (Escape or its close button).
 * Cancelable: the dialog's owner calls `preventDefault()` to keep it open, for
 * example while a request it started is still running.
 */
export class ApRequestCloseEvent extends Event {
  /** What asked it to close: `escape` or `close-button`. */
  readonly source: 'escape' | 'close-button';

  constructor(source: DialogCloseSource) {
    super('ap-request-close', { bubbles: true, composed: true, cancelable: true });
    this.source = source;
  }
}
