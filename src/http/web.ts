/**
 * Serves the portal (web/, built into web/dist) at `/`: hashed assets
 * cached for good, every other GET that asks for a page answers index.html so
 * the single-page app can route deep links (/projects/…) itself. The portal
 * reads everything through /graphql like any other client; nothing here knows
 * about viewers or data.
 */
import express, { type Express, type Request } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const WEB_DIST = path.resolve(__dirname, '../../web/dist');

/** Paths the API server owns: never answered with the portal. */
const API_PATHS = /^\/(graphql|healthz|readyz)(\/|$)/;

// The built portal loads only its own files and talks only to its own origin.
const PORTAL_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
};

function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (API_PATHS.test(req.path)) return false;
  // A missing file (/favicon.ico, /assets/old-hash.js) is a 404, not the app.
  if (path.extname(req.path) !== '') return false;
  return req.accepts(['html', 'json']) === 'html';
}

export function mountWeb(app: Express, dist = WEB_DIST): void {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (_req, res) => {
      res.status(503).type('text/plain').send('The Vantage portal is not built. Run `npm run build:web` (npm start does it when needed); the API is at /graphql.');
    });
    return;
  }
  app.use(
    express.static(dist, {
      index: false,
      setHeaders(res, file) {
        const immutable = file.startsWith(path.join(dist, 'assets') + path.sep);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );
  app.use((req, res, next) => {
    if (!wantsPage(req)) return next();
    res.set({ ...PORTAL_HEADERS, 'Cache-Control': 'no-cache' });
    res.sendFile(index);
  });
}
