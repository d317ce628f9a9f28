// The phone line's Twilio-compatible voice webhooks: an incoming call, each <Gather> result, the language menu, the
// transfer's outcome, the queue's waiting line and the call's status. Every request must carry a valid Twilio
// signature. The media stream (WebSocket /telephony/stream) is attached in fulfillment/server/upgrades.ts.
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import type { Logger } from 'pino';
import { takeTurn } from '../../conversation/take-turn.ts';
import type { TurnInput } from '../../core/types.ts';
import { failureReasonOf, type LoketMetrics, recordWebhookFailure } from '../../observability/metrics.ts';
import { callerRateLimiter, tooManyRequests } from '../../server/rate-limit.ts';
import type { Runtime } from '../../server/runtime.ts';
import { espeakAvailable } from '../../speech/offline.ts';
import { callTurn, gatherInput } from './call-turn.ts';
import { chosenLocale, languageMenuVerb } from './language-menu.ts';
import { promptSpeech } from './prompt-speech.ts';
import { type ReplyContext, replyTwiml, say } from './reply-twiml.ts';
import {
  canTransfer,
  readTelephonySettings,
  type TelephonySettings,
  telephonyStartupWarnings,
} from './settings.ts';
import { isValidTwilioSignature } from './signature.ts';
import { streamConnectVerb } from './stream-twiml.ts';
import { RING_SECONDS, ringToneFor, transferVerb } from './transfer.ts';
import { callerIdOf, sessionIdOf, type TwilioVoiceParams, twilioVoiceParamsSchema } from './twilio-params.ts';
import { element, text, twimlResponse } from './twiml.ts';
import { voiceFor } from './voices.ts';

const ENDED_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const CONNECTED_RESULTS = new Set(['completed', 'answered', 'bridged', 'bridging-in-progress', 'hangup']);
const LAST_RESORT = 'Sorry, something went wrong on our side.';

/** The address Twilio reached: LOKET_PUBLIC_URL (Loket sits behind proxies), else what the request says (dev only). */
export function baseUrlOf(settings: TelephonySettings, request: Request): string {
  return settings.publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

/**
 * Rejects anything Twilio did not sign: 403 before the request is acted on. The signed URL is LOKET_PUBLIC_URL plus
 * the path, never the Host or X-Forwarded-* headers, so LOKET_TRUST_PROXY cannot change what is checked.
 */
function requireTwilioSignature(settings: TelephonySettings, logger: Logger, metrics?: LoketMetrics) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!settings.verify) {
      next();
      return;
    }
    const refuse = (reason: string) => {
      logger.warn({ path: request.path, reason }, 'telephony request refused');
      recordWebhookFailure(metrics, 'phone', 'signature');
      response.status(403).type('text/plain').send(`forbidden: ${reason}`);
    };
    if (!settings.authToken || !settings.publicUrl) {
      refuse('the phone line is not configured: set LOKET_TWILIO_AUTH_TOKEN and LOKET_PUBLIC_URL');
      return;
    }
    const signature = request.get('x-twilio-signature');
    if (!signature) {
      refuse('missing X-Twilio-Signature');
      return;
    }
    const url = `${settings.publicUrl}${request.originalUrl}`;
    const params = (request.body ?? {}) as Record<string, string | string[]>;
    if (!isValidTwilioSignature(settings.authToken, signature, url, params)) {
      refuse('X-Twilio-Signature does not match (check LOKET_TWILIO_AUTH_TOKEN and LOKET_PUBLIC_URL)');
      return;
    }
    next();
  };
}

export function telephonyRouter(runtime: Runtime): Router {
  const settings = readTelephonySettings(runtime.settings.env, runtime.locales());
  const { logger } = runtime.deps;
  const needsEspeak = settings.stream && !settings.azure;
  for (const warning of telephonyStartupWarnings(settings, needsEspeak ? espeakAvailable() : true)) {
    logger.warn(warning);
  }
  const transfers = canTransfer(settings);
  const perCaller = callerRateLimiter(runtime);
  /** The per-caller-id limit on a new call and on each <Gather> result (From as E.164; anonymous is not limited). */
  const callerLimited = (request: Request, response: Response, next: NextFunction) => {
    const callerId = callerIdOf(typeof request.body?.From === 'string' ? request.body.From : undefined);
    const taken = callerId ? perCaller.take(`caller:${callerId}`) : ({ ok: true } as const);
    if (taken.ok) {
      next();
      return;
    }
    recordWebhookFailure(runtime.metrics, 'phone', 'rate-limited');
    tooManyRequests(response, taken.retryAfterSeconds, 'caller id');
  };

  const urlsFor = (request: Request, locale: string) => {
    const base = `${baseUrlOf(settings, request)}/telephony/twilio`;
    const query = `?locale=${encodeURIComponent(locale)}`;
    return {
      gather: `${base}/gather${query}`,
      ended: `${base}/transfer-ended${query}`,
      wait: `${base}/wait${query}`,
      language: `${base}/language`,
      streamEnded: `${base}/stream-ended${query}`,
      stream: `${baseUrlOf(settings, request).replace(/^http/, 'ws')}/telephony/stream`,
    };
  };
  const replyContext = (request: Request, params: TwilioVoiceParams, locale: string): ReplyContext => ({
    model: runtime.deps.current().model,
    locale,
    voice: voiceFor(settings.voices, locale),
    settings,
    urls: urlsFor(request, locale),
    callerId: callerIdOf(params.From) ?? null,
  });
  const localeFromQuery = (request: Request): string | null => {
    const locale = typeof request.query.locale === 'string' ? request.query.locale : '';
    return runtime.locales().includes(locale) ? locale : null;
  };

  /** The kind line when Loket itself failed, and still a person if one can be reached. */
  const failureTwiml = (context: ReplyContext): string => {
    const localeModel = context.model.locales[context.locale];
    const apology = localeModel
      ? promptSpeech(localeModel, 'error.generic', {}, runtime.deps.random)
      : [{ kind: 'text' as const, text: LAST_RESORT }];
    const fallback = settings.flexWorkflowSid
      ? element(
          'Enqueue',
          { workflowSid: settings.flexWorkflowSid, waitUrl: context.urls.wait, waitUrlMethod: 'POST' },
          element('Task', {}, text(JSON.stringify({ type: 'loket-handoff', reason: 'error' }))),
        )
      : settings.agentSipUri
        ? element(
            'Dial',
            { timeout: RING_SECONDS, ringTone: ringToneFor(context.locale) },
            element('Sip', {}, text(settings.agentSipUri)),
          )
        : element('Hangup');
    return twimlResponse(say(apology, context.voice, context.locale), fallback);
  };

  const answer = async (
    request: Request,
    params: TwilioVoiceParams,
    locale: string,
    input: TurnInput,
  ): Promise<string> => {
    const context = replyContext(request, params, locale);
    const turn = callTurn(params, input, { locale, voice: context.voice, canTransfer: transfers });
    try {
      const result = await takeTurn(runtime.deps, turn);
      return replyTwiml(
        {
          speech: result.reply.speech,
          slow: result.reply.slow,
          expecting: result.reply.expecting,
          end: result.reply.end,
          handoff: result.handoff,
        },
        context,
      );
    } catch (error) {
      recordWebhookFailure(runtime.metrics, 'phone', failureReasonOf(error));
      logger.error(
        { err: error, turnId: turn.turnId, sessionId: turn.sessionId, channel: 'phone' },
        'phone turn failed',
      );
      return failureTwiml(context);
    }
  };

  /** The call begins: by webhooks (greeting and <Gather>) or, when configured, on the media stream. */
  const begin = async (request: Request, params: TwilioVoiceParams, locale: string): Promise<string> => {
    if (settings.stream) {
      const urls = urlsFor(request, locale);
      return twimlResponse(
        streamConnectVerb(urls.stream, urls.streamEnded, { locale, from: callerIdOf(params.From) ?? '' }),
      );
    }
    return answer(request, params, locale, { type: 'launch' });
  };

  const handle =
    (run: (request: Request, params: TwilioVoiceParams) => Promise<string | null>) =>
    async (request: Request, response: Response) => {
      const parsed = twilioVoiceParamsSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        const reason = parsed.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ');
        recordWebhookFailure(runtime.metrics, 'phone', 'invalid-request');
        response.status(400).type('text/plain').send(`not a Twilio voice request: ${reason}`);
        return;
      }
      let twiml: string | null;
      try {
        twiml = await run(request, parsed.data);
      } catch (error) {
        // Twilio would play its own "application error" and hang up; the caller hears an apology and a person.
        recordWebhookFailure(runtime.metrics, 'phone', failureReasonOf(error));
        logger.error(
          { err: error, path: request.path, callSid: parsed.data.CallSid },
          'phone webhook failed',
        );
        const locale = localeFromQuery(request) ?? settings.defaultLocale ?? runtime.locales()[0] ?? 'en-US';
        twiml = failureTwiml(replyContext(request, parsed.data, locale));
      }
      if (twiml === null) response.status(204).end();
      else response.type('text/xml').send(twiml);
    };

  const router = express.Router();
  router.use('/twilio', (request, response, next) => {
    if (request.method === 'POST') next();
    else
      response
        .status(405)
        .set('Allow', 'POST')
        .type('text/plain')
        .send(`${request.method} is not supported; Twilio POSTs`);
  });
  // Twilio posts forms; the signature covers the decoded parameters, so parsing comes first.
  router.use(
    '/twilio',
    express.urlencoded({ extended: false, limit: runtime.settings.LOKET_MAX_BODY_BYTES, type: () => true }),
  );
  router.use('/twilio', requireTwilioSignature(settings, logger, runtime.metrics));

  router.post(
    '/twilio/voice',
    callerLimited,
    handle(async (request, params) => {
      const locales = runtime.locales();
      const locale =
        (params.To ? settings.numberLocales.get(params.To) : undefined) ??
        settings.defaultLocale ??
        (locales.length === 1 ? locales[0] : undefined);
      if (locale) return begin(request, params, locale);
      const model = runtime.deps.current().model;
      return twimlResponse(
        languageMenuVerb(model, locales, settings.voices, urlsFor(request, '').language, runtime.deps.random),
      );
    }),
  );

  router.post(
    '/twilio/language',
    handle(async (request, params) => {
      const locales = runtime.locales();
      // No answer is an answer too: carry on in the first language rather than loop the menu.
      const locale = chosenLocale(locales, params.Digits, params.SpeechResult) ?? locales[0] ?? 'en-US';
      return begin(request, params, locale);
    }),
  );

  router.post(
    '/twilio/gather',
    callerLimited,
    handle(async (request, params) => {
      const locale = localeFromQuery(request) ?? settings.defaultLocale ?? runtime.locales()[0] ?? 'en-US';
      return answer(request, params, locale, gatherInput(params));
    }),
  );

  router.post(
    '/twilio/status',
    handle(async (request, params) => {
      if (!params.CallStatus || !ENDED_STATUSES.has(params.CallStatus)) return null;
      const sessionId = sessionIdOf(params.CallSid);
      const session = await runtime.deps.sessions.load(sessionId);
      if (!session || session.ended) return null;
      // The hang-up closes the session; the transcript stays in the records store.
      const locale = localeFromQuery(request) ?? session.locale;
      const voice = voiceFor(settings.voices, locale);
      await takeTurn(
        runtime.deps,
        callTurn(
          params,
          { type: 'end', reason: `call ${params.CallStatus}` },
          { locale, voice, canTransfer: transfers },
        ),
      );
      return null;
    }),
  );

  router.post(
    '/twilio/transfer-ended',
    handle(async (request, params) => {
      const outcome = params.DialCallStatus ?? params.QueueResult ?? '';
      if (CONNECTED_RESULTS.has(outcome)) return twimlResponse(element('Hangup'));
      const session = await runtime.deps.sessions.load(sessionIdOf(params.CallSid));
      const locale = localeFromQuery(request) ?? session?.locale ?? runtime.locales()[0] ?? 'en-US';
      const localeModel = runtime.deps.current().model.locales[locale];
      const handoff = session?.handoffId ? await runtime.deps.records.getHandoff(session.handoffId) : null;
      logger.warn(
        { callSid: params.CallSid, outcome, handoffId: handoff?.id },
        'transfer to an agent failed',
      );
      if (!localeModel) return twimlResponse(element('Hangup'));
      // Nobody answered: the caller leaves with the number and the code, so the next call continues from here.
      const speech = handoff
        ? promptSpeech(
            localeModel,
            'handoff.unreachable',
            {
              phone: [
                {
                  kind: 'say-as',
                  as: 'telephone',
                  value: localeModel.persona.phoneNumber ?? '',
                  display: localeModel.persona.phoneNumber ?? '',
                },
              ],
              code: [{ kind: 'say-as', as: 'digits', value: handoff.code, display: handoff.code }],
            },
            runtime.deps.random,
          )
        : promptSpeech(localeModel, 'goodbye', {}, runtime.deps.random);
      return twimlResponse(say(speech, voiceFor(settings.voices, locale), locale), element('Hangup'));
    }),
  );

  router.post(
    '/twilio/wait',
    handle(async (request) => {
      const locale = localeFromQuery(request) ?? runtime.locales()[0] ?? 'en-US';
      const localeModel = runtime.deps.current().model.locales[locale];
      if (!localeModel) return twimlResponse(element('Pause', { length: 10 }));
      // Twilio plays the wait URL's TwiML in a loop until a colleague picks up.
      const speech = promptSpeech(localeModel, 'handoff.waiting', {}, runtime.deps.random);
      return twimlResponse(
        say(speech, voiceFor(settings.voices, locale), locale),
        element('Pause', { length: 20 }),
      );
    }),
  );

  router.post(
    '/twilio/stream-ended',
    handle(async (request, params) => {
      // <Connect><Stream> ended: the stream closed the socket after a goodbye or a handoff, or the stream broke.
      const session = await runtime.deps.sessions.load(sessionIdOf(params.CallSid));
      const locale = localeFromQuery(request) ?? session?.locale ?? runtime.locales()[0] ?? 'en-US';
      const context = replyContext(request, params, locale);
      if (!session || session.ended) return twimlResponse(element('Hangup'));
      const handoff = session.handoffId ? await runtime.deps.records.getHandoff(session.handoffId) : null;
      if (handoff) {
        return twimlResponse(
          transferVerb(handoff, settings, context.urls, context.callerId) ?? element('Hangup'),
        );
      }
      // The stream broke mid-conversation: carry on by webhooks from the question that was pending.
      return answer(request, params, locale, { type: 'no-input' });
    }),
  );

  router.all('/{*rest}', (request, response) => {
    response.status(404).type('text/plain').send(`no phone endpoint at ${request.method} ${request.path}`);
  });
  // Oversized bodies (from the form parser) end here: count them, then let the app answer.
  router.use(((error, _request, _response, next) => {
    recordWebhookFailure(
      runtime.metrics,
      'phone',
      error?.type === 'entity.too.large' ? 'body-too-large' : failureReasonOf(error),
    );
    next(error);
  }) satisfies ErrorRequestHandler);
  return router;
}
