/**
 * The parts every dialog of the portal exposes to the page, by the names the page
 * uses: `dialog` (the panel) as it is, and the others prefixed, so that
 * `account-portal::part(dialog-title)` styles every dialog's title and not the
 * screens' headings. The subscription dialogs (change, cancel, pause, renew), the
 * remove-card dialog and the add-card dialog all forward them with `exportparts`.
 */
export const dialogPartNames = [
  'dialog',
  'dialog-header',
  'dialog-title',
  'dialog-close-button',
  'dialog-body',
  'dialog-footer',
] as const;

/** The `exportparts` value for an `<ap-dialog>`. */
export const dialogExportParts =
  'dialog, header: dialog-header, title: dialog-title, close-button: dialog-close-button, ' +
  'body: dialog-body, footer: dialog-footer';

/** The `exportparts` value for an element that forwards its dialog's parts under the same names. */
export const forwardDialogParts = dialogPartNames.join(', ');
