import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The agency web dashboard: plain TypeScript + ECharts, bundled by Vite into dist/agency-web, which the agency
// app serves at `/`. `npm run build` runs it after the server build.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/agency-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
});
