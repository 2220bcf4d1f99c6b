/**
 * Serves the portal (web/, built into web/dist) at `/`: hashed assets
 * cached for good, every other GET that asks for a page answers index.html so
 * the single-page app can route deep links (/projects/…) itself. The portal
 * reads everything through /graphql like any other client; nothing here knows
 * about viewers or data.
 *
 * Also the local GraphQL explorer (GraphiQL, built from web/graphiql.html):
 * GET /graphql from a browser when the explorer is on (SANDBOX).
 */
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const WEB_DIST = path.resolve(__dirname, '../../web/dist');

/** Paths the API server owns: never answered with the portal. */
const API_PATHS = /^\/(graphql|healthz|readyz)(\/|$)/;

/**
 * Every portal response (pages, scripts, styles, a missing file's 404): the
 * built portal loads only its own files and talks only to its own origin, and
 * is never framed. Inline styles are allowed because React and the chart and
 * editor libraries set `style` attributes; scripts are never inline.
 */
export const PORTAL_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
};

/**
 * The portal's icon, also at /favicon.ico: a browser showing a page that
 * names no icon (/healthz, a JSON error) asks for it, and a 404 there is noise
 * in every browser console.
 */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M8 1l7 7-7 7-7-7z" fill="#1d4ed8"/></svg>';

export interface WebOptions {
  dist?: string;
  /** In production source maps are never served, even when a build left them in dist. */
  production: boolean;
}

function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (API_PATHS.test(req.path)) return false;
  // A missing file (/favicon.ico, /assets/old-hash.js) is a 404, not the app.
  if (path.extname(req.path) !== '') return false;
  return req.accepts(['html', 'json']) === 'html';
}

export function mountWeb(app: Express, options: WebOptions): void {
  const dist = options.dist ?? WEB_DIST;
  const index = path.join(dist, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!API_PATHS.test(req.path)) res.set(PORTAL_HEADERS);
    next();
  });
  app.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').type('image/svg+xml').send(ICON_SVG);
  });
  if (options.production) {
    // A source map is the portal's source code, comments included: not for the public.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.path.endsWith('.map')) {
        res.status(404).type('text/plain').send('Not found');
        return;
      }
      next();
    });
  }
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
      },
    }),
  );
  app.use((req, res, next) => {
    if (!wantsPage(req)) return next();
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

/** A browser asking for the endpoint itself (no `query` parameter): the explorer, not a GraphQL response. */
function wantsExplorer(req: Request): boolean {
  return req.method === 'GET' && req.query.query === undefined && req.accepts(['json', 'html']) === 'html';
}

/**
 * GET /graphql from a browser: the local GraphiQL page, with the portal's
 * headers (its scripts and styles are files of web/dist, no remote origin).
 * Mounted only when the explorer is on; API clients pass through.
 */
export function explorerPage(dist = WEB_DIST): RequestHandler {
  const page = path.join(dist, 'graphiql.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if (!wantsExplorer(req)) return next();
    res.set({ ...PORTAL_HEADERS, 'Cache-Control': 'no-cache' });
    if (!existsSync(page)) {
      res.status(503).type('html').send('<!doctype html><html lang="en"><title>Vantage GraphQL explorer</title><p>The explorer is not built. Run <code>npm run build:web</code>; the API itself is at this address.</p></html>');
      return;
    }
    res.sendFile(page);
  };
}
