import { css } from 'lit';

export const styles = css`
  :host { display: block; container: ap-order-detail / inline-size; }
  .base { display: grid; gap: var(--ap-order-section-gap, var(--ap-space-m)); }
  .back { justify-self: start; display: inline-flex; align-items: center; gap: var(--ap-space-xs); font-weight: 600; text-decoration: none; }
  .back:hover { text-decoration: underline; }
  .back svg { width: 1em; height: 1em; }
  /* The arrow points back, which is to the right in right-to-left text. */
  .back svg:dir(rtl) { transform: scaleX(-1); }
  .head { display: grid; gap: var(--ap-space-xs); }
  .head-line { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s) var(--ap-space-m); }
  .facts { display: flex; flex-wrap: wrap; gap: 0 var(--ap-space-m); }
  .card { display: grid; gap: var(--ap-space-m); min-width: 0; }
  h3 { font-size: 1.0625rem; line-height: 1.3; }
  h4 { font-size: 0.9375rem; margin: 0; }
  .gift { border-inline-start: 4px solid var(--ap-color-primary); }
  blockquote {
    margin: 0; padding: var(--ap-space-s) var(--ap-space-m); border-radius: var(--ap-radius);
    background: var(--ap-color-surface); white-space: pre-wrap; overflow-wrap: anywhere; font-style: italic;
  }

  table { width: 100%; border-collapse: collapse; }
  th, td { padding: var(--ap-space-s) 0; text-align: start; vertical-align: top; }
  th + th, td + td { padding-inline-start: var(--ap-space-m); }
  thead th { font-size: 0.8125rem; font-weight: 600; color: var(--ap-order-muted); border-bottom: 1px solid var(--ap-color-border); }
  tbody tr + tr { border-top: 1px solid var(--ap-color-border); }
  th.num, td.num { text-align: end; white-space: nowrap; }
  tbody th { font-weight: 600; overflow-wrap: anywhere; }
  .cell-label { display: none; }
  .simple-items li { display: flex; justify-content: space-between; gap: var(--ap-space-m); padding: var(--ap-space-s) 0; }
  .simple-items li + li { border-top: 1px solid var(--ap-color-border); }

  .totals { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: var(--ap-space-xs) var(--ap-space-m);
    border-top: 1px solid var(--ap-color-border); padding-top: var(--ap-space-s); margin-inline-start: auto; min-width: min(100%, 18rem); }
  .totals dt { color: var(--ap-order-muted); }
  .totals dd { text-align: end; font-variant-numeric: tabular-nums; }
  .totals .grand { font-weight: 700; color: var(--ap-color-text); font-size: 1.0625rem; }
  .payment { display: flex; align-items: center; gap: var(--ap-space-s); }
  .payment svg { width: 1.5rem; height: 1.5rem; flex: none; color: var(--ap-order-muted); }

  .fulfilment-group { display: grid; gap: var(--ap-space-s); }
  .download { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-xs) var(--ap-space-m); }
  .download .button svg,
  .credit-notes .button svg { width: 1.1em; height: 1.1em; flex: none; }
  .download-status { font-size: 0.875rem; flex-basis: 100%; outline: none; }
  .file { min-width: 0; overflow-wrap: anywhere; }
  .file-name { font-weight: 600; }
  .revoked-note { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s); font-size: 0.875rem; }
  .instructions { white-space: pre-wrap; overflow-wrap: anywhere; }

  .skeleton-line { display: block; height: 1.25rem; }
  .skeleton-title { display: block; height: 1.75rem; width: 14rem; max-width: 80%; }

  @container ap-order-detail (max-width: 34rem) {
    .card { padding: var(--ap-space-m); }
    .items thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    .items, .items tbody { display: block; }
    .items tr { display: flex; flex-wrap: wrap; gap: var(--ap-space-xs) var(--ap-space-m); padding: var(--ap-space-s) 0; }
    .items th, .items td { display: block; padding: 0; white-space: normal; }
    .items tbody th { flex-basis: 100%; }
    .items td.num { text-align: start; font-size: 0.875rem; }
    .items td.line-total { margin-inline-start: auto; font-size: 1rem; font-weight: 600; }
    .items td.none { display: none; }
    .cell-label { display: inline; color: var(--ap-order-muted); margin-inline-end: var(--ap-space-xs); }
    .totals { min-width: 100%; }
  }
  .credit-notes { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--ap-space-s); }
  .credit-notes li { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s) var(--ap-space-m); }
  .credit-notes .muted { font-size: 0.875rem; }
  /* Skeleton widths as classes, not inline styles: pages with a strict CSP forbid those. */
  .w-title { width: 12rem; } .w-meta { width: 8rem; } .w-wide { width: 60%; }
`;
