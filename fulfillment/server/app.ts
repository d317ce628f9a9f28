// The express app: health, the channels' routers, and errors in a JSON shape that never leaks a stack trace.
import express, { type ErrorRequestHandler, type Express } from 'express';
import { agentRouter, consoleRouter } from '../agent/router.ts';
import { alexaRouter } from '../channels/alexa/router.ts';
import { converseRouter } from '../channels/converse/router.ts';
import { googleRouter } from '../channels/google/router.ts';
import { telephonyRouter } from '../channels/telephony/router.ts';
import type { Channel } from '../core/types.ts';
import { recordWebhookFailure } from '../observability/metrics.ts';
import { isStoreUnavailable } from '../stores/store-unavailable.ts';
import { ipRateLimit, RateLimiter, readRateLimitSettings } from './rate-limit.ts';
import type { Runtime } from './runtime.ts';
import { securityHeaders } from './security-headers.ts';
import { readTrustProxy } from './trust-proxy.ts';

/** Redis reconnects within a second of coming back; a client that waits this long usually finds it there. */
const STORE_RETRY_AFTER_SECONDS = 2;

/** The channel a public path belongs to, for the webhook-failure counter; null for a path no channel serves. */
function channelOfPath(path: string): Channel | null {
  if (path.startsWith('/v1/converse')) return 'text';
  if (path.startsWith('/alexa')) return 'alexa';
  if (path.startsWith('/google/cx')) return 'dialogflow-cx';
  if (path.startsWith('/google/es')) return 'dialogflow-es';
  if (path.startsWith('/telephony')) return 'phone';
  return null;
}

export function createApp(runtime: Runtime): Express {
  const app = express();
  app.disable('x-powered-by');
  // Who the client is behind a load balancer (request.ip, the per-IP rate limit): LOKET_TRUST_PROXY, off by default.
  // The Twilio signature is checked against LOKET_PUBLIC_URL, never the Host or X-Forwarded-* headers.
  app.set('trust proxy', readTrustProxy(runtime.settings.env));
  // No global body parser: platform routers that check signatures (Alexa) need the raw body.

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', locales: runtime.locales() });
  });
  // Readiness, unlike /healthz (liveness): the stores answer and no SIGTERM has arrived. See docs/operations.md.
  app.get('/readyz', async (_request, response) => {
    const report = await runtime.readiness();
    response
      .status(report.ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({
        status: report.ready ? 'ready' : 'not-ready',
        draining: report.draining,
        checks: report.checks,
      });
  });
  if (runtime.operations.metrics) {
    app.get('/metrics', async (_request, response) => {
      const { contentType, body } = await runtime.metrics.render();
      response.set('cache-control', 'no-store').type(contentType).send(body);
    });
  }
  // Per-IP token bucket on the public endpoints (LOKET_RATE_LIMIT_PER_MINUTE, 0 = off); see rate-limit.ts.
  const perIp = new RateLimiter(readRateLimitSettings(runtime.settings.env).LOKET_RATE_LIMIT_PER_MINUTE);
  if (perIp.perMinute > 0) {
    app.use(
      ['/v1/converse', '/alexa', '/google', '/telephony'],
      ipRateLimit(perIp, (request) => {
        const channel = channelOfPath(request.originalUrl.split('?')[0] ?? '');
        if (channel) recordWebhookFailure(runtime.metrics, channel, 'rate-limited');
      }),
    );
  }
  app.use('/v1/converse', converseRouter(runtime));
  // Each channel brings its own body parsing: Alexa's signature check needs the raw bytes.
  app.use('/alexa', alexaRouter(runtime));
  app.use('/google', googleRouter(runtime));
  app.use('/telephony', telephonyRouter(runtime));
  // Pages and APIs a browser opens get a strict Content-Security-Policy and the hardening headers.
  app.use(['/agent', '/console'], securityHeaders());
  app.use('/agent', agentRouter(runtime));
  app.use('/console', consoleRouter(runtime));

  app.use((request, response) => {
    response
      .status(404)
      .json({ error: 'not-found', message: `no route for ${request.method} ${request.path}` });
  });

  const onError: ErrorRequestHandler = (error, request, response, _next) => {
    const status =
      typeof error?.status === 'number'
        ? error.status
        : typeof error?.statusCode === 'number'
          ? error.statusCode
          : 500;
    // Redis down or restarting: a clear, retryable answer instead of a 500 (docs/operations.md, "When Redis restarts").
    if (isStoreUnavailable(error)) {
      runtime.deps.logger.warn(
        { path: request.path, reason: error instanceof Error ? error.message : String(error) },
        'a store is unavailable: answered 503',
      );
      response.status(503).set('retry-after', String(STORE_RETRY_AFTER_SECONDS)).json({
        error: 'unavailable',
        message: 'a store Loket needs is not reachable right now; try again in a moment',
        retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
      });
      return;
    }
    if (error?.type === 'entity.too.large') {
      response.status(413).json({
        error: 'body-too-large',
        message: `request body over ${runtime.settings.LOKET_MAX_BODY_BYTES} bytes`,
      });
      return;
    }
    if (error?.type === 'entity.parse.failed') {
      response.status(400).json({ error: 'malformed-json', message: 'request body is not valid JSON' });
      return;
    }
    if (status >= 400 && status < 500) {
      response
        .status(status)
        .json({ error: 'bad-request', message: String(error?.message ?? 'bad request') });
      return;
    }
    runtime.deps.logger.error({ err: error, path: request.path }, 'request failed');
    response.status(500).json({ error: 'internal', message: 'something went wrong on our side' });
  };
  app.use(onError);
  return app;
}
