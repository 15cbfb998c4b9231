import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    container: ap-account-form / inline-size;
    --_hint-color: var(--ap-account-form-hint-color, var(--ap-color-muted));
  }
  .sections { display: grid; gap: var(--ap-account-form-gap, var(--ap-space-l)); }
  .card { display: grid; gap: var(--ap-space-m); min-width: 0; }
  h2 { font-size: 1.125rem; line-height: 1.3; }
  .intro { color: var(--_hint-color); margin-top: calc(-1 * var(--ap-space-s)); }
  form { display: grid; gap: var(--ap-space-l); min-width: 0; }
  .fields {
    display: grid; grid-template-columns: minmax(0, 1fr);
    gap: var(--ap-account-form-field-gap, var(--ap-space-m)) var(--ap-space-l);
  }
  .field { min-width: 0; display: flex; flex-direction: column; }
  .hint { font-size: 0.875rem; color: var(--_hint-color); margin-top: var(--ap-space-xs); }
  .field-error {
    display: flex; gap: var(--ap-space-xs); align-items: flex-start;
    font-size: 0.875rem; color: var(--ap-color-danger); margin-top: var(--ap-space-xs); font-weight: 500;
  }
  .field-error svg, .status svg { flex: none; margin-top: 0.15em; }
  input[aria-invalid='true'], select[aria-invalid='true'] { border-width: 2px; }
  input.readonly {
    background: var(--ap-account-form-readonly-background, var(--ap-color-surface));
    color: var(--_hint-color); cursor: default;
  }
  input:disabled, select:disabled { opacity: 0.6; }
  /* A session that may only look: the details read as text in quiet fields, not as greyed-out controls. */
  .read-only input:is([readonly], :disabled), .read-only select:disabled {
    opacity: 1; color: inherit; background: var(--ap-account-form-readonly-background, var(--ap-color-surface));
  }
  p.read-only { color: var(--_hint-color); }
  select { padding-inline-end: var(--ap-space-xs); text-overflow: ellipsis; }
  .required { font-weight: 400; color: var(--_hint-color); font-size: 0.875rem; }

  .check { flex-direction: row; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s); }
  .check input {
    width: 1.25rem; height: 1.25rem; min-height: 0; margin: 0; padding: 0; flex: none;
    accent-color: var(--ap-account-form-emphasis-color, var(--ap-color-primary-text));
  }
  .check label { margin: 0; flex: 1 1 0; min-width: 0; }
  .check .field-error { flex-basis: 100%; }

  .business {
    display: grid; grid-template-columns: minmax(0, 1fr); gap: inherit;
    padding: var(--ap-space-m); padding-inline-start: calc(var(--ap-space-m) - 3px);
    margin-inline: calc(-1 * var(--ap-space-m));
    border-radius: var(--ap-radius); border-inline-start: 3px solid transparent;
    transition: background-color 120ms ease, border-color 120ms ease;
  }
  .business.active {
    background: color-mix(in srgb, var(--ap-account-form-emphasis-color, var(--ap-color-primary)) 7%, var(--ap-color-background));
    border-inline-start-color: var(--ap-account-form-emphasis-color, var(--ap-color-primary));
  }
  @media (prefers-reduced-motion: reduce) { .business { transition: none; } }

  .actions { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s) var(--ap-space-m); }
  .actions .button { min-width: 8rem; }
  .status { display: flex; gap: var(--ap-space-xs); align-items: flex-start; color: var(--ap-color-success); font-weight: 500; }
  .status:empty, .summary:empty { display: none; }
  .summary { color: var(--ap-color-danger); font-weight: 500; flex-basis: 100%; }
  .summary p { display: flex; gap: var(--ap-space-xs); align-items: flex-start; }
  .summary svg { flex: none; margin-top: 0.2em; }
  .summary ul { margin-top: var(--ap-space-xs); padding-inline-start: var(--ap-space-l); list-style: disc; font-weight: 400; }

  @container ap-account-form (min-width: 36rem) {
    .fields, .business { grid-template-columns: repeat(2, minmax(0, 1fr)); }
    .wide { grid-column: 1 / -1; }
  }
  @container ap-account-form (max-width: 22rem) {
    .card { padding: var(--ap-space-m); }
    .business {
      margin-inline: calc(-1 * var(--ap-space-s)); padding: var(--ap-space-s);
      padding-inline-start: calc(var(--ap-space-s) - 3px);
    }
    .actions .button { width: 100%; }
  }
`;
