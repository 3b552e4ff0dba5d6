/**
 * The citizen portal (/portal/) as a build of its own: its own bundle, none of the staff app's chunks
 * (Ant Design, MapLibre, ECharts), so that a cheap phone's first load stays small (docs/citizen.md gives
 * the measured gzip size; the budget is 300 KB of compressed JavaScript). Runs after the staff app's
 * build into the same dist/web (without emptying it): dist/web/portal/index.html, assets under
 * dist/web/assets/portal/ (hashed, cached for a year like the staff app's).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: false,
    assetsDir: 'assets/portal',
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: { input: { portal: fileURLToPath(new URL('portal/index.html', import.meta.url)) } },
  },
});
