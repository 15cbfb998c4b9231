/**
 * Whether a click on a link should be handled in place: the primary button without
 * modifier keys (a middle click or Ctrl+click keeps the browser's own behaviour).
 */
export function isPlainClick(event: MouseEvent): boolean {
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}
