import type { DialogCloseSource } from './request-close';

/** An `<ap-dialog>` closed because the customer asked it to (its `ap-request-close` was not canceled). */
export class ApDialogCloseEvent extends Event {
  /** What asked it to close: `escape` or `close-button`. */
  readonly source: 'escape' | 'close-button';

  constructor(source: DialogCloseSource) {
    super('ap-dialog-close', { bubbles: true, composed: true });
    this.source = source;
  }
}
