import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'portal-widget-package-'));
after(() => rmSync(work, { recursive: true, force: true }));

let tarball = '';
let files: string[] = [];

before(() => {
  // `npm pack` runs the package's prepack, which builds everything it ships.
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: join(root, 'packages', 'widget'),
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info.filename);
  files = info.files.map((file) => file.path);
});

/** A minimal React JSX namespace (no @types/react here), shaped as React 18.3/19 declares it. */
const reactStub = {
  'package.json': JSON.stringify({
    name: 'react',
    version: '19.0.0',
    types: './index.d.ts',
    exports: { '.': { types: './index.d.ts' }, './jsx-runtime': { types: './jsx-runtime.d.ts' } },
  }),
  'index.d.ts': `export namespace JSX {
  interface Element {}
  interface IntrinsicElements {}
  interface IntrinsicAttributes { key?: string | number }
  interface ElementChildrenAttribute { children: {} }
}
`,
  'jsx-runtime.d.ts': `import type { JSX } from './index';
export type { JSX };
export declare function jsx(type: unknown, props: unknown, key?: unknown): JSX.Element;
export declare const jsxs: typeof jsx;
export declare const Fragment: unique symbol;
`,
};

const billing = `import { useRef } from 'react-hooks-stub';
import 'account-portal';
import type {} from 'account-portal/jsx';
import type { AccountPortal, ApSignedInEvent } from 'account-portal';

export function Billing({ authUrl }: { authUrl: string }) {
  const ref = useRef<AccountPortal>();
  return (
    <>
      <account-portal store="demo" api-base="https://portal.example.com" auth-url={authUrl} ref={ref} no-hash-routing
        onap-signed-in={(event: ApSignedInEvent) => console.log(event.type)} onap-navigate={(event) => console.log(event.route)} />
      {/* @ts-expect-error store is required */}
      <account-portal api-base="https://portal.example.com" />
      {/* @ts-expect-error store is a string */}
      <account-portal store={42} />
      {/* @ts-expect-error the event prop gets the element's event */}
      <account-portal store="demo" onap-signed-in={(event: MouseEvent) => console.log(event.button)} />
    </>
  );
}
`;

describe('the npm package (packages/widget)', () => {
  test('npm pack ships the built widget with its chunks, types, JSX typings, custom-elements.json and the LICENSE, and no server code', () => {
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('dist/account-portal.js'));
    assert.ok(
      files.some((path) => /^dist\/chunks\/localizer-[\w-]{8}\.js$/.test(path)),
      files.join('\n'),
    );
    assert.ok(files.some((path) => /^dist\/chunks\/subscriptions-[\w-]{8}\.js$/.test(path)));
    assert.ok(files.includes('dist/types/widget/index.d.ts'));
    assert.ok(files.includes('dist/types/widget/jsx.d.ts'));
    assert.ok(files.includes('jsx.d.ts'));
    assert.ok(files.includes('custom-elements.json'));
    assert.ok(files.includes('LICENSE'));
    const code = files.filter((path) => !/\.d\.ts$|\.json$|\.md$|^LICENSE$/.test(path));
    assert.ok(
      code.every((path) => path === 'jsx.d.ts' || /^dist\/(account-portal|chunks\/[\w.-]+)\.js$/.test(path)),
      `only the widget's JavaScript: ${code.join(', ')}`,
    );
    assert.ok(!files.some((path) => /^(server|demo|drizzle|test|bench|scripts|widget)\//.test(path)));
  });

  test('the package depends on the browser libraries the widget imports and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', 'widget', 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies?: unknown;
    };
    assert.equal(manifest.name, 'account-portal');
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['@lit/context', '@lit/task', 'i18next', 'lit']);
    assert.equal(manifest.devDependencies, undefined);
    const entry = readFileSync(join(root, 'packages', 'widget', 'dist', 'account-portal.js'), 'utf8');
    const bare = new Set(
      [...entry.matchAll(/from\s*["']([^."'][^"']*)["']/g)].map(([, spec]) =>
        spec.split('/')[0].startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0],
      ),
    );
    assert.ok(
      [...bare].every((name) => name in manifest.dependencies),
      [...bare].join(', '),
    );
  });

  test('<account-portal store="demo" /> type-checks in a React TSX file against the shipped types', () => {
    const app = join(work, 'app');
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, 'account-portal'), { recursive: true });
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', join(modules, 'account-portal'), '--strip-components=1']);
    assert.equal(untar.status, 0, String(untar.stderr));
    mkdirSync(join(modules, '@lit'), { recursive: true });
    for (const name of [
      'lit',
      'lit-html',
      'lit-element',
      '@lit/reactive-element',
      '@lit/context',
      '@lit/task',
      'i18next',
    ]) {
      symlinkSync(join(root, 'node_modules', name), join(modules, name));
    }
    mkdirSync(join(modules, 'react'));
    for (const [file, text] of Object.entries(reactStub)) writeFileSync(join(modules, 'react', file), text);
    mkdirSync(join(modules, 'react-hooks-stub'));
    writeFileSync(
      join(modules, 'react-hooks-stub', 'index.d.ts'),
      'export declare function useRef<T>(): { current: T | null };\n',
    );
    writeFileSync(join(app, 'billing.tsx'), billing);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          jsx: 'react-jsx',
          strict: true,
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          types: [],
          skipLibCheck: true,
          noEmit: true,
        },
        files: ['billing.tsx'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], {
      cwd: app,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
});
