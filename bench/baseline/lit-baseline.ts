/**
 * The benchmark's baseline: the least a Lit element must do to show a customer their
 * orders — read the token from the address, redeem it, fetch the first page of
 * orders and render a table row each. No i18n, no theme, no routing, no context.
 * `npm run bench:widget` builds it with Vite (minified, Lit's production build) and
 * measures it beside the widget in the same run.
 */
import { LitElement, html } from 'lit';

interface Order {
  id: string;
  number?: string;
  createdAt: string;
}

class LitBaseline extends LitElement {
  static override properties = { orders: { state: true } };
  orders: Order[] | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const store = this.getAttribute('store')!;
    const token = new URL(location.href).searchParams.get('portal_token');
    const base = `${location.origin}/portal/${store}`;
    const session = (await (
      await fetch(`${base}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        credentials: 'include',
      })
    ).json()) as { token: string };
    const page = (await (
      await fetch(`${base}/orders?limit=20`, { headers: { authorization: `Bearer ${session.token}` } })
    ).json()) as { data: Order[] };
    this.orders = page.data;
  }

  override render() {
    if (!this.orders) return html`<p>Loading…</p>`;
    return html`<table><tbody>${this.orders.map(
      (order) => html`
      <tr part="row"><td>${order.number ?? order.id}</td><td>${new Date(order.createdAt).toLocaleDateString()}</td></tr>`,
    )}
    </tbody></table>`;
  }
}

if (!customElements.get('lit-baseline')) customElements.define('lit-baseline', LitBaseline);
