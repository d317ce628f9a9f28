// Security headers for the pages people open in a browser (the agent console and the agent API): a strict
// Content-Security-Policy and the usual hardening headers. Channels answer platforms, not browsers, and skip this.
import type { RequestHandler } from 'express';

/**
 * Everything from this origin only: no inline scripts or styles, no plugins, no framing, forms post back here.
 * `connect-src 'self'` covers fetch and same-origin WebSockets/EventSource for the live queue.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function securityHeaders(): RequestHandler {
  return (_request, response, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    next();
  };
}
