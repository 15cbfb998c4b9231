import type { Theme } from './types';

type Palette = Pick<Theme, 'primaryColor' | 'textColor' | 'backgroundColor' | 'surfaceColor'>;

/** Relative luminance of a #rgb / #rrggbb colour (WCAG). */
function luminance(hex: string): number {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c).slice(1) : hex.slice(1);
  const [r, g, b] = [0, 2, 4]
    .map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black, whichever reads better on `background`. */
export function onColor(background: string): string {
  return luminance(background) > 0.4 ? '#111827' : '#ffffff';
}

function paletteRules(p: Palette): string {
  return (
    `--ap-color-primary:${p.primaryColor};--ap-color-on-primary:${onColor(p.primaryColor)};` +
    `--ap-color-text:${p.textColor};--ap-color-background:${p.backgroundColor};--ap-color-surface:${p.surfaceColor};`
  );
}

const cssString = (value: string) => value.replace(/[^A-Za-z0-9 ,"'-]/g, '');

/**
 * The store's checkout theme as `:host` rules. They sit below any rule the host
 * page writes for `account-portal`, so the merchant's own CSS always wins. A dark
 * palette applies under `prefers-color-scheme: dark`.
 */
export function themeCss(theme: Theme): string {
  let css = `:host{${paletteRules(theme)}--ap-font-family:${cssString(theme.fontFamily)};--ap-radius:${theme.radius}px;}`;
  if (theme.dark) css += `@media (prefers-color-scheme: dark){:host{${paletteRules(theme.dark)}}}`;
  return css;
}
