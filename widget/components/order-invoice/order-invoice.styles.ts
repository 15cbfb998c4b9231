import { css } from 'lit';

export const styles = css`
  :host { display: block; }
  .card { display: grid; gap: var(--ap-space-m); min-width: 0; }
  h3 { font-size: 1rem; line-height: 1.3; }
  .muted { color: var(--ap-order-muted-color, var(--ap-color-muted)); }
  .download { display: flex; flex-wrap: wrap; gap: var(--ap-space-s); align-items: end; }
  .download .field { min-width: 10rem; }
  address { font-style: normal; line-height: 1.5; }
  .fields { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--ap-space-m) var(--ap-space-l); }
  @container (min-width: 34rem) {
    .fields { grid-template-columns: repeat(2, minmax(0, 1fr)); }
    .field.wide, .check { grid-column: 1 / -1; }
  }
  .field { min-width: 0; display: flex; flex-direction: column; }
  .hint { font-size: 0.875rem; color: var(--ap-color-muted); margin-top: var(--ap-space-xs); }
  .field-error {
    display: flex; gap: var(--ap-space-xs); align-items: flex-start;
    font-size: 0.875rem; color: var(--ap-color-danger); margin-top: var(--ap-space-xs); font-weight: 500;
  }
  input[aria-invalid='true'], select[aria-invalid='true'] { border-width: 2px; }
  input:disabled, select:disabled { opacity: 0.6; }
  .check { flex-direction: row; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s); }
  .check input { width: 1.25rem; height: 1.25rem; min-height: 0; margin: 0; padding: 0; flex: none; }
  .check label { margin: 0; flex: 1 1 0; min-width: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: var(--ap-space-s); }
  .problem { color: var(--ap-color-danger); }
  .wrapper { container: ap-order-invoice / inline-size; }
`;
