import { css } from 'lit';

/** The content of the subscription dialogs (slotted into `<ap-dialog>`, so styled from here). */
export const dialogStyles = css`
  .flow { display: grid; gap: var(--ap-space-m); }
  .group { border: none; margin: 0; padding: 0; min-width: 0; display: grid; gap: var(--ap-space-s); }
  legend { padding: 0; margin-bottom: var(--ap-space-s); font-weight: 600; }
  .options, .choices { display: grid; gap: var(--ap-space-s); }
  .option, .choice { display: flex; align-items: flex-start; gap: var(--ap-space-s); margin: 0; font-weight: normal; cursor: pointer; }
  .option {
    padding: var(--ap-space-s) var(--ap-space-m); border: 1px solid var(--ap-color-border); border-radius: var(--ap-radius);
  }
  .option.checked { border-color: var(--ap-color-primary-text); box-shadow: inset 0 0 0 1px var(--ap-color-primary-text); }
  .option.unavailable { cursor: not-allowed; }
  .option.unavailable .option-name { color: var(--ap-subscription-muted); }
  input[type='radio'] { width: 1.125rem; height: 1.125rem; min-height: 0; margin: 0.1875rem 0 0; padding: 0; flex: none; accent-color: var(--ap-color-primary-text); }
  .option-text { display: flex; flex-wrap: wrap; justify-content: space-between; column-gap: var(--ap-space-m); min-width: 0; flex: 1; }
  .option-hint { flex-basis: 100%; }
  .option-hint:empty { display: none; }
  .option-name { font-weight: 600; }
  .option-price { font-variant-numeric: tabular-nums; }
  .option-hint { font-size: 0.875rem; color: var(--ap-subscription-muted); }
  .option-hint.upgrade, .option-hint.current { color: var(--_note); }
  .choice-label { display: block; }
  .choice-hint { display: block; font-size: 0.875rem; }
  .field { display: grid; gap: var(--ap-space-xs); }
  .field label { margin: 0; }
  .indent { margin-inline-start: calc(1.125rem + var(--ap-space-s)); }
  input.short { max-width: 12rem; }
  .stepper { display: flex; align-items: stretch; gap: var(--ap-space-xs); max-width: 12rem; }
  .stepper input { text-align: center; min-width: 0; }
  .stepper .step { min-width: 2.5rem; padding: 0; font-size: 1.25rem; }
  textarea { padding: var(--ap-space-s); resize: vertical; min-height: 5rem; }
  .counter { font-size: 0.8125rem; color: var(--ap-subscription-muted); text-align: end; }
  .counter.full { color: var(--_bad); }
  .field-error:not(:empty) { color: var(--_bad); font-size: 0.875rem; font-weight: 600; }
  .hint { font-size: 0.875rem; color: var(--ap-subscription-muted); }
  .loading-line { font-size: 0.875rem; color: var(--ap-subscription-muted); outline: none; }
  .note { font-size: 0.9375rem; }
  .quote { display: grid; gap: var(--ap-space-s); outline: none; }
  .quote-title { font-size: 1.0625rem; }
  .pay-now { font-weight: 600; padding: var(--ap-space-s) var(--ap-space-m); border-radius: var(--ap-radius);
    background: var(--ap-color-surface); border: 1px solid var(--ap-color-border); }
  .notice { padding: var(--ap-space-s) var(--ap-space-m); border-radius: var(--ap-radius);
    background: color-mix(in srgb, var(--_note) 8%, var(--ap-color-background)); }
  .summary-text { font-weight: 600; }
  #cancel-summary { outline: none; }
  .dialog-problem:not(:empty) { display: grid; gap: var(--ap-space-xs); justify-items: start; padding: var(--ap-space-s) var(--ap-space-m);
    border-radius: var(--ap-radius); color: var(--_bad); background: color-mix(in srgb, var(--_bad) 8%, var(--ap-color-background)); font-weight: 600; }
  .dialog-actions { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: var(--ap-space-s); width: 100%; }
  @media (max-width: 30rem) {
    .dialog-actions .button { flex: 1 1 auto; }
  }
`;
