// GET /console: the agent console, plain HTML, CSS and JavaScript modules served as files, under a strict
// Content-Security-Policy (only this origin's own files and API; no inline code, no framing).
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import type { Runtime } from '../server/runtime.ts';

const CONSOLE_FILES = fileURLToPath(new URL('./console/', import.meta.url));

export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleRouter(_runtime: Runtime): Router {
  const router = express.Router();
  router.use((request, response, next) => {
    response.set({
      'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    });
    // The page's relative links (console.js, ../agent/...) need the trailing slash.
    if (
      request.method === 'GET' &&
      request.path === '/' &&
      !request.originalUrl.split('?')[0]?.endsWith('/')
    ) {
      response.redirect(301, `${request.baseUrl}/`);
      return;
    }
    next();
  });
  // no-cache: the browser revalidates, so agents get a new console as soon as Loket is updated.
  router.use(
    express.static(CONSOLE_FILES, {
      index: 'index.html',
      fallthrough: true,
      etag: true,
      cacheControl: false,
      setHeaders: (response) => response.set('cache-control', 'no-cache'),
    }),
  );
  router.use((request, response) => {
    response.status(404).type('text/plain').send(`no console file ${request.path}`);
  });
  return router;
}
