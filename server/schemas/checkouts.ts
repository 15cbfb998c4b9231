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
      'customer prefers a dark colour scheme), a CSS font family list, a corner radius in pixels (0–32) and an ' +
      'https logo URL.',
    example: { ...defaultTheme, logoUrl: 'https://shop.example/logo.svg' },
  });

export const checkoutParam = z.object({
  checkout: z.enum(checkoutNames).openapi({ param: { name: 'checkout', in: 'path' }, example: 'portal' }),
});

export const checkoutSchema = z
  .object({
    checkout: z.enum(checkoutNames),
    theme: themeSchema.openapi({ description: 'The theme in effect for this checkout.' }),
    source: z.enum(['stored', 'default_checkout', 'built_in']).openapi({
      description:
        '`stored`: set for this checkout; `default_checkout`: the portal has none of its own and uses ' +
        "the default checkout's; `built_in`: nothing is set, the built-in defaults apply.",
    }),
  })
  .openapi('Checkout');

export type CheckoutView = z.infer<typeof checkoutSchema>;
