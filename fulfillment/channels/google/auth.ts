// Webhook auth for /google/cx and /google/es: a shared secret (bearer or basic-auth password, compared in constant
// time) or a Google ID token; Dialogflow's options are described at
// https://cloud.google.com/dialogflow/cx/docs/concept/webhook#authentication and
// https://cloud.google.com/dialogflow/es/docs/fulfillment-webhook#auth
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { IdTokenVerdict } from './id-token.ts';
import type { GoogleSettings } from './settings.ts';

type Credentials = { kind: 'bearer'; token: string } | { kind: 'basic'; password: string } | null;

function credentialsOf(header: string | undefined): Credentials {
  if (!header) return null;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  if (!value) return null;
  if (scheme?.toLowerCase() === 'bearer') return { kind: 'bearer', token: value };
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : { kind: 'basic', password: decoded.slice(colon + 1) };
  }
  return null;
}

/** Hashing first gives equal lengths, so timingSafeEqual never throws and the length is not leaked either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

export function googleAuth(
  settings: GoogleSettings,
  verifyIdToken: ((token: string) => Promise<IdTokenVerdict>) | null,
  logger: Logger,
  /** called on every 401, before it is sent (the router counts it) */
  onRefused?: (request: Request) => void,
): RequestHandler {
  const challenge = [
    'Bearer realm="loket-google"',
    ...(settings.secret ? ['Basic realm="loket-google"'] : []),
  ].join(', ');
  return async (request, response, next) => {
    if (settings.auth === 'off') {
      next();
      return;
    }
    const refuse = (message: string) => {
      onRefused?.(request);
      response.set('WWW-Authenticate', challenge).status(401).json({ error: 'unauthorized', message });
    };
    if (!settings.secret && !verifyIdToken) {
      refuse(
        'webhook auth is not configured on this server: set LOKET_GOOGLE_SECRET or LOKET_GOOGLE_AUDIENCE with LOKET_GOOGLE_SERVICE_ACCOUNTS',
      );
      return;
    }
    const credentials = credentialsOf(request.get('authorization'));
    if (!credentials) {
      refuse('missing credentials: send Authorization: Bearer <secret>, basic auth, or a Google ID token');
      return;
    }
    if (credentials.kind === 'basic') {
      if (settings.secret && sameSecret(credentials.password, settings.secret)) next();
      else refuse('wrong credentials');
      return;
    }
    if (settings.secret && sameSecret(credentials.token, settings.secret)) {
      next();
      return;
    }
    if (verifyIdToken && looksLikeJwt(credentials.token)) {
      const verdict = await verifyIdToken(credentials.token);
      if (verdict.ok) {
        next();
        return;
      }
      logger.info({ path: request.path, reason: verdict.reason }, 'Google ID token rejected');
      refuse(`ID token rejected: ${verdict.reason}`);
      return;
    }
    refuse('wrong credentials');
  };
}
