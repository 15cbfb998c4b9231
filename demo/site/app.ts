import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { projectPath } from '../../server/lib/project-root';
import { DEMO_SAAS_USER_EMAIL, DEMO_SAAS_USER_ID } from '../data';
import { dashboardPage } from './pages/dashboard';
import { shopPage } from './pages/shop';
import { createPortalSession, PortalApiError, type PortalServerApi } from './portal-session';
import { pauseInsteadOfCancel } from './retention';

export interface DemoSiteOptions {
  /** The portal server as browsers reach it: the widget's script and API (`PUBLIC_BASE_URL`). */
  portalPublicUrl: string;
  /** This site's own origin, shown on its pages. */
  siteUrl: string;
  /** The portal's Server API as this site's backend reaches it, with the demo store's credentials. */
  serverApi: PortalServerApi;
}

const assets: Record<string, string> = {
  'shop.css': 'text/css; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
};

const saasUser = { name: "Liam O'Brien", email: DEMO_SAAS_USER_EMAIL, customUserId: DEMO_SAAS_USER_ID };

/**
 * The pages' policy, as a careful merchant would write it: scripts from this site
 * and the portal's origin only (nothing inline), API calls to the same two, and
 * frames only from the portal (the payment gateway's card page that "Add a payment
 * method" opens in a dialog).
 */
function contentSecurityPolicy(portalOrigin: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${portalOrigin}`,
    `connect-src 'self' ${portalOrigin}`,
    `frame-src ${portalOrigin}`,
    "style-src 'self'",
    "img-src 'self' https: data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * The demo merchant's own web site, served from a different origin than the portal
 * to prove cross-origin embedding: `GET /` a shop page with the widget, `GET /app` a
 * SaaS dashboard with a "Manage subscription" panel, and that app's backend routes:
 * `GET /api/portal-session` opens the portal for its signed-in user, and
 * `POST /api/retention/pause` pauses their subscription when they take the
 * retention offer instead of canceling, both through the Server API. A Hono app
 * of its own; it reaches the portal only over HTTP.
 */
export function createDemoSite(options: DemoSiteOptions) {
  const portalOrigin = new URL(options.portalPublicUrl).origin;
  const csp = contentSecurityPolicy(portalOrigin);
  return (
    new Hono()
      .use('*', async (c, next) => {
        await next();
        c.header('X-Content-Type-Options', 'nosniff');
        if (c.res.headers.get('content-type')?.startsWith('text/html')) c.header('Content-Security-Policy', csp);
      })
      .get('/', (c) => c.html(shopPage({ portal: options.portalPublicUrl, site: options.siteUrl })))
      .get('/app', (c) => c.html(dashboardPage({ portal: options.portalPublicUrl }, saasUser)))
      // In a real app this route sits behind the app's own login; the demo's user is always Liam.
      .get('/api/portal-session', async (c) => {
        c.header('Cache-Control', 'no-store');
        try {
          return c.json(await createPortalSession(options.serverApi, saasUser.customUserId));
        } catch (error) {
          if (!(error instanceof PortalApiError)) throw error;
          return c.json({ error: { code: 'portal_unavailable', message: error.message } }, 502);
        }
      })
      // The retention offer's "Pause for a month instead" (assets/dashboard.js), behind the same login.
      .post('/api/retention/pause', async (c) => {
        c.header('Cache-Control', 'no-store');
        const body = (await c.req.json().catch(() => null)) as { subscriptionId?: unknown } | null;
        if (typeof body?.subscriptionId !== 'string') {
          return c.json({ error: { code: 'validation_failed', message: 'Send { "subscriptionId": "sub_…" }.' } }, 422);
        }
        try {
          return c.json(await pauseInsteadOfCancel(options.serverApi, saasUser.customUserId, body.subscriptionId));
        } catch (error) {
          if (!(error instanceof PortalApiError)) throw error;
          if (error.status === 404) return c.json({ error: { code: 'not_found', message: error.message } }, 404);
          return c.json({ error: { code: 'portal_unavailable', message: error.message } }, 502);
        }
      })
      .get('/assets/:name', (c) => {
        const name = c.req.param('name');
        const type = assets[name];
        if (!type) return c.text('Not found', 404);
        c.header('Cache-Control', 'no-cache');
        return c.body(readFileSync(projectPath('demo/site/assets', name), 'utf8'), 200, { 'Content-Type': type });
      })
      .get('/favicon.ico', (c) => c.body(null, 204))
  );
}
