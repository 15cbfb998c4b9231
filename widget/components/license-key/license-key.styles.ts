import { css } from 'lit';

// Pages styled for the old `<ap-licence-key>` keep working: its `--ap-licence-key-*` tokens apply when the new ones are unset.

export const styles = css`
  :host { display: block; }
  .base { display: grid; gap: var(--ap-space-xs); min-width: 0; }
  .label { font-size: 0.875rem; font-weight: 600; }
  .row { display: flex; flex-wrap: wrap; align-items: stretch; gap: var(--ap-space-s); }
  .key {
    flex: 1 1 14rem; min-width: 0; display: flex; align-items: center;
    padding: var(--ap-space-s) var(--ap-space-m); border: 1px dashed var(--ap-color-border);
    border-radius: var(--ap-radius); background: var(--ap-license-key-background, var(--ap-licence-key-background, var(--ap-color-surface)));
    font-family: var(--ap-license-key-font-family, var(--ap-licence-key-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace));
    font-size: 0.9375rem; letter-spacing: 0.02em; overflow-wrap: anywhere;
    user-select: all; -webkit-user-select: all; cursor: text;
  }
  .button { flex: 0 0 auto; min-width: 6.5rem; }
  .button.copied { background: var(--ap-color-success); border-color: var(--ap-color-success); color: var(--ap-color-on-success); }
  .feedback { font-size: 0.875rem; }
  svg { width: 1em; height: 1em; flex: none; }
`;
