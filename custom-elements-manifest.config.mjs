/**
 * The custom-elements manifest (`custom-elements.json`, `npm run build:manifest`) is
 * generated from the widget's JSDoc: the class comments are the public API (summary,
 * events, CSS parts and properties, slots), and the Lit plugin reads the
 * `@property` decorators. It describes that public API and nothing else
 * (`publicApiPlugin`). Only the widget's sources are analysed, never its
 * dependencies (`dependencies: false`), so the analyzer's native module lexer is
 * never needed at run time beyond being importable.
 */

/**
 * The widget registers its tags with `Class.define('tag')` (a safe define that
 * tolerates the bundle being loaded twice) rather than `customElements.define`,
 * which the analyzer does not recognise. This plugin reads those calls and marks
 * each class as a custom element with its tag name, exported from the module that
 * defines it.
 */
function safeDefinePlugin() {
  const definitions = [];
  return {
    name: 'account-portal-safe-define',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const { expression: target, name } = node.expression;
      const [tag] = node.arguments;
      if (name.getText() !== 'define' || !ts.isIdentifier(target) || !tag || !ts.isStringLiteral(tag)) return;
      definitions.push({ className: target.getText(), tagName: tag.text, module: moduleDoc.path });
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      for (const { className, tagName, module } of definitions) {
        const home = modules.find((m) => m.declarations?.some((d) => d.kind === 'class' && d.name === className));
        const declaration = home?.declarations.find((d) => d.kind === 'class' && d.name === className);
        if (!home || !declaration) continue;
        declaration.customElement = true;
        declaration.tagName = tagName;
        const definer = modules.find((m) => m.path === module);
        definer?.exports?.push({
          kind: 'custom-element-definition',
          name: tagName,
          declaration: { name: className, module: home.path },
        });
      }
      // The base class is not an element of its own.
      for (const d of modules.flatMap((m) => m.declarations ?? []))
        if (d.name === 'PortalElement') delete d.customElement;
    },
  };
}

/**
 * The manifest describes the public API only (undocumented = private): the modules
 * that define the public elements, the event classes under widget/events/, and
 * widget/index.ts. Everything else (widget/internal/, controllers, context, render
 * and format helpers) is left out, and so are an element module's other declarations
 * and an element's private, protected and undocumented members. Runs after
 * `safeDefinePlugin`, which marks the elements.
 */
function publicApiPlugin() {
  const isEventModule = (path) => path.startsWith('widget/events/');
  const isPublicModule = (m) =>
    m.path === 'widget/index.ts' || isEventModule(m.path) || m.declarations?.some((d) => d.customElement);
  const isPublicDeclaration = (m, d) => (isEventModule(m.path) ? d.kind === 'class' : Boolean(d.customElement));
  return {
    name: 'account-portal-public-api',
    packageLinkPhase({ customElementsManifest }) {
      const classes = new Map(
        customElementsManifest.modules
          .flatMap((m) => m.declarations ?? [])
          .filter((d) => d.kind === 'class')
          .map((d) => [d.name, d]),
      );
      const modules = (customElementsManifest.modules = customElementsManifest.modules.filter(isPublicModule));
      for (const m of modules) {
        const dropped = new Set((m.declarations ?? []).filter((d) => !isPublicDeclaration(m, d)).map((d) => d.name));
        m.declarations = (m.declarations ?? []).filter((d) => !dropped.has(d.name));
        m.exports = m.exports?.filter(
          (e) => !(e.kind === 'js' && e.declaration.module === m.path && dropped.has(e.declaration.name)),
        );
      }
      const kept = new Set(modules.flatMap((m) => m.declarations).map((d) => d.name));
      for (const d of modules.flatMap((m) => m.declarations)) {
        d.superclass = publicSuperclass(d.superclass, kept, classes);
        if (d.members) d.members = d.members.filter((member) => !member.privacy && member.description);
        // The analyzer also lists every `dispatchEvent(new …)` it finds, named after whatever
        // the code passes; the documented `@event` tags are the public ones.
        if (d.events) d.events = d.events.filter((event) => event.name && event.description);
      }
    },
  };
}

/**
 * The nearest ancestor the manifest can point to: a kept class, a package's (`lit`),
 * or a built-in such as `Event` (which the analyzer otherwise files under the module
 * that extends it).
 */
function publicSuperclass(ref, kept, classes) {
  while (ref && !kept.has(ref.name) && !ref.package) {
    const declaration = classes.get(ref.name);
    if (!declaration) return ref.name in globalThis ? { name: ref.name, package: 'global:' } : ref;
    ref = declaration.superclass;
  }
  return ref;
}

export default {
  globs: ['widget/**/*.ts'],
  exclude: ['widget/**/*.styles.ts', 'widget/**/*.render.ts'],
  // CEM_OUTDIR (relative to the project) lets the README test analyse elsewhere, leaving package.json alone.
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  dependencies: false,
  packagejson: !process.env.CEM_OUTDIR,
  plugins: [safeDefinePlugin(), publicApiPlugin()],
};
