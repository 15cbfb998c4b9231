import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { renderWidgetDocs, replaceSection } from '../../scripts/widget-docs';
import { forwardedParts } from '../../widget/account-portal/account-portal.render';

interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  deprecated?: string | boolean;
  superclass?: { name: string; module?: string; package?: string };
  cssParts?: { name: string }[];
  members?: { kind: string; name: string; privacy?: string; description?: string }[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

/** The manifest as `npm run build:manifest` makes it, analysed into a scratch folder. */
function analyze(): Manifest {
  // The analyzer takes its output folder relative to the project.
  const dir = join('node_modules', '.cache', `cem-check-${process.pid}`);
  try {
    execFileSync(
      process.execPath,
      [
        'node_modules/@custom-elements-manifest/analyzer/cem.js',
        'analyze',
        '--config',
        'custom-elements-manifest.config.mjs',
      ],
      { env: { ...process.env, CEM_OUTDIR: dir }, stdio: 'pipe' },
    );
    return JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let manifest: Manifest;
before(() => {
  manifest = analyze();
});

const element = (tagName: string) =>
  manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tagName);

test("the README's widget API tables match the JSDoc (run `npm run build:manifest && npm run docs` if not)", () => {
  const docs = renderWidgetDocs(manifest);
  for (const name of [
    '`auth-url`',
    '`ap-signed-in`',
    '`--ap-color-primary`',
    '`signOut()`',
    '<ap-orders>',
    '`ap-request-cancel-subscription` | `ApRequestCancelSubscriptionEvent` — `subscription`: `PortalSubscription`, `continue()` | yes |',
  ]) {
    assert.ok(docs.includes(name), `${name} is documented`);
  }
  const readme = readFileSync('README.md', 'utf8');
  assert.equal(readme, replaceSection(readme, docs));
});

test('every part <account-portal> re-exports from its screens is documented with @csspart', () => {
  const documented = element('account-portal')?.cssParts?.map((part) => part.name) ?? [];
  assert.deepEqual(
    forwardedParts.filter((part) => !documented.includes(part)),
    [],
  );
});

test('the manifest describes the public elements and events only', () => {
  for (const { path, declarations = [] } of manifest.modules) {
    if (path === 'widget/index.ts' || path === 'widget/events/index.ts') continue;
    if (path.startsWith('widget/events/')) {
      assert.deepEqual(
        declarations.map((d) => d.kind),
        ['class'],
        `${path} declares its event class only`,
      );
      // An event is an Event, or (the cancelable `ap-request-*` ones) the request event that is one.
      const superclass = declarations[0].superclass;
      if (superclass?.name === 'ApRequestEvent') assert.match(superclass.module ?? '', /widget\/events\/request$/);
      else assert.deepEqual(superclass, { name: 'Event', package: 'global:' }, path);
    } else {
      assert.ok(
        declarations.length > 0 && declarations.every((d) => d.customElement && d.tagName),
        `${path} declares public elements only`,
      );
    }
  }
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
  for (const d of elements) {
    const hidden = (d.members ?? [])
      .filter((member) => member.privacy || !member.description)
      .map((member) => member.name);
    assert.deepEqual(hidden, [], `<${d.tagName}> lists no private or undocumented members`);
    assert.ok(
      d.superclass?.package === 'lit' || elements.some((e) => e.name === d.superclass?.name),
      `<${d.tagName}>'s superclass is public`,
    );
  }
  assert.deepEqual(
    element('account-portal')?.members?.map((member) => member.name),
    ['store', 'apiBase', 'authUrl', 'lang', 'noHashRouting', 'route', 'theme', 'signOut', 'navigate', 'refresh'],
  );
});

test('<account-portal> documents every event the page hears, each with its class', () => {
  const documented = (element('account-portal') as { events?: { name: string; type?: { text: string } }[] }).events;
  const source = readFileSync('widget/events/index.ts', 'utf8');
  const mapped = [...source.matchAll(/^\s+'(ap-[a-z-]+)': import\('\.\/[a-z-]+'\)\.(\w+);$/gm)].map(
    ([, name, type]) => ({
      name,
      type,
    }),
  );
  // The dialog's own events stay inside the portal (its owners stop them).
  const heard = mapped.filter((e) => e.name !== 'ap-request-close' && e.name !== 'ap-dialog-close');
  assert.ok(heard.length >= 20, `${heard.length} events in widget/events/index.ts`);
  assert.deepEqual(
    (documented ?? []).map((e) => ({ name: e.name, type: e.type?.text })).sort((a, b) => a.name.localeCompare(b.name)),
    heard.sort((a, b) => a.name.localeCompare(b.name)),
  );
});

test('the manifest lists <ap-licence-key> as the deprecated old name of <ap-license-key>', () => {
  const alias = element('ap-licence-key');
  assert.ok(alias?.deprecated);
  assert.equal(alias.superclass?.name, element('ap-license-key')?.name);
});
