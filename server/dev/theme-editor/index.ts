import { Hono, type Context } from 'hono';
import { builtInDarkPalette, themeWarnings } from '../../contract';
import type { Deps } from '../../deps';
import { requestLanguage } from '../../i18n';
import { errorBody, problem } from '../../lib/errors';
import { themeSchema } from '../../lib/theme';
import { apiAuth, type ApiEnv } from '../../middleware/api-auth';
import { zodIssues } from '../../middleware/errors';
import { clientIp } from '../../middleware/portal';
import { limitBody } from '../../middleware/request-limits';
import { authenticateApiCaller } from '../../services/sign-in';
import { getCheckout } from '../../services/stores';
import { editorPolicy, editorScript, renderEditorPage } from './page';
import { createPreview, PREVIEW_PATH, PREVIEW_STORE, type Preview } from './preview';

/** Where the editor lives. */
export const THEME_EDITOR_PATH = '/theme-editor';

/** The editor's JSON bodies are a theme: a few hundred bytes. */
const BODY_LIMIT = 16 * 1024;

/** The page and its answers carry a sign-in URL for the preview: never cached, never framed. */
function private_(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex');
}

/**
 * The routes of the theme editor, under `/theme-editor`:
 *
 * - `GET /` — the editor page, behind the store's Server API credentials (HTTP Basic,
 *   the same check, realm and failure limits as `/api`): the browser asks for them and
 *   remembers them, so the page's "Save" reaches `PUT /api/checkouts/portal` with them.
 * - `POST /check` — the contrast warnings (server/contract/contrast.ts) and validation
 *   of a theme being edited, without storing it; same credentials.
 * - `GET /editor.js` — the page's script.
 * - `/preview/…` — the preview's read-only Portal API over the demo data (preview.ts).
 */
function themeEditorRoutes(deps: Deps, preview: Preview) {
  const authenticate = apiAuth(
    (caller) => authenticateApiCaller(deps.db, caller, deps.clock.now(), deps.metrics),
    (c) => clientIp(c, deps.config.trustProxy ?? false),
  );
  return new Hono<ApiEnv>()
    .get('/editor.js', (c) => {
      const { body, etag } = editorScript();
      c.header('Cache-Control', 'no-cache');
      c.header('ETag', etag);
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      return c.body(body);
    })
    .get('/', authenticate, async (c) => {
      const store = c.get('store');
      const { theme, warnings } = getCheckout(store, 'portal');
      private_(c);
      c.header('Content-Security-Policy', editorPolicy());
      c.header('X-Frame-Options', 'DENY');
      c.header('Vary', 'Accept-Language');
      return c.html(
        renderEditorPage({
          store: { id: store.id, name: store.name },
          theme,
          warnings,
          builtInDark: builtInDarkPalette(theme.primaryColor),
          preview: { base: PREVIEW_PATH, store: PREVIEW_STORE, authUrl: await preview.authUrl() },
          language: requestLanguage(c.req.query('lang'), c.req.header('accept-language')),
        }),
      );
    })
    .post('/check', authenticate, limitBody(BODY_LIMIT), async (c) => {
      private_(c);
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw problem('unsupported_media_type');
      const body: unknown = await c.req.json().catch(() => {
        throw problem('invalid_json');
      });
      const parsed = themeSchema.safeParse(body);
      if (!parsed.success) {
        return c.json(errorBody('validation_failed', 'The theme is invalid.', zodIssues(parsed.error)), 422);
      }
      return c.json({
        warnings: themeWarnings(parsed.data),
        builtInDark: builtInDarkPalette(parsed.data.primaryColor),
      });
    });
}

/**
 * The theme editor, ready to be mounted: outside production always (unless
 * `THEME_EDITOR=false`), in production only with `THEME_EDITOR=true` or
 * `npm start -- --theme-editor` (main.ts decides).
 */
export function createThemeEditor(deps: Deps): { mount(app: Hono): void } {
  const preview = createPreview(deps);
  return {
    mount(app) {
      app.route(PREVIEW_PATH, preview.routes());
      app.route(THEME_EDITOR_PATH, themeEditorRoutes(deps, preview));
    },
  };
}
