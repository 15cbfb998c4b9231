import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import { requestLanguage, type Language } from '../i18n';
import { styleHashSource } from '../lib/html';
import { renderStripeSetupPage, stripeSetupPolicy, stripeSetupScript } from '../payments/stripe/setup-page';
import type { StripeGateway } from '../payments/stripe/stripe-gateway';
import { renderSetupMessagePage, setupPageCss } from '../payments/test-gateway-page';
import { getAccount } from '../services/accounts';
import { setupForPage, setupParentOrigins } from '../services/billing';
import { getPortalConfig } from '../services/stores';

const pageLanguage = (c: Context): Language => requestLanguage(c.req.query('lang'), c.req.header('accept-language'));

function headers(c: Context, policy: string): void {
  c.header('Content-Security-Policy', policy);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  c.header('Vary', 'Accept-Language');
}

/**
 * The Stripe gateway's pages, mounted at `/gateway/stripe` only with the Stripe
 * gateway: `GET /setup/{setupId}` mounts Stripe's Payment Element on the setup's
 * SetupIntent (made once per setup, for the account's Stripe customer), framed
 * only by the store's allowed origins and the portal; `GET /setup.js` its script.
 */
export function stripeGatewayRoutes(deps: Pick<Deps, 'db' | 'clock' | 'config'>, gateway: StripeGateway) {
  return new Hono()
    .get('/setup.js', (c) => {
      const { body, etag } = stripeSetupScript();
      c.header('Cache-Control', 'public, max-age=300');
      c.header('ETag', etag);
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      return c.body(body);
    })
    .get('/setup/:setupId', async (c) => {
      const language = pageLanguage(c);
      const found = await setupForPage(deps.db, c.req.param('setupId'), gateway.name, deps.clock.now());
      const customerId =
        found.state === 'open'
          ? (await getAccount(deps.db, found.store.id, found.setup.accountId)).processorCustomerId
          : null;
      if (found.state !== 'open' || !customerId) {
        const css = setupPageCss();
        headers(c, `default-src 'none'; style-src ${styleHashSource(css)}; frame-ancestors *`);
        const state = found.state === 'open' ? 'unknown' : found.state;
        return c.html(renderSetupMessagePage(language, state, css), state === 'unknown' ? 404 : 410);
      }
      const { clientSecret } = await gateway.setupIntentFor(found.setup.id, customerId);
      const parentOrigins = setupParentOrigins(found.store, deps.config.publicBaseUrl);
      const css = setupPageCss(getPortalConfig(found.store).theme);
      headers(c, stripeSetupPolicy(css, parentOrigins.join(' '), gateway.browser));
      const returnUrl = `${deps.config.publicBaseUrl}/gateway/stripe/setup/${encodeURIComponent(found.setup.id)}?lang=${language}`;
      return c.html(
        renderStripeSetupPage({
          language,
          setupId: found.setup.id,
          parentOrigins,
          css,
          publishableKey: gateway.publishableKey,
          clientSecret,
          stripeJsUrl: gateway.browser.stripeJsUrl,
          returnUrl,
        }),
      );
    });
}
