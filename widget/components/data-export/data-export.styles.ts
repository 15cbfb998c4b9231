import { css } from 'lit';

export const styles = css`
  :host { display: block; }
  .card { display: grid; gap: var(--ap-space-m); min-width: 0; }
  h2 { font-size: 1.125rem; line-height: 1.3; }
  .intro { color: var(--ap-data-export-hint-color, var(--ap-color-muted)); }
  .actions { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s) var(--ap-space-m); }
  .actions .button { min-width: 8rem; }
  .status { color: var(--ap-color-success); font-weight: 500; }
  .error { color: var(--ap-color-danger); font-weight: 500; flex-basis: 100%; }
  .status:empty, .error:empty { display: none; }
`;
