import type { DialogCloseSource } from './request-close';

/** An `<ap-dialog>` closed because the customer asked it to (its `ap-request-close` was not canceled). */
export class ApDialogCloseEvent extends Event {
  constructor(readonly source: DialogCloseSource) {
    super('ap-dialog-close', { bubbles: true, composed: true });
  }
}
