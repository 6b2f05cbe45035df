import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API = process.env.ITSM_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Chromium 94+, Firefox 93+, Safari 16.4+: what the kiosk browsers and TVs we target run.
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // Same origin in development as in production, so the SameSite=Strict session cookie just works.
      '/graphql': { target: API, changeOrigin: false, ws: true },
    },
  },
  preview: {
    proxy: { '/graphql': { target: API, changeOrigin: false, ws: true } },
  },
});
