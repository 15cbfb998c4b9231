import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { stores } from '../../server/db/schema';
import { contrastRatio } from '../../server/contract';
import { defaultTheme, type Theme } from '../../server/lib/theme';
import { createTestContext, json, type TestContext } from '../helpers/app';
import { portal, setSetting } from '../helpers/portal';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});

const brand: Theme = {
  primaryColor: '#be123c',
  textColor: '#111',
  backgroundColor: '#fffdf7',
  surfaceColor: '#f5f0e6',
  fontFamily: '"Inter", sans-serif',
  radius: 12,
  logoUrl: 'https://cdn.shop.example/logo.svg',
  dark: { primaryColor: '#fb7185', textColor: '#f5f5f5', backgroundColor: '#111827', surfaceColor: '#1f2937' },
};
const portalLook: Theme = { ...brand, primaryColor: '#115e59', radius: 0, logoUrl: null, dark: null };

const config = async () => {
  const response = await portal(t, 'GET', '/config');
  assert.equal(response.status, 200);
  return json(response);
};

describe('GET /portal/{store}/config', () => {
  test('is public, revalidated on every load (no-cache with an ETag), and without a theme set uses the built-in defaults', async () => {
    const response = await portal(t, 'GET', '/config');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.match(response.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(await json(response), {
      store: { id: 'shop', name: 'Store shop' },
      logoUrl: null,
      support: { email: null, url: null },
      features: { passwordLogin: false, pauseEnabled: false, allowImmediateCancel: false, maxPausePeriods: 3 },
      theme: defaultTheme,
    });
  });

  test('answers 304 to its ETag until the theme changes, then the new theme with a new ETag', async () => {
    const first = await portal(t, 'GET', '/config');
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    const unchanged = await portal(t, 'GET', '/config', undefined, { headers: { 'if-none-match': etag } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.get('etag'), etag);
    assert.equal(unchanged.headers.get('cache-control'), 'no-cache');
    assert.equal(await unchanged.text(), '');

    assert.equal((await t.api('PUT', '/api/checkouts/default', brand)).status, 200);
    const changed = await portal(t, 'GET', '/config', undefined, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200, 'the next page load sees the new theme');
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.deepEqual((await json(changed)).theme, brand);
  });

  test('a 304 keeps the CORS headers of an allowed origin', async () => {
    const first = await portal(t, 'GET', '/config', undefined, { headers: { origin: 'https://shop.example' } });
    assert.equal(first.status, 200);
    const again = await portal(t, 'GET', '/config', undefined, {
      headers: { origin: 'https://shop.example', 'if-none-match': first.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(again.headers.get('vary') ?? '', /Origin/);
  });

  test('falls back from the portal checkout to the default checkout to the defaults', async () => {
    assert.equal((await t.api('PUT', '/api/checkouts/default', brand)).status, 200);
    const fromDefault = await config();
    assert.deepEqual(fromDefault.theme, brand);
    assert.equal(fromDefault.logoUrl, 'https://cdn.shop.example/logo.svg');

    assert.equal((await t.api('PUT', '/api/checkouts/portal', portalLook)).status, 200);
    const fromPortal = await config();
    assert.deepEqual(fromPortal.theme, portalLook);
    assert.equal(fromPortal.logoUrl, null);

    const other = await t.addStore('other');
    assert.deepEqual(
      (await json(await portal(t, 'GET', '/config', undefined, { store: other }))).theme,
      defaultTheme,
      'another store keeps its own look',
    );
  });

  test("shows the store's support contact and enabled features", async () => {
    await setSetting(t, 'supportEmail', 'help@shop.example');
    await setSetting(t, 'supportUrl', 'https://shop.example/help');
    await setSetting(t, 'passwordLogin', 'true');
    await setSetting(t, 'pauseEnabled', 'true');
    const body = await config();
    assert.deepEqual(body.support, { email: 'help@shop.example', url: 'https://shop.example/help' });
    assert.deepEqual(body.features, {
      passwordLogin: true,
      pauseEnabled: true,
      allowImmediateCancel: false,
      maxPausePeriods: 3,
    });
  });

  test("answers CORS for the store's allowed origins only; other Portal responses stay uncached", async () => {
    const allowed = await portal(t, 'GET', '/config', undefined, { headers: { origin: 'https://shop.example' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);
    const foreign = await portal(t, 'GET', '/config', undefined, { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 200);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const personal = await portal(t, 'POST', '/login-links', { email: 'ada@example.com' });
    assert.equal(personal.status, 202);
    assert.equal(personal.headers.get('cache-control'), 'no-store');
    assert.equal((await portal(t, 'GET', '/me')).headers.get('cache-control'), 'no-store');
  });

  test('never hands out a support URL or logo stored before URLs were checked', async () => {
    const stored = {
      settings: { supportUrl: 'javascript:alert(document.cookie)', pauseEnabled: true },
      checkoutThemes: { portal: { ...brand, logoUrl: 'https://cdn.shop.example/logo.svg" onerror="alert(1)' } },
    };
    await t.db.update(stores).set(stored).where(eq(stores.id, t.store.id));
    const body = await config();
    assert.deepEqual(body.support, { email: null, url: null });
    assert.equal(body.logoUrl, null);
    assert.equal(body.theme.logoUrl, null);
    assert.equal(body.features.pauseEnabled, true, 'the valid settings beside it still apply');
  });

  test('is a 404 for an unknown store', async () => {
    const response = await t.app.request('/portal/nope/config');
    assert.equal(response.status, 404);
    assert.equal((await json(response)).error.code, 'store_not_found');
  });
});

describe('/api/checkouts/{checkout}', () => {
  test('GET says which theme applies and where it comes from', async () => {
    const before = await t.api('GET', '/api/checkouts/portal');
    assert.equal(before.status, 200);
    assert.equal(before.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await json(before), { checkout: 'portal', theme: defaultTheme, source: 'built_in', warnings: [] });

    const put = await t.api('PUT', '/api/checkouts/default', brand);
    assert.deepEqual(await json(put), { checkout: 'default', theme: brand, source: 'stored', warnings: [] });
    assert.deepEqual(await json(await t.api('GET', '/api/checkouts/portal')), {
      checkout: 'portal',
      theme: brand,
      source: 'default_checkout',
      warnings: [],
    });

    assert.equal((await t.api('PUT', '/api/checkouts/portal', portalLook)).status, 200);
    assert.deepEqual(await json(await t.api('GET', '/api/checkouts/portal')), {
      checkout: 'portal',
      theme: portalLook,
      source: 'stored',
      warnings: [],
    });
    assert.deepEqual(
      await json(await t.api('GET', '/api/checkouts/default')),
      { checkout: 'default', theme: brand, source: 'stored', warnings: [] },
      'the default checkout is unaffected',
    );
  });

  test("DELETE removes a checkout's own theme: the portal falls back to the default checkout, that one to the built-in theme", async () => {
    assert.equal((await t.api('PUT', '/api/checkouts/default', brand)).status, 200);
    assert.equal((await t.api('PUT', '/api/checkouts/portal', portalLook)).status, 200);
    const removed = await t.api('DELETE', '/api/checkouts/portal');
    assert.equal(removed.status, 200);
    assert.deepEqual(await json(removed), {
      checkout: 'portal',
      theme: brand,
      source: 'default_checkout',
      warnings: [],
    });
    const config = await json(await t.app.request(`/portal/${t.store.id}/config`));
    assert.equal(config.theme.primaryColor, brand.primaryColor, "the widget gets the default checkout's theme");
    assert.deepEqual(
      await json(await t.api('DELETE', '/api/checkouts/portal')),
      { checkout: 'portal', theme: brand, source: 'default_checkout', warnings: [] },
      'removing it again changes nothing',
    );
    assert.deepEqual(await json(await t.api('DELETE', '/api/checkouts/default')), {
      checkout: 'default',
      theme: defaultTheme,
      source: 'built_in',
      warnings: [],
    });
    assert.deepEqual(await json(await t.api('GET', '/api/checkouts/portal')), {
      checkout: 'portal',
      theme: defaultTheme,
      source: 'built_in',
      warnings: [],
    });
    assert.equal((await t.api('DELETE', '/api/checkouts/other')).status, 422);
  });

  test('PUT validates colours, font names, radius and an https logo, field by field, and stores nothing', async () => {
    const response = await t.api('PUT', '/api/checkouts/portal', {
      ...brand,
      primaryColor: 'red',
      textColor: '#12345',
      fontFamily: 'Inter; background: url(x)',
      radius: 99,
      logoUrl: 'http://cdn.shop.example/logo.svg',
      dark: { ...brand.dark, surfaceColor: '#ggg' },
    });
    assert.equal(response.status, 422);
    const fields = (await json(response)).error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['dark.surfaceColor', 'fontFamily', 'logoUrl', 'primaryColor', 'radius', 'textColor']);
    assert.equal((await json(await t.api('GET', '/api/checkouts/portal'))).source, 'built_in');
  });

  test('PUT refuses a logo URL with quotes, whitespace or control characters, or another scheme', async () => {
    for (const logoUrl of [
      'https://cdn.shop.example/logo.svg" onerror="alert(1)',
      "https://cdn.shop.example/it's.svg",
      'https://cdn.shop.example/a b.svg',
      'https://cdn.shop.example/a\nb.svg',
      'javascript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'https://user:pw@cdn.shop.example/logo.svg',
    ]) {
      const response = await t.api('PUT', '/api/checkouts/portal', { ...brand, logoUrl });
      assert.equal(response.status, 422, logoUrl);
      assert.deepEqual(
        (await json(response)).error.details.map((d: { field: string }) => d.field),
        ['logoUrl'],
        logoUrl,
      );
    }
    assert.equal((await json(await t.api('GET', '/api/checkouts/portal'))).source, 'built_in');
  });

  test('PUT takes a full theme only: missing and unknown fields are 422s', async () => {
    const { dark: _dark, ...partial } = brand;
    const missing = await t.api('PUT', '/api/checkouts/default', { ...partial, shadow: 'large' });
    assert.equal(missing.status, 422);
    const fields = (await json(missing)).error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['', 'dark'], 'the unknown field is reported on the body itself');
  });

  test('PUT stores a primary colour too light for text, and warns with the colour links and tabs use instead', async () => {
    const response = await t.api('PUT', '/api/checkouts/portal', { ...portalLook, primaryColor: '#facc15' });
    assert.equal(response.status, 200);
    const body = await json(response);
    assert.equal(body.theme.primaryColor, '#facc15', 'the theme is stored as given');
    assert.equal(body.warnings.length, 1);
    const [warning] = body.warnings;
    assert.equal(warning.code, 'primary_adjusted');
    assert.equal(warning.field, 'primaryColor');
    assert.equal(warning.required, 4.5);
    assert.ok(warning.ratio < 2, `yellow on a light background is far from 4.5:1 (${warning.ratio})`);
    assert.match(warning.replacement, /^#[0-9a-f]{6}$/);
    assert.ok(contrastRatio(warning.replacement, portalLook.backgroundColor) >= 4.5);
    assert.ok(contrastRatio(warning.replacement, portalLook.surfaceColor) >= 4.5);
    assert.match(warning.message, /#facc15 has a contrast of 1\.\d+:1/);
    assert.deepEqual(
      (await json(await t.api('GET', '/api/checkouts/portal'))).warnings,
      body.warnings,
      'GET says the same',
    );
  });

  test('PUT warns about text that cannot reach 4.5:1, in the dark palette too, and not for a scheme the theme never shows', async () => {
    const dim: Theme = {
      ...portalLook,
      textColor: '#9ca3af',
      dark: { primaryColor: '#2dd4bf', textColor: '#4b5563', backgroundColor: '#111827', surfaceColor: '#1f2937' },
    };
    const both = await json(await t.api('PUT', '/api/checkouts/portal', dim));
    assert.deepEqual(
      both.warnings.map((w: { code: string; field: string; against: string }) => [w.code, w.field, w.against]),
      [
        ['text_contrast', 'textColor', 'backgroundColor'],
        ['text_contrast', 'textColor', 'surfaceColor'],
        ['text_contrast', 'dark.textColor', 'dark.backgroundColor'],
        ['text_contrast', 'dark.textColor', 'dark.surfaceColor'],
      ],
    );
    assert.ok(both.warnings.every((w: { replacement: string | null }) => w.replacement === null));
    const lightOnly = await json(await t.api('PUT', '/api/checkouts/portal', { ...dim, colorScheme: 'light' }));
    assert.equal(lightOnly.theme.colorScheme, 'light');
    assert.deepEqual(
      lightOnly.warnings.map((w: { field: string }) => w.field),
      ['textColor', 'textColor'],
    );
    const darkOnly = await json(await t.api('PUT', '/api/checkouts/portal', { ...dim, colorScheme: 'dark' }));
    assert.deepEqual(
      darkOnly.warnings.map((w: { field: string }) => w.field),
      ['dark.textColor', 'dark.textColor'],
    );
  });

  test('PUT takes colorScheme auto, light or dark (absent means auto), and the widget gets it', async () => {
    const wrong = await t.api('PUT', '/api/checkouts/portal', { ...portalLook, colorScheme: 'sepia' });
    assert.equal(wrong.status, 422);
    assert.deepEqual(
      (await json(wrong)).error.details.map((d: { field: string }) => d.field),
      ['colorScheme'],
    );
    assert.equal((await t.api('PUT', '/api/checkouts/portal', { ...portalLook, colorScheme: 'dark' })).status, 200);
    assert.equal((await config()).theme.colorScheme, 'dark');
    assert.equal((await t.api('PUT', '/api/checkouts/portal', portalLook)).status, 200);
    assert.equal((await config()).theme.colorScheme, undefined, 'a full PUT without it replaces it');
  });

  test("knows only the default and portal checkouts and needs the store's credentials", async () => {
    assert.equal((await t.api('PUT', '/api/checkouts/summer-sale', brand)).status, 422);
    const anonymous = await t.app.request('/api/checkouts/default');
    assert.equal(anonymous.status, 401);
  });
});

describe('OpenAPI documents', () => {
  test('describe the new Portal API and Server API routes', async () => {
    const portalDoc = await json(await t.app.request('/portal/openapi.json'));
    for (const path of [
      '/{storeId}/orders',
      '/{storeId}/orders/{orderId}',
      '/{storeId}/downloads/{fulfilmentId}/link',
      '/{storeId}/config',
      '/{storeId}/me/billing-details',
    ]) {
      assert.ok(portalDoc.paths[path], path);
    }
    assert.ok(portalDoc.paths['/{storeId}/me'].patch);
    assert.ok(portalDoc.components.schemas.PortalOrder);
    const apiDoc = await json(await t.app.request('/api/openapi.json'));
    assert.ok(apiDoc.paths['/checkouts/{checkout}'].get && apiDoc.paths['/checkouts/{checkout}'].put);
    assert.ok(apiDoc.components.schemas.Theme);
  });
});
