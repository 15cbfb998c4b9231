import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy beside every
 * JavaScript file of the build, so the server sends them compressed without
 * compressing on each request (server/routes/widget-assets.ts picks one by
 * Accept-Encoding).
 */
function precompress(): Plugin {
  return {
    name: 'account-portal-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const path = join(options.dir!, file.fileName);
        const code = Buffer.from(file.code);
        writeFileSync(`${path}.br`, brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${path}.gz`, gzipSync(code, { level: 9 }));
      }
    },
  };
}

/**
 * Builds the widget: the entry module `dist/account-portal.js`, which the merchant's
 * script tag loads, and the chunks it imports on demand, `dist/chunks/{name}-{hash}.js`
 * (the screens a customer has not opened yet, and i18next with the English
 * messages). Every dependency (Lit, @lit/context, @lit/task, i18next) is bundled,
 * and Lit resolves to its production build (Vite's build never adds the
 * `development` export condition). Locales other than English are not bundled: the
 * widget fetches them from `/widget/i18n/{lang}.json` when it needs them.
 *
 * `WIDGET_OUT_DIR` redirects the output, so `npm start` can build into a temporary
 * directory and move the finished files into place atomically (server/widget-build.ts).
 */
/**
 * `WIDGET_PACKAGE=1` builds the npm package's copy (scripts/widget-package.ts): the same
 * entry and chunks, but Lit, @lit/context, @lit/task and i18next stay imports, which the
 * app's bundler resolves from the package's dependencies (one Lit for the whole app),
 * and no compressed copies.
 */
const forPackage = process.env.WIDGET_PACKAGE === '1';

export default defineConfig({
  // The widget has no public/ folder, and an empty one must not be copied into dist/.
  publicDir: false,
  plugins: forPackage ? [] : [precompress()],
  build: {
    lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'account-portal.js' },
    outDir: process.env.WIDGET_OUT_DIR ?? 'dist',
    // dist/types/ (declarations) lives next to the bundle; `npm run build` regenerates it itself.
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    rolldownOptions: {
      // The chunks import what they share with the entry from the entry itself, which therefore
      // exports a little more than index.ts; without this Rolldown would move that shared code
      // into chunks the entry imports statically, an extra request before anything renders.
      preserveEntrySignatures: 'allow-extension',
      external: forPackage ? [/^lit(\/|$)/, /^@lit\//, /^i18next$/] : [],
      output: {
        entryFileNames: 'account-portal.js',
        // The parts that load on demand: a content hash in the name, so they can be cached forever.
        // Imported by relative URLs (`import('./chunks/…')`), resolved against the entry's own URL.
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Everything the entry imports statically stays in the entry: one request before the first render.
        codeSplitting: { groups: [{ name: 'account-portal', tags: ['$initial'] }] },
        // Vite minifies an ES library's syntax but keeps its whitespace (for consumers that
        // bundle it again); these files are served to browsers as they are, so minify them fully.
        minify: true,
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
});
