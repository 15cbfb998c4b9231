import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { stores } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { themeWarnings } from '../../contract';
import { invalid } from '../../lib/errors';
import { resolveTheme, themeSchema, type CheckoutThemes, type Theme } from '../../lib/theme';
import type { CheckoutName, CheckoutView } from '../../schemas/checkouts';
import type { PortalConfigView } from '../../schemas/portal';
import { getStore } from './stores';
import type { StoreRow } from '../../db/schema';
import { storeSettings } from '../../lib/store-settings';

const storedThemes = (store: StoreRow) => store.checkoutThemes as CheckoutThemes;

/**
 * The theme in effect for one of a store's checkouts and where it comes from: the
 * portal's own, else the default checkout's, else the built-in defaults; with the
 * colours that fall short of WCAG AA contrast.
 */
export function getCheckout(store: StoreRow, checkout: CheckoutName): CheckoutView {
  const themes = storedThemes(store);
  const scoped: CheckoutThemes = checkout === 'portal' ? themes : { default: themes.default };
  const source = themes[checkout]
    ? 'stored'
    : checkout === 'portal' && themes.default
      ? 'default_checkout'
      : 'built_in';
  const theme = resolveTheme(scoped);
  return { checkout, theme, source, warnings: themeWarnings(theme) };
}

/** Stores a checkout's full theme (replacing any earlier one) and returns the checkout. */
export async function setCheckoutTheme(
  db: Db,
  clock: Clock,
  storeId: string,
  checkout: CheckoutName,
  theme: Theme,
): Promise<CheckoutView> {
  // Routes validate at the edge; this holds for every other caller (seeds, scripts) too.
  const parsed = themeSchema.safeParse(theme);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`Invalid theme: ${issue?.path.join('.')}: ${issue?.message}`, { field: issue?.path.join('.') });
  }
  return await db.transaction(async (tx) => {
    const store = await getStore(tx, storeId);
    const checkoutThemes = { ...store.checkoutThemes, [checkout]: parsed.data };
    await tx.update(stores).set({ checkoutThemes, updatedAt: clock.now() }).where(eq(stores.id, storeId));
    return getCheckout({ ...store, checkoutThemes }, checkout);
  });
}

/**
 * Forgets a checkout's own theme: the portal falls back to the default checkout's
 * theme, the default checkout to the built-in one. Returns what applies now.
 */
export async function clearCheckoutTheme(
  db: Db,
  clock: Clock,
  storeId: string,
  checkout: CheckoutName,
): Promise<CheckoutView> {
  return await db.transaction(async (tx) => {
    const store = await getStore(tx, storeId);
    const { [checkout]: _removed, ...checkoutThemes } = storedThemes(store);
    await tx.update(stores).set({ checkoutThemes, updatedAt: clock.now() }).where(eq(stores.id, storeId));
    return getCheckout({ ...store, checkoutThemes }, checkout);
  });
}

/** What the widget needs before anyone signs in: the store, its support contact, features and theme. */
export function getPortalConfig(store: StoreRow): PortalConfigView {
  const settings = storeSettings(store);
  const theme = resolveTheme(store.checkoutThemes);
  return {
    store: { id: store.id, name: store.name },
    logoUrl: theme.logoUrl,
    support: { email: settings.supportEmail, url: settings.supportUrl },
    features: {
      passwordLogin: settings.passwordLogin,
      pauseEnabled: settings.pauseEnabled,
      allowImmediateCancel: settings.allowImmediateCancel,
      maxPausePeriods: settings.maxPausePeriods,
    },
    theme,
  };
}
