import { defineConfig } from 'vite';

/**
 * Builds the widget as one ES module library (`dist/account-portal.js`). The widget
 * itself arrives with its own issue; until then widget/index.ts only re-exports the
 * API types the two halves share.
 */
export default defineConfig({
  build: {
    lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'account-portal.js' },
    target: 'es2022',
    minify: true,
  },
});
