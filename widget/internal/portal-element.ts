import { LitElement } from 'lit';

/**
 * The base of every portal element. `define` registers a tag only once, so loading
 * the widget twice on one page (a script tag and a bundle, say) is harmless.
 */
export class PortalElement extends LitElement {
  static define(tag: string): void {
    if (!customElements.get(tag)) customElements.define(tag, this);
  }
}
