/**
 * The Portal API shapes the widget reads. Types only: the widget never imports
 * server code at run time, so both halves agree at compile time and the bundle
 * carries none of it.
 */
export type { PortalAccountView } from '../../server/schemas/portal';
export type { Theme } from '../../server/lib/theme';

/** `GET /portal/{store}/config`: the store's name, support contact, features and checkout theme. */
export interface PortalConfig {
  store: { id: string; name: string };
  logoUrl: string | null;
  support: { email: string | null; url: string | null };
  features: { passwordLogin: boolean; pauseEnabled: boolean; allowImmediateCancel: boolean };
  theme: import('../../server/lib/theme').Theme;
}
