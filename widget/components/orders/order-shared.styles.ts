import { css } from 'lit';

/** Bits the orders list and the order detail share: status badges, headings, notes. */
export const orderSharedStyles = css`
  /* Secondary text of the order screens; the system muted colour keeps a 4.5:1 contrast on background and surface. */
  :host { --ap-order-muted: var(--ap-order-muted-color, var(--ap-color-muted)); }
  .muted { color: var(--ap-order-muted); }
  .badge {
    display: inline-block; padding: 0 var(--ap-space-s); border-radius: 999px; white-space: nowrap;
    font-size: 0.8125rem; font-weight: 600; line-height: 1.5rem;
    background: var(--ap-order-status-background, color-mix(in srgb, var(--ap-color-success) 12%, var(--ap-color-background)));
    color: var(--ap-order-status-color, var(--ap-color-success));
  }
  .badge.refunded, .badge.partially_refunded, .badge.revoked {
    background: color-mix(in srgb, var(--ap-color-text) 8%, var(--ap-color-background)); color: var(--ap-order-muted);
  }
  .title { font-size: 1.25rem; line-height: 1.3; outline: none; }
  .note { font-size: 0.875rem; }
  .num { text-align: end; font-variant-numeric: tabular-nums; }
  a { color: var(--ap-color-primary-text); }
  .problem { display: grid; gap: var(--ap-space-m); justify-items: start; }
`;
