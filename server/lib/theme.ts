import { z } from 'zod';
import { builtInDarkPalette, colorSchemes, themeSchemes, type Palette, type SchemeColours } from '../contract';
import { isSettingUrl, settingUrl } from './setting-urls';

const color = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'A colour is #rgb or #rrggbb.');

/** Colours of one colour scheme. */
export const paletteSchema = z
  .object({
    primaryColor: color,
    textColor: color,
    backgroundColor: color,
    surfaceColor: color,
  })
  .strict();

/**
 * The look of a checkout, which the portal and its emails mirror: colours (with an
 * optional dark palette, and which colour schemes to show), a font family name and a
 * corner radius, and the logo.
 */
export const themeSchema = paletteSchema
  .extend({
    fontFamily: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9 ,"'-]+$/, 'Font names are letters, digits, spaces, quotes, dashes and commas.'),
    radius: z.number().int().min(0).max(32),
    logoUrl: settingUrl(['https:']).nullable(),
    dark: paletteSchema.nullable(),
    /**
     * `auto` (also when absent): the light palette, and under `prefers-color-scheme: dark` the
     * dark one (`dark`, else the portal's built-in dark palette); `light` or `dark`: always that one.
     */
    colorScheme: z.enum(colorSchemes).optional(),
  })
  .strict();

export type Theme = z.infer<typeof themeSchema>;

/** The theme a store has before the merchant sets one. */
export const defaultTheme: Theme = {
  primaryColor: '#4f46e5',
  textColor: '#1f2937',
  backgroundColor: '#ffffff',
  surfaceColor: '#f8fafc',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  radius: 8,
  logoUrl: null,
  dark: null,
};

/** Checkout themes as stored on a store, keyed by checkout. */
export interface CheckoutThemes {
  default?: Partial<Theme>;
  portal?: Partial<Theme>;
}

/**
 * The portal's theme: its own checkout's, falling back to the default checkout's,
 * then to built-in defaults. A logo URL stored before URLs were checked, and not
 * https, is dropped, so it reaches neither the widget nor an email.
 */
export function resolveTheme(themes: CheckoutThemes | Record<string, unknown> | null | undefined): Theme {
  const stored = (themes ?? {}) as CheckoutThemes;
  const theme = { ...defaultTheme, ...stored.default, ...stored.portal };
  return isSettingUrl(theme.logoUrl, ['https:']) ? theme : { ...theme, logoUrl: null };
}

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** A palette with every colour a valid hex, falling back colour by colour (stored themes predate some checks). */
function validPalette(palette: Partial<Palette>, fallback: Palette): Palette {
  const pick = (key: keyof Palette) => (HEX.test(palette[key] ?? '') ? palette[key]!.trim() : fallback[key]);
  return {
    primaryColor: pick('primaryColor'),
    textColor: pick('textColor'),
    backgroundColor: pick('backgroundColor'),
    surfaceColor: pick('surfaceColor'),
  };
}

/**
 * The colour schemes a theme shows, as the widget derives them (server/contract/contrast.ts):
 * for the pages around the widget (the hosted page, the card pages), so they match it.
 */
export function themeColourSchemes(theme: Theme): { light: SchemeColours | null; dark: SchemeColours | null } {
  const light = validPalette(theme, defaultTheme);
  const dark = theme.dark ? validPalette(theme.dark, builtInDarkPalette(light.primaryColor)) : null;
  return themeSchemes({ ...light, dark, colorScheme: theme.colorScheme });
}

/**
 * CSS rules for a page's root, light and dark as the theme shows them: `vars` writes one
 * scheme's custom properties, `color-scheme` comes first.
 */
export function colourSchemeCss(theme: Theme, vars: (colours: SchemeColours) => string): string {
  const { light, dark } = themeColourSchemes(theme);
  const rules = (c: SchemeColours) => `:root{color-scheme:${c.scheme};${vars(c)}}`;
  if (!light) return rules(dark!);
  return dark ? `${rules(light)}@media (prefers-color-scheme:dark){${rules(dark)}}` : rules(light);
}
