/** Fired when the customer downloaded their data (the Account tab's "Download my data"). */
export class ApDataExportedEvent extends Event {
  /** The name the file was saved under, such as `demo-account-data-2026-05-01.json`. */
  readonly fileName: string;

  constructor(fileName: string) {
    super('ap-data-exported', { bubbles: true, composed: true });
    this.fileName = fileName;
  }
}
