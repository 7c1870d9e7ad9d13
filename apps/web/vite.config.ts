import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// One build for every tenant: assets are addressed relative to the page, so it works at `/`
// (a tenant's host) and at `/t/<slug>/` alike; the gateway serves dist/. `vite` (dev server)
// sends the API to a running gateway (`npm start`).
const gateway = process.env.ACADEMY_GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  base: './',
  plugins: [react()],
  // The SDK from its TypeScript sources (its `source` export condition), not a prebuilt dist/.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { proxy: { '/graphql': { target: gateway, ws: true }, '^/t/[^/]+/graphql': { target: gateway, ws: true } } },
});
