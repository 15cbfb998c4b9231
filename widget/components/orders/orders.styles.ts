import { css } from 'lit';

export const styles = css`
  :host { display: block; container: ap-orders / inline-size; }
  .base { display: grid; gap: var(--ap-space-m); }
  .table-card { padding: 0; overflow: hidden; }
  table { width: 100%; border-collapse: collapse; }
  th, td { padding: var(--ap-order-cell-padding, var(--ap-space-s) var(--ap-space-m)); text-align: start; vertical-align: middle; }
  thead th { font-size: 0.8125rem; font-weight: 600; color: var(--ap-order-muted); background: var(--ap-color-surface);
    border-bottom: 1px solid var(--ap-color-border); }
  tbody th { font-weight: inherit; }
  th.num, td.num { text-align: end; }
  tbody tr { position: relative; }
  tbody tr + tr { border-top: 1px solid var(--ap-color-border); }
  tbody tr:hover { background: color-mix(in srgb, var(--ap-color-primary) 4%, var(--ap-color-background)); }
  tbody th, tbody td { height: var(--ap-order-row-height, 3.75rem); }
  .reference a { font-weight: 600; text-decoration: none; overflow-wrap: break-word; }
  .reference a:hover { text-decoration: underline; }
  /* The reference link covers its whole row, so that the row is one click target. */
  .reference a::after { content: ''; position: absolute; inset: 0; }
  .reference a:focus-visible { outline: none; }
  .reference a:focus-visible::after { outline: 2px solid var(--ap-color-focus); outline-offset: -2px; border-radius: var(--ap-radius); }
  .reference .note { display: block; }
  .skeleton { display: inline-block; vertical-align: middle; }
  .badge.skeleton { background: var(--ap-color-border); }
  .more { display: flex; justify-content: center; }
  .empty { display: grid; gap: var(--ap-space-s); justify-items: center; text-align: center; padding-block: var(--ap-space-xl); }
  .empty svg { width: 3rem; height: 3rem; color: var(--ap-order-muted); }
  .empty-title { font-size: 1.125rem; font-weight: 600; }

  /* Narrow containers: every row becomes a small card (reference and total, then date and status). */
  @container ap-orders (max-width: 34rem) {
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    table, tbody { display: block; }
    tbody tr {
      display: grid; grid-template-columns: auto minmax(0, 1fr) auto; gap: var(--ap-space-xs) var(--ap-space-s);
      grid-template-areas: 'reference reference total' 'date status status';
      padding: var(--ap-space-s) var(--ap-space-m); align-items: center;
    }
    /* A received gift has no amount: who sent it goes on a line of its own. */
    tbody tr.unpriced { grid-template-areas: 'reference reference reference' 'date status status' 'total total total'; }
    tbody th, tbody td { display: block; height: auto; padding: 0; }
    .reference { grid-area: reference; }
    td.date { grid-area: date; font-size: 0.875rem; }
    td.total { grid-area: total; font-weight: 600; }
    tr.unpriced td.total { text-align: start; font-weight: normal; font-size: 0.875rem; }
    td.status { grid-area: status; }
  }
  @container ap-orders (max-width: 16rem) {
    tbody tr, tbody tr.unpriced {
      grid-template-columns: minmax(0, 1fr); grid-template-areas: 'reference' 'total' 'date' 'status';
    }
    td.total { text-align: start; }
  }
  /* Skeleton widths as classes, not inline styles: pages with a strict CSP forbid those. */
  td.total .refunded { display: block; font-size: 0.8125rem; font-weight: normal; }
  .w-reference { width: 9rem; } .w-date { width: 6rem; } .w-total { width: 4.5rem; } .w-status { width: 5.5rem; }
`;
