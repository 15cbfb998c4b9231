/**
 * The custom-elements manifest (`custom-elements.json`, `npm run build:manifest`) is
 * generated from the widget's JSDoc: the class comments are the public API (summary,
 * events, CSS parts and properties, slots), and the Lit plugin reads the
 * `@property` decorators. Only the widget's sources are analysed, never its
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
        definer?.exports?.push({ kind: 'custom-element-definition', name: tagName, declaration: { name: className, module: home.path } });
      }
      for (const m of modules) {
        for (const d of m.declarations ?? []) {
          // The base class is not an element of its own.
          if (d.name === 'PortalElement') delete d.customElement;
          // The analyzer also lists every `dispatchEvent(new …)` it finds, named after whatever
          // the code passes; the documented `@event` tags are the public ones (undocumented = private).
          if (d.events) d.events = d.events.filter((event) => event.name && event.description);
        }
      }
    },
  };
}

export default {
  globs: ['widget/**/*.ts'],
  exclude: ['widget/**/*.styles.ts', 'widget/**/*.render.ts'],
  // CEM_OUTDIR (relative to the project) lets the README test analyse elsewhere, leaving package.json alone.
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  dependencies: false,
  packagejson: !process.env.CEM_OUTDIR,
  plugins: [safeDefinePlugin()],
};
