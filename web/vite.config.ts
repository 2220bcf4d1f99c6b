import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The portal is served by the API server at `/` (src/web.ts) from dist/.
 * `npm run dev` serves it with hot reload and forwards /graphql to the API
 * (VANTAGE_API, default http://localhost:4000).
 *
 * The demo accounts are listed on the sign-in page by the dev server and by
 * builds made with VANTAGE_DEMO_LOGINS=1 (scripts/ensure-built.mjs sets it
 * unless NODE_ENV=production). A plain build leaves them out.
 */

export default defineConfig(({ command }) => {
  const demoLogins =
    process.env.VANTAGE_DEMO_LOGINS !== undefined ? process.env.VANTAGE_DEMO_LOGINS === '1' : command === 'serve';
  return {
    plugins: [react()],
    define: { __DEMO_LOGINS__: JSON.stringify(demoLogins) },
    server: {
      port: 5173,
      proxy: { '/graphql': { target: process.env.VANTAGE_API ?? 'http://localhost:4000', changeOrigin: true } },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      chunkSizeWarningLimit: 1200,
    },
  };
});
