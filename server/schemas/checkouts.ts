import { z } from '@hono/zod-openapi';
import { defaultTheme, themeSchema as baseThemeSchema } from '../lib/theme';

/** The checkouts a store can theme: its default checkout and the portal's own. */
export const checkoutNames = ['default', 'portal'] as const;
export type CheckoutName = (typeof checkoutNames)[number];

// Rebuilt from its shape here because lib/ schemas are created without the OpenAPI extension.
export const themeSchema = z
  .object(baseThemeSchema.shape)
  .strict()
  .openapi('Theme', {
    description:
      'The look of a checkout: colours #rgb or #rrggbb (with an optional dark palette used when the ' +
      'customer prefers a dark colour scheme; without one the portal derives its built-in dark palette from ' +
      '`primaryColor`), a CSS font family list, a corner radius in pixels (0–32) and an https logo URL. ' +
      '`colorScheme` (optional, `auto` when absent) chooses the schemes the portal shows: `auto` light, and dark ' +
      'when the customer prefers it; `light` or `dark` always that one.',
    example: { ...defaultTheme, logoUrl: 'https://shop.example/logo.svg' },
  });

export const checkoutParam = z.object({
  checkout: z.enum(checkoutNames).openapi({ param: { name: 'checkout', in: 'path' }, example: 'portal' }),
});

/** A theme colour that cannot be shown as given at WCAG AA contrast (server/contract/contrast.ts). */
export const contrastWarningSchema = z
  .object({
    code: z.enum(['primary_adjusted', 'text_contrast']).openapi({
      description:
        '`primary_adjusted`: the primary colour is too light or too dark for text on the background; the portal ' +
        'shows links, the active tab and focus rings in `replacement` (buttons keep the colour, with a readable ' +
        'text on it). `text_contrast`: the text colour falls short on the background or surface; the portal ' +
        'keeps it as it is.',
    }),
    field: z.string().openapi({ description: 'The theme field, such as `primaryColor` or `dark.textColor`.' }),
    against: z.string().openapi({ description: 'The field it was measured against, such as `backgroundColor`.' }),
    ratio: z.number().openapi({ description: 'The contrast ratio it has (rounded down).', example: 1.53 }),
    required: z.number().openapi({ description: 'The ratio WCAG AA asks for text.', example: 4.5 }),
    replacement: z
      .string()
      .nullable()
      .openapi({ description: 'The colour the portal uses in its place, if any.', example: '#7a5f00' }),
    message: z.string().openapi({ description: 'The same in plain English.' }),
  })
  .openapi('ContrastWarning');

export const checkoutSchema = z
  .object({
    checkout: z.enum(checkoutNames),
    theme: themeSchema.openapi({ description: 'The theme in effect for this checkout.' }),
    source: z.enum(['stored', 'default_checkout', 'built_in']).openapi({
      description:
        '`stored`: set for this checkout; `default_checkout`: the portal has none of its own and uses ' +
        "the default checkout's; `built_in`: nothing is set, the built-in defaults apply.",
    }),
    warnings: z.array(contrastWarningSchema).openapi({
      description:
        'Colours of the theme in effect that cannot be shown as given at WCAG AA contrast (4.5:1 for text), in ' +
        'the palettes the theme shows. Empty when every colour passes. The theme is stored and used all the same.',
    }),
  })
  .openapi('Checkout');

export type CheckoutView = z.infer<typeof checkoutSchema>;
