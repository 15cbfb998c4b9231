import { css } from 'lit';

export const styles = css`
  :host { display: block; }
  .sign-in { max-width: 28rem; margin: 0 auto; display: grid; gap: var(--ap-space-m); }
  h2 { font-size: 1.25rem; outline: none; }
  form { display: grid; gap: var(--ap-space-s); }
  form .button { margin-top: var(--ap-space-s); }
  .notice {
    padding: var(--ap-space-s) var(--ap-space-m); border-radius: var(--ap-radius);
    background: color-mix(in srgb, var(--ap-color-primary) 10%, var(--ap-color-background));
  }
  .actions { display: flex; flex-wrap: wrap; gap: var(--ap-space-m); align-items: center; }
  .field { display: flex; flex-direction: column; }
  .hint { font-size: 0.875rem; color: var(--ap-color-muted); margin-top: var(--ap-space-xs); }
  .field-error {
    display: flex; gap: var(--ap-space-xs); align-items: flex-start;
    font-size: 0.875rem; color: var(--ap-color-danger); margin-top: var(--ap-space-xs); font-weight: 500;
  }
  .field-error svg { flex: none; margin-top: 0.15em; }
  input[aria-invalid='true'] { border-width: 2px; }
  .check { flex-direction: row; align-items: center; gap: var(--ap-space-s); display: flex; }
  .check input { width: 1.25rem; height: 1.25rem; min-height: 0; margin: 0; padding: 0; flex: none; accent-color: var(--ap-color-primary-text); }
  .check label { margin: 0; font-weight: 400; }
`;
