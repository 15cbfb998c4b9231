import { z } from 'zod';
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
 * optional dark palette), a font family name and a corner radius, and the logo.
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
