import { css } from 'lit';

/**
 * System tokens: `--ap-*` custom properties with their defaults. The store's theme
 * (from its checkout) is layered on top as `:host` rules, and a merchant's own CSS
 * on `account-portal { … }` wins over both, because outer rules beat `:host` ones.
 */
export const tokens = css`
  :host {
    --ap-color-primary: #4f46e5;
    --ap-color-on-primary: #ffffff;
    --ap-color-text: #1f2937;
    --ap-color-background: #ffffff;
    --ap-color-surface: #f8fafc;
    --ap-color-muted: color-mix(in srgb, var(--ap-color-text) 74%, var(--ap-color-background));
    --ap-color-border: color-mix(in srgb, var(--ap-color-text) 18%, var(--ap-color-background));
    --ap-color-danger: #b42318;
    --ap-color-success: #067647;
    --ap-color-focus: var(--ap-color-primary);
    --ap-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --ap-font-size: 1rem;
    --ap-radius: 8px;
    --ap-space-xs: 0.25rem;
    --ap-space-s: 0.5rem;
    --ap-space-m: 1rem;
    --ap-space-l: 1.5rem;
    --ap-space-xl: 2rem;
  }
`;
