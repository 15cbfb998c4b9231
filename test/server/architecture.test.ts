import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every .ts file under `dir`, as paths relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The relative imports of a file (values and types, static and dynamic), resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specifiers.flatMap((specifier) => {
    const base = join(dirname(file), specifier);
    const found = [base, `${base}.ts`, join(base, 'index.ts')].find(
      (p) => existsSync(join(root, p)) && statSync(join(root, p)).isFile(),
    );
    return found ? [found] : [];
  });
}

const files = [...sources('server'), ...sources('widget')];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** The import cycles among `graph`'s files (Tarjan's strongly connected components of more than one file, or a self-import). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the source layout', () => {
  test('has no import cycle in server/ or widget/', () => {
    assert.deepEqual(cycles(), []);
  });

  test('keeps db, email, pdf, webhooks, middleware and lib free of the domain services', () => {
    const lower = files.filter((f) => /^server\/(db|email|pdf|webhooks|middleware|lib|payments|contract)\//.test(f));
    const upward = lower.flatMap((f) =>
      graph
        .get(f)!
        .filter((t) => t.startsWith('server/services/'))
        .map((t) => `${f} → ${t}`),
    );
    assert.deepEqual(upward, []);
  });

  test('has only domain folders (and the named cross-domain modules) directly under server/services/', () => {
    const loose = readdirSync(join(root, 'server/services')).filter((name) =>
      statSync(join(root, 'server/services', name)).isFile(),
    );
    assert.deepEqual(loose, ['idempotency.ts']);
    const domains = readdirSync(join(root, 'server/services')).filter((name) =>
      statSync(join(root, 'server/services', name)).isDirectory(),
    );
    for (const domain of domains)
      assert.ok(existsSync(join(root, 'server/services', domain, 'index.ts')), `${domain}/index.ts`);
  });

  test('reaches another domain only through its index', () => {
    const domainOf = (file: string) => /^server\/services\/([^/]+)\//.exec(file)?.[1];
    const deep = files.flatMap((f) =>
      graph.get(f)!.flatMap((target) => {
        const to = domainOf(target);
        if (!to || domainOf(f) === to || target === `server/services/${to}/index.ts`) return [];
        return [`${f} → ${relative('server/services', target)}`];
      }),
    );
    assert.deepEqual(deep, []);
  });

  test('keeps development code behind server/dev, which only main.ts loads, with import()', () => {
    const into = (prefix: string) =>
      files
        .filter((f) => !f.startsWith('server/dev/'))
        .flatMap((f) =>
          graph
            .get(f)!
            .filter((t) => t.startsWith(prefix))
            .map((t) => `${f} → ${t}`),
        );
    assert.deepEqual(into('server/dev/'), ['server/main.ts → server/dev/index.ts']);
    assert.deepEqual(into('demo/'), []);
    const main = readFileSync(join(root, 'server/main.ts'), 'utf8');
    assert.match(main, /await import\('\.\/dev'\)/);
    assert.doesNotMatch(main, /from '\.\/dev/, 'never a static import');
  });

  test('lets the widget import from server/ only the contract and types', () => {
    const runtime = sources('widget').flatMap((f) => {
      const text = readFileSync(join(root, f), 'utf8');
      return [...text.matchAll(/^import (?!type )[^;]*from '((?:\.\.\/)+server\/[^']+)'/gm)]
        .map((m) => join(dirname(f), m[1]))
        .filter((target) => !target.startsWith('server/contract'))
        .map((target) => `${f} → ${target}`);
    });
    assert.deepEqual(runtime, []);
  });
});
