/**
 * Colour contrast (WCAG 2.x) and the colours the portal derives from a store's
 * theme: the text on the primary colour, a primary that reads as text, muted text,
 * and danger, success and warning colours that keep AA contrast on the theme's
 * backgrounds — and a built-in dark palette for themes without one. The widget turns
 * these into CSS; the server's theme API warns with them. Pure and dependency-free.
 */

/** The colours of one colour scheme, as a theme stores them (`#rgb` or `#rrggbb`). */
export interface Palette {
  primaryColor: string;
  textColor: string;
  backgroundColor: string;
  surfaceColor: string;
}

/** What of a theme decides its colour schemes. */
export interface ThemeColours extends Palette {
  dark: Palette | null;
  /** `auto` (the default): light, and dark when the customer prefers it; `light` or `dark`: always that one. */
  colorScheme?: ColorScheme;
}

export const colorSchemes = ['auto', 'light', 'dark'] as const;
export type ColorScheme = (typeof colorSchemes)[number];

/** AA for normal text. */
export const TEXT_CONTRAST = 4.5;

/**
 * The strongest tint of a status or primary colour the portal puts under text of that
 * colour (badges, notices: `color-mix(in srgb, colour ≤14%, background)`). Derived
 * colours keep their contrast on such a tint too.
 */
export const MAX_TINT = 0.14;

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  const digits = hex.trim().slice(1);
  const full = digits.length === 3 ? [...digits].map((c) => c + c).join('') : digits;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

const hexOf = (rgb: Rgb): string =>
  `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** Relative luminance of a `#rgb` / `#rrggbb` colour (WCAG 2.x). */
export function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex)
    .map((c) => c / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** `weight` of `a` mixed into `b` in sRGB, as CSS `color-mix(in srgb, a weight, b)` does it. */
export function mix(a: string, b: string, weight: number): string {
  const [x, y] = [rgbOf(a), rgbOf(b)];
  return hexOf(x.map((c, i) => c * weight + y[i] * (1 - weight)) as Rgb);
}

const WHITE = '#ffffff';
const NEAR_BLACK = '#111827';
const BLACK = '#000000';

/** Text that reads on `background`: white or near-black, whichever contrasts more (black when near-black falls short). */
export function readableOn(background: string): string {
  const [best] = [WHITE, NEAR_BLACK].sort((a, b) => contrastRatio(b, background) - contrastRatio(a, background));
  return contrastRatio(best, background) >= TEXT_CONTRAST ? best : BLACK;
}

/** Whether a background is dark (white text reads better on it than black). */
export const isDark = (background: string): boolean =>
  contrastRatio(WHITE, background) > contrastRatio(BLACK, background);

/** How a colour reads as text on some backgrounds, and on its own tints of the first. */
function worstContrast(colour: string, backgrounds: readonly string[]): number {
  const tint = mix(colour, backgrounds[0], MAX_TINT);
  return Math.min(...[...backgrounds, tint].map((background) => contrastRatio(colour, background)));
}

/**
 * `colour`, or the closest shade of it (mixed towards black on light backgrounds, towards
 * white on dark ones) that reaches `min` against every background and against its own
 * tint of the first. `reached` is false when even black or white does not.
 */
export function readableShade(
  colour: string,
  backgrounds: readonly string[],
  min = TEXT_CONTRAST,
): { colour: string; ratio: number; reached: boolean } {
  const passes = (candidate: string) => worstContrast(candidate, backgrounds) >= min;
  const own = worstContrast(colour, backgrounds);
  if (own >= min) return { colour, ratio: own, reached: true };
  const towards = isDark(backgrounds[0]) ? WHITE : BLACK;
  if (!passes(towards)) return { colour: towards, ratio: worstContrast(towards, backgrounds), reached: false };
  // The least mixing that passes: a bisection over the share of black or white.
  let [low, high] = [0, 1];
  for (let step = 0; step < 16; step++) {
    const middle = (low + high) / 2;
    if (passes(mix(towards, colour, middle))) high = middle;
    else low = middle;
  }
  const shade = mix(towards, colour, high);
  return { colour: shade, ratio: worstContrast(shade, backgrounds), reached: true };
}

/** The built-in dark backdrop, text and surfaces, used when a theme brings no dark palette. */
export const builtInDark: Omit<Palette, 'primaryColor'> = {
  textColor: '#e6e9ef',
  backgroundColor: '#161b26',
  surfaceColor: '#0c111d',
};

/** The built-in dark palette for a theme: its primary colour, lightened until it reads as text on the dark background. */
export function builtInDarkPalette(primaryColor: string): Palette {
  const backgrounds = [builtInDark.backgroundColor, builtInDark.surfaceColor];
  return { ...builtInDark, primaryColor: readableShade(primaryColor, backgrounds).colour };
}

/** Status colours before they are fitted to a palette: for light backgrounds and for dark ones. */
const statusBase = {
  light: { danger: '#b42318', success: '#067647', warning: '#93370d' },
  dark: { danger: '#fd8a80', success: '#47cd89', warning: '#fdb022' },
} as const;

/** How much of the text colour the muted colour has (mixed into the background), unless contrast needs more. */
const MUTED_WEIGHT = 0.74;

/** Every colour the portal uses in one scheme, each readable where the portal puts it. */
export interface SchemeColours {
  scheme: 'light' | 'dark';
  primary: string;
  /** Text on the primary colour (buttons). */
  onPrimary: string;
  /** The primary colour as text, links, the active tab and focus rings: 4.5:1 on background and surface. */
  primaryText: string;
  text: string;
  background: string;
  surface: string;
  /** Secondary text: the text colour mixed into the background, as far as contrast allows. */
  muted: string;
  /** How much of the text colour `muted` has (0.74 unless the palette needs more). */
  mutedWeight: number;
  danger: string;
  onDanger: string;
  success: string;
  onSuccess: string;
  warning: string;
}

/** The colours of one palette. */
export function schemeColours(palette: Palette): SchemeColours {
  const background = palette.backgroundColor;
  const surface = palette.surfaceColor;
  const backgrounds = [background, surface];
  const scheme = isDark(background) ? 'dark' : 'light';
  const fit = (colour: string) => readableShade(colour, backgrounds).colour;
  let mutedWeight = MUTED_WEIGHT;
  while (
    mutedWeight < 1 &&
    Math.min(...backgrounds.map((b) => contrastRatio(mix(palette.textColor, background, mutedWeight), b))) <
      TEXT_CONTRAST
  ) {
    mutedWeight = Math.min(1, Math.round((mutedWeight + 0.02) * 100) / 100);
  }
  const base = statusBase[scheme];
  const danger = fit(base.danger);
  const success = fit(base.success);
  return {
    scheme,
    primary: palette.primaryColor,
    onPrimary: readableOn(palette.primaryColor),
    primaryText: fit(palette.primaryColor),
    text: palette.textColor,
    background,
    surface,
    muted: mix(palette.textColor, background, mutedWeight),
    mutedWeight,
    danger,
    onDanger: readableOn(danger),
    success,
    onSuccess: readableOn(success),
    warning: fit(base.warning),
  };
}

/** The palettes a theme shows: light, dark or both, per its `colorScheme`; the dark one built in when it has none. */
export function themeSchemes(theme: ThemeColours): { light: SchemeColours | null; dark: SchemeColours | null } {
  const scheme = theme.colorScheme ?? 'auto';
  const dark = () => schemeColours(theme.dark ?? builtInDarkPalette(theme.primaryColor));
  return {
    light: scheme === 'dark' ? null : schemeColours(theme),
    dark: scheme === 'light' ? null : dark(),
  };
}

/** A colour of a theme that falls short of WCAG AA where the portal uses it. */
export interface ContrastWarning {
  /**
   * `primary_adjusted`: the primary colour is too light or dark for text on the background; links,
   * the active tab and focus rings use `replacement` instead. `text_contrast`: the text colour falls
   * short on the background or surface, and the portal keeps it as it is.
   */
  code: 'primary_adjusted' | 'text_contrast';
  /** The theme field, such as `primaryColor` or `dark.textColor`. */
  field: string;
  /** The field it was measured against. */
  against: string;
  ratio: number;
  required: number;
  replacement: string | null;
  message: string;
}

const round = (ratio: number) => Math.floor(ratio * 100) / 100;

function paletteWarnings(palette: Palette, prefix: string): ContrastWarning[] {
  const warnings: ContrastWarning[] = [];
  const name = (field: keyof Palette) => `${prefix}${field}`;
  for (const field of ['backgroundColor', 'surfaceColor'] as const) {
    const ratio = contrastRatio(palette.textColor, palette[field]);
    if (ratio >= TEXT_CONTRAST) continue;
    warnings.push({
      code: 'text_contrast',
      field: name('textColor'),
      against: name(field),
      ratio: round(ratio),
      required: TEXT_CONTRAST,
      replacement: null,
      message:
        `${name('textColor')} ${palette.textColor} has a contrast of ${round(ratio)}:1 on ${name(field)} ` +
        `${palette[field]}; text needs ${TEXT_CONTRAST}:1 (WCAG AA). Choose a darker or lighter text colour.`,
    });
  }
  const colours = schemeColours(palette);
  if (colours.primaryText !== palette.primaryColor) {
    const plain = (field: 'backgroundColor' | 'surfaceColor') => ({
      field,
      on: palette[field],
      what: `${name(field)} ${palette[field]}`,
    });
    const worst = [
      plain('backgroundColor'),
      plain('surfaceColor'),
      {
        field: 'backgroundColor' as const,
        on: mix(palette.primaryColor, palette.backgroundColor, MAX_TINT),
        what: `the badges' background (${Math.round(MAX_TINT * 100)}% of it in ${name('backgroundColor')} ${palette.backgroundColor})`,
      },
    ]
      .map((candidate) => ({ ...candidate, ratio: contrastRatio(palette.primaryColor, candidate.on) }))
      .sort((a, b) => a.ratio - b.ratio)[0];
    warnings.push({
      code: 'primary_adjusted',
      field: name('primaryColor'),
      against: name(worst.field),
      ratio: round(worst.ratio),
      required: TEXT_CONTRAST,
      replacement: colours.primaryText,
      message:
        `${name('primaryColor')} ${palette.primaryColor} has a contrast of ${round(worst.ratio)}:1 on ${worst.what}; ` +
        `links, the active tab, badges and focus rings need ${TEXT_CONTRAST}:1 (WCAG AA), so the portal shows ` +
        `them in ${colours.primaryText}. Buttons keep ${palette.primaryColor} with ${colours.onPrimary} text.`,
    });
  }
  return warnings;
}

/**
 * What of a theme cannot be shown as given at WCAG AA contrast: the palettes the theme
 * really shows (the built-in dark one is the portal's own and always passes).
 */
export function themeWarnings(theme: ThemeColours): ContrastWarning[] {
  const scheme = theme.colorScheme ?? 'auto';
  return [
    ...(scheme === 'dark' ? [] : paletteWarnings(theme, '')),
    ...(scheme === 'light' || !theme.dark ? [] : paletteWarnings(theme.dark, 'dark.')),
  ];
}
