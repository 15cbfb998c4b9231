import { themeSchemes, type SchemeColours } from '../../server/contract';
import type { Theme } from './types';

/**
 * One colour scheme as custom properties. The primary as text and the muted colour
 * follow `--ap-color-primary` and `--ap-color-text` (so a page that sets those itself
 * sees its colours everywhere) unless the theme's own colours fall short of 4.5:1;
 * each scheme sets both, so that nothing of the light one carries into the dark one.
 */
export function schemeRules(c: SchemeColours): string {
  const primaryText = c.primaryText === c.primary ? 'var(--ap-color-primary)' : c.primaryText;
  const muted =
    c.mutedWeight === 0.74 ? 'color-mix(in srgb, var(--ap-color-text) 74%, var(--ap-color-background))' : c.muted;
  return (
    `color-scheme:${c.scheme};` +
    `--ap-color-primary:${c.primary};--ap-color-on-primary:${c.onPrimary};--ap-color-primary-text:${primaryText};` +
    `--ap-color-text:${c.text};--ap-color-background:${c.background};--ap-color-surface:${c.surface};` +
    `--ap-color-muted:${muted};` +
    `--ap-color-danger:${c.danger};--ap-color-on-danger:${c.onDanger};` +
    `--ap-color-success:${c.success};--ap-color-on-success:${c.onSuccess};--ap-color-warning:${c.warning};`
  );
}

/** The rules of the schemes a theme shows: light, dark, or light with dark under `prefers-color-scheme: dark`. */
export function schemesCss(
  theme: Pick<Theme, 'primaryColor' | 'textColor' | 'backgroundColor' | 'surfaceColor' | 'dark' | 'colorScheme'>,
): string {
  const { light, dark } = themeSchemes(theme);
  if (!light) return `:host{${schemeRules(dark!)}}`;
  const base = `:host{${schemeRules(light)}}`;
  return dark ? `${base}@media (prefers-color-scheme: dark){:host{${schemeRules(dark)}}}` : base;
}

const cssString = (value: string) => value.replace(/[^A-Za-z0-9 ,"'-]/g, '');

/**
 * The store's checkout theme as `:host` rules. They sit below any rule the host
 * page writes for `account-portal`, so the merchant's own CSS always wins. Under
 * `prefers-color-scheme: dark` the theme's dark palette applies, or the portal's
 * built-in one, unless the theme's `colorScheme` is `light` (or `dark`: always dark).
 */
export function themeCss(theme: Theme): string {
  return `${schemesCss(theme)}:host{--ap-font-family:${cssString(theme.fontFamily)};--ap-radius:${theme.radius}px;}`;
}
