// The Alexa channel: POST /alexa. Verifies the signature and timestamp on the raw body, checks the envelope and the
// skill id, then lets the ask-sdk skill answer from the shared engine. Bad requests get a 4xx and never reach it.
// It uses the express adapter's verifiers but not its ExpressAdapter handlers, which answer a malformed body or a
// skill error with a 500 and run both checks at once, so the reason for a refusal is not predictable.

import { SkillRequestSignatureVerifier, TimestampVerifier, type Verifier } from 'ask-sdk-express-adapter';
import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import {
  failureReasonOf,
  recordWebhookFailure,
  type WebhookFailureReason,
} from '../../observability/metrics.ts';
import type { Runtime } from '../../server/runtime.ts';
import { alexaEnvelopeSchema, applicationIdOf } from './envelope.ts';
import { readAlexaSettings } from './settings.ts';
import { buildAlexaSkill } from './skill.ts';

export interface AlexaRouterOptions {
  /**
   * Replaces the signature and timestamp checks (tests use a signature verifier that trusts a local certificate).
   * Without it: both of the adapter's verifiers when LOKET_ALEXA_VERIFY is on, none when it is off.
   */
  verifiers?: Verifier[];
}

/** Checks run one after the other, cheapest first: the timestamp needs no network, the certificate may. */
async function verify(
  verifiers: readonly Verifier[],
  request: Request,
  body: string,
): Promise<{ message: string; reason: WebhookFailureReason } | null> {
  for (const verifier of verifiers) {
    try {
      await verifier.verify(body, request.headers);
    } catch (error) {
      return {
        message: error instanceof Error ? error.message : String(error),
        reason: verifier instanceof TimestampVerifier ? 'timestamp' : 'signature',
      };
    }
  }
  return null;
}

export function alexaRouter(runtime: Runtime, options: AlexaRouterOptions = {}): Router {
  const settings = readAlexaSettings(runtime.settings.env);
  const { logger } = runtime.deps;
  if (!settings.verify && !options.verifiers) {
    logger.warn(
      'LOKET_ALEXA_VERIFY=false: Alexa request signatures and timestamps are NOT checked; never run this in production',
    );
  }
  const verifiers =
    options.verifiers ??
    (settings.verify ? [new TimestampVerifier(), new SkillRequestSignatureVerifier()] : []);
  const skill = buildAlexaSkill(runtime, settings);
  /** Every refusal is counted in loket_webhook_failures_total{channel="alexa"} with a reason from a fixed set. */
  const refuse = (
    response: express.Response,
    reason: WebhookFailureReason,
    status: number,
    error: string,
    message: string,
  ) => {
    recordWebhookFailure(runtime.metrics, 'alexa', reason);
    response.status(status).json({ error, message });
  };

  const router = express.Router();
  router.post(
    '/',
    (request, response, next) => {
      // The signature covers the exact bytes Alexa sent: a JSON parser in front of this router would lose them.
      // https://developer.amazon.com/en-US/docs/alexa/custom-skills/host-a-custom-skill-as-a-web-service.html#manually-verify-request-sent-by-alexa
      if (request.body !== undefined) {
        logger.error('a body parser ran before the Alexa router; the signature cannot be checked');
        refuse(response, 'internal', 500, 'internal', 'the Alexa endpoint is misconfigured');
        return;
      }
      next();
    },
    express.text({ type: () => true, limit: runtime.settings.LOKET_MAX_BODY_BYTES }),
    async (request, response) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const failure = await verify(verifiers, request, body);
      if (failure) {
        logger.warn({ reason: failure.message }, 'alexa request refused: verification failed');
        refuse(response, failure.reason, 400, 'verification-failed', failure.message);
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        refuse(response, 'malformed-json', 400, 'malformed-json', 'request body is not valid JSON');
        return;
      }
      const parsed = alexaEnvelopeSchema.safeParse(json);
      if (!parsed.success) {
        refuse(
          response,
          'invalid-request',
          400,
          'invalid-request',
          parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
            .join('; '),
        );
        return;
      }
      const envelope = parsed.data;
      const applicationId = applicationIdOf(envelope);
      if (settings.skillId && applicationId !== settings.skillId) {
        logger.warn({ applicationId }, 'alexa request refused: another skill');
        refuse(
          response,
          'skill-id',
          400,
          'wrong-skill',
          `this endpoint serves ${settings.skillId}, not ${applicationId}`,
        );
        return;
      }
      // Alexa sends a context with every request; without one the ask-sdk's service client factory throws (a 500).
      if (!envelope.context) {
        refuse(
          response,
          'invalid-request',
          400,
          'invalid-request',
          'context: Alexa sends a context with every request',
        );
        return;
      }
      // The error handler inside the skill turns engine failures into a spoken apology; what still throws here is
      // an ask-sdk failure, and the app's error handler answers it with a 500.
      const responseEnvelope = await skill.invoke(json as Parameters<typeof skill.invoke>[0], { envelope });
      response.json(responseEnvelope);
    },
  );
  router.all('/', (request, response) => {
    // Not a platform request (Alexa only POSTs): answered, not counted.
    response.status(405).json({ error: 'method-not-allowed', message: `use POST, not ${request.method}` });
  });
  // Oversized bodies (from the body parser) and ask-sdk failures end here: count them, then let the app answer.
  router.use(((error, _request, _response, next) => {
    recordWebhookFailure(
      runtime.metrics,
      'alexa',
      error?.type === 'entity.too.large' ? 'body-too-large' : failureReasonOf(error),
    );
    next(error);
  }) satisfies ErrorRequestHandler);
  return router;
}
