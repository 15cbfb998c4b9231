/**
 * Focus helpers for `<ap-dialog>`: they look through shadow roots and slots (the
 * flat tree), because a dialog's content is slotted in from another component's
 * shadow root and may itself contain elements with shadow roots.
 */

/** The element that really has focus, looking into shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

function isTabbable(element: HTMLElement): boolean {
  if (element.tabIndex < 0 || element.hasAttribute('disabled') || element.inert) return false;
  if (element instanceof HTMLInputElement && element.type === 'hidden') return false;
  return element.checkVisibility ? element.checkVisibility() : true;
}

function collect(node: Element, out: HTMLElement[]): void {
  if (node instanceof HTMLSlotElement) {
    const assigned = node.assignedElements({ flatten: true });
    for (const child of assigned.length ? assigned : Array.from(node.children)) collect(child, out);
    return;
  }
  if (node instanceof HTMLElement && !node.hidden && !node.inert && isTabbable(node)) out.push(node);
  if (node instanceof HTMLElement && (node.hidden || node.inert)) return;
  for (const child of Array.from((node.shadowRoot ?? node).children)) collect(child, out);
}

/** The elements Tab visits inside `root`, in document order (positive tabindex values are not honoured). */
export function tabbableElements(root: Element | ShadowRoot): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const child of Array.from(root.children)) collect(child, out);
  return out;
}

/** Whether `inner` is `outer` or inside it, crossing shadow boundaries and slots. */
export function containsDeep(outer: Node, inner: Node | null): boolean {
  for (let node: Node | null = inner; node;) {
    if (node === outer) return true;
    node =
      node instanceof Element && node.assignedSlot
        ? node.assignedSlot
        : (node.parentNode ?? (node instanceof ShadowRoot ? node.host : null));
  }
  return false;
}
