import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Build the workspace packages from their TypeScript sources (toolchain.md §3.9).
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@quorate/source', 'module', 'browser', 'development|production'] },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': { target: 'https://localhost:8084', secure: false, ws: true } } },
});
