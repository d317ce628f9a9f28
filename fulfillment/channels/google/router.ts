// The Google channel: POST /google/cx (Dialogflow CX) and POST /google/es (Dialogflow ES) webhooks, behind webhook auth.
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { ZodError } from 'zod';
import {
  failureReasonOf,
  recordWebhookFailure,
  requestFailureReasonOf,
  type WebhookFailureReason,
} from '../../observability/metrics.ts';
import type { Runtime } from '../../server/runtime.ts';
import { googleAuth } from './auth.ts';
import { cxWebhookRequestSchema } from './cx-request.ts';
import { cxWebhookResponse } from './cx-response.ts';
import { type GoogleTurnContext, turnFromCxRequest } from './cx-turn.ts';
import { esWebhookRequestSchema } from './es-request.ts';
import { esWebhookResponse } from './es-response.ts';
import { turnFromEsRequest } from './es-turn.ts';
import { type CertificateSource, googleCertificates, idTokenVerifier } from './id-token.ts';
import { matchGoogleLanguage } from './locale.ts';
import { phoneGatewayOf } from './phone-gateway.ts';
import { googleStartupWarnings, readGoogleSettings } from './settings.ts';
import { failureReply, webhookReply } from './webhook-reply.ts';

export interface GoogleRouterOptions {
  /** where Google's ID-token signing certificates come from; Google's published certificates unless given */
  certificates?: CertificateSource;
}

function describeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

export function googleRouter(runtime: Runtime, options: GoogleRouterOptions = {}): Router {
  const settings = readGoogleSettings(runtime.settings.env);
  const { logger } = runtime.deps;
  for (const warning of googleStartupWarnings(settings)) logger.warn(warning);
  const verifyIdToken = settings.idToken
    ? idTokenVerifier({ ...settings.idToken, certificates: options.certificates ?? googleCertificates() })
    : null;

  /** loket_webhook_failures_total{channel="dialogflow-cx" or "dialogflow-es"}, by the path the request came to */
  const countFailure = (request: Request, reason: WebhookFailureReason) => {
    const path = request.originalUrl.split('?')[0] ?? '';
    recordWebhookFailure(runtime.metrics, /\/es\/?$/.test(path) ? 'dialogflow-es' : 'dialogflow-cx', reason);
  };

  const router = express.Router();
  // Auth comes before the body parser: without credentials nothing is read, and the answer is always 401.
  router.use(
    ['/cx', '/es'],
    googleAuth(settings, verifyIdToken, logger, (request) => countFailure(request, 'auth')),
  );
  router.use(
    ['/cx', '/es'],
    express.json({ limit: runtime.settings.LOKET_MAX_BODY_BYTES, strict: true, type: () => true }),
  );

  const turnContext = (
    request: Request,
    response: Response,
    languageCode: string,
  ): GoogleTurnContext | null => {
    const supported = runtime.locales();
    const locale = matchGoogleLanguage(languageCode, supported);
    if (!locale) {
      countFailure(request, 'unknown-locale');
      response.status(400).json({
        error: 'unknown-locale',
        message: `unknown languageCode '${languageCode}'; supported: ${supported.join(', ')}`,
        supported,
      });
      return null;
    }
    return {
      locale,
      loaded: runtime.deps.current(),
      now: runtime.deps.clock(),
      timeZone: runtime.deps.timeZone,
      agentPhoneNumber: settings.agentPhoneNumber,
    };
  };
  const invalid = (request: Request, response: Response, format: string, error: ZodError) => {
    countFailure(request, 'invalid-request');
    response.status(400).json({
      error: 'invalid-webhook-request',
      message: `not a ${format} webhook request: ${describeIssues(error)}`,
    });
  };

  router.post('/cx', async (request: Request, response: Response) => {
    const parsed = cxWebhookRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      invalid(request, response, 'Dialogflow CX', parsed.error);
      return;
    }
    const context = turnContext(request, response, parsed.data.languageCode);
    if (!context) return;
    try {
      const { turn, phone } = turnFromCxRequest(parsed.data, context);
      const reply = await webhookReply(runtime, turn);
      response.json(cxWebhookResponse(reply, parsed.data, phone, settings.agentPhoneNumber));
    } catch (error) {
      logger.error({ err: error, channel: 'dialogflow-cx' }, 'webhook request failed');
      countFailure(request, failureReasonOf(error));
      const phone = phoneGatewayOf(parsed.data.payload);
      const reply = failureReply(runtime, context.locale);
      response.json(cxWebhookResponse(reply, parsed.data, phone, settings.agentPhoneNumber));
    }
  });

  router.post('/es', async (request: Request, response: Response) => {
    const parsed = esWebhookRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      invalid(request, response, 'Dialogflow ES', parsed.error);
      return;
    }
    const context = turnContext(request, response, parsed.data.queryResult.languageCode);
    if (!context) return;
    try {
      const { turn, phone } = turnFromEsRequest(parsed.data, context);
      const reply = await webhookReply(runtime, turn);
      response.json(esWebhookResponse(reply, parsed.data, phone, settings.agentPhoneNumber));
    } catch (error) {
      logger.error({ err: error, channel: 'dialogflow-es' }, 'webhook request failed');
      countFailure(request, failureReasonOf(error));
      const phone = phoneGatewayOf(parsed.data.originalDetectIntentRequest?.payload);
      const reply = failureReply(runtime, context.locale);
      response.json(esWebhookResponse(reply, parsed.data, phone, settings.agentPhoneNumber));
    }
  });

  router.all(['/cx', '/es'], (request, response) => {
    response
      .status(405)
      .set('Allow', 'POST')
      .json({ error: 'method-not-allowed', message: `${request.method} is not supported; Dialogflow POSTs` });
  });
  // Malformed JSON and oversized bodies (from the body parser) end here: count them, then let the app answer.
  router.use(((error, request, _response, next) => {
    countFailure(request, requestFailureReasonOf(error));
    next(error);
  }) satisfies ErrorRequestHandler);
  return router;
}
