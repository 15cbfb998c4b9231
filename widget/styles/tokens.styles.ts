import { css, unsafeCSS } from 'lit';
import { schemesCss } from '../internal/theme';

/**
 * System tokens: `--ap-*` custom properties with their defaults. The store's theme
 * (from its checkout) is layered on top as `:host` rules, and a merchant's own CSS
 * on `account-portal { … }` wins over both, because outer rules beat `:host` ones.
 * The colours are the built-in theme's, light and (under `prefers-color-scheme:
 * dark`) dark, so that nothing flashes light before the store's theme arrives.
 */
export const tokens = [
  css`
    :host {
      --ap-color-border: color-mix(in srgb, var(--ap-color-text) 18%, var(--ap-color-background));
      --ap-color-focus: var(--ap-color-primary-text);
      --ap-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      --ap-font-size: 1rem;
      --ap-radius: 8px;
      --ap-space-xs: 0.25rem;
      --ap-space-s: 0.5rem;
      --ap-space-m: 1rem;
      --ap-space-l: 1.5rem;
      --ap-space-xl: 2rem;
    }
  `,
  unsafeCSS(
    schemesCss({
      primaryColor: '#4f46e5',
      textColor: '#1f2937',
      backgroundColor: '#ffffff',
      surfaceColor: '#f8fafc',
      dark: null,
    }),
  ),
];
