import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.SHOUWANG_API ?? 'http://localhost:8080';

/** Which vendor chunk a module from node_modules belongs to (keeps the big libraries apart). */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (id.includes('maplibre-gl') || id.includes('@maplibre') || id.includes('@mapbox')) return 'maplibre';
  if (id.includes('echarts') || id.includes('zrender')) return 'echarts';
  // h3-js (hot spots) is only for the analytics page: kept out of the chunk every page loads.
  if (id.includes('h3-js')) return 'h3';
  if (id.includes('@ant-design/icons')) return 'antd-icons';
  if (id.includes('antd') || id.includes('@ant-design') || id.includes('@rc-component') || id.includes('@emotion')) return 'antd';
  if (id.includes('react') || id.includes('scheduler') || id.includes('@tanstack')) return 'react';
  if (id.includes('dayjs')) return 'dayjs';
  return 'vendor';
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // maplibre-gl (~1.1 MB) and antd (~1.2 MB with its rc-components) are one chunk each; splitting
    // them further breaks module execution order across chunks, so warn only above that.
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      output: {
        // Rolldown's successor of manualChunks: one named chunk per big vendor library.
        codeSplitting: { groups: [{ name: (id: string) => vendorChunk(id) ?? null, debugName: 'vendor' }] },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/docs': { target: backend },
      '/healthz': { target: backend },
    },
  },
});
