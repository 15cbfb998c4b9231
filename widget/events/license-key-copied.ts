/**
 * The customer copied a licence key to the clipboard with its Copy button. When the
 * browser refuses, `ap-error` fires instead (`code` `clipboard_unavailable`,
 * `action` `copy-license-key`) and the key is selected for copying by hand.
 */
export class ApLicenseKeyCopiedEvent extends Event {
  /** What the key is for, as shown above it ("Licence key for Photo Toolkit 3"); the key itself is not included. */
  readonly label: string;

  constructor(label: string) {
    super('ap-license-key-copied', { bubbles: true, composed: true });
    this.label = label;
  }
}
