import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/** Builds the browser UI into web/dist; the API server serves it at `/`. In dev, /api goes to UNBLOCK_API (default :3000). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': process.env.UNBLOCK_API ?? 'http://127.0.0.1:3000' },
  },
});
