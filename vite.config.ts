import { defineConfig } from 'vite';

/**
 * Builds the widget as one minified ES module, `dist/account-portal.js`: every
 * dependency (Lit, @lit/context, @lit/task, i18next) is bundled, there are no extra
 * chunks, and Lit resolves to its production build (Vite's build never adds the
 * `development` export condition). Locales other than English are not bundled:
 * the widget fetches them from `/widget/i18n/{lang}.json` when it needs them.
 *
 * `WIDGET_OUT_DIR` redirects the output, so `npm start` can build into a temporary
 * directory and move the finished file into place atomically (server/widget-build.ts).
 */
export default defineConfig({
  // The widget has no public/ folder, and an empty one must not be copied into dist/.
  publicDir: false,
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
      output: {
        entryFileNames: 'account-portal.js',
        // The screens that load on demand: a content hash in the name, so they can be cached forever.
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Everything the entry imports statically stays in the entry: one request before the first render.
        codeSplitting: { groups: [{ name: 'account-portal', tags: ['$initial'] }] },
        // Vite minifies an ES library's syntax but keeps its whitespace (for consumers that
        // bundle it again); this file is served to browsers as it is, so minify it fully.
        minify: true,
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
});
