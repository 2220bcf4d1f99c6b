import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { persistedDocuments } from './scripts/persisted-documents.mjs';

/**
 * The portal is served by the API server at `/` (src/http/web.ts) from dist/.
 * `npm run dev` serves it with hot reload and forwards /graphql to the API
 * (VANTAGE_API, default http://localhost:4000).
 *
 * Two pages: the portal (index.html) and the GraphQL explorer (graphiql.html,
 * served at GET /graphql when SANDBOX is on). Pages and libraries are split
 * into chunks by route, so the sign-in page does not load the charts or the
 * explorer's editor.
 *
 * The demo accounts are listed on the sign-in page by the dev server and by
 * builds made with VANTAGE_DEMO_LOGINS=1 (scripts/ensure-built.mjs sets it
 * unless NODE_ENV=production). A plain build leaves them out.
 *
 * Source maps only with VANTAGE_SOURCEMAPS=1 (ensure-built.mjs sets it unless
 * NODE_ENV=production): a map is the portal's source, not for the public.
 *
 * The build also writes dist/persisted-documents.json: the portal's
 * operations, the only documents a browser session may send in production.
 */

/** Libraries in chunks of their own: cached across releases of the portal, shared by both pages. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('/node_modules/')) return undefined;
  if (/\/node_modules\/(react|react-dom|scheduler|react-is)\//.test(id)) return 'react';
  if (/\/node_modules\/(graphql)\//.test(id)) return 'graphql';
  if (/\/node_modules\/(urql|@urql\/core|wonka)\//.test(id)) return 'urql';
  if (/\/node_modules\/(react-router|cookie|set-cookie-parser)\//.test(id)) return 'router';
  return undefined;
}

export default defineConfig(({ command }) => {
  const demoLogins =
    process.env.VANTAGE_DEMO_LOGINS !== undefined ? process.env.VANTAGE_DEMO_LOGINS === '1' : command === 'serve';
  return {
    plugins: [react(), persistedDocuments()],
    define: { __DEMO_LOGINS__: JSON.stringify(demoLogins) },
    server: {
      port: 5173,
      proxy: {
        '/graphql': { target: process.env.VANTAGE_API ?? 'http://localhost:4000', changeOrigin: true, ws: true },
        '/files': { target: process.env.VANTAGE_API ?? 'http://localhost:4000', changeOrigin: true },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: process.env.VANTAGE_SOURCEMAPS === '1',
      chunkSizeWarningLimit: 1200,
      rollupOptions: {
        input: { index: fileURLToPath(new URL('index.html', import.meta.url)), graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)) },
        output: { manualChunks: vendorChunk },
      },
    },
  };
});
