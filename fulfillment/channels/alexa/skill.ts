// The Alexa skill as ask-sdk-core runs it: one request handler that hands every Launch, Intent and SessionEnded
// request to the shared engine as a Turn, and one error handler that says something kind when the engine fails.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DefaultApiClient, type HandlerInput, type Skill, SkillBuilders } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import { type TurnOptions, takeTurn } from '../../conversation/take-turn.ts';
import type { Speech } from '../../core/types.ts';
import type { LocaleModel } from '../../model/schema.ts';
import { extractEntity } from '../../nlu/understand.ts';
import { failureReasonOf, recordWebhookFailure } from '../../observability/metrics.ts';
import type { Runtime } from '../../server/runtime.ts';
import { linkedCustomerIdFor } from './account-link.ts';
import { type AlexaEnvelope, accessTokenOf } from './envelope.ts';
import { modelLocaleFor } from './locales.ts';
import { sendProgressiveResponse } from './progressive.ts';
import { alexaResponse } from './render.ts';
import type { AlexaSettings } from './settings.ts';
import { alexaSsml } from './ssml.ts';
import { modelIntentFor, turnFromAlexa } from './turn.ts';

/** What the router passes to `skill.invoke` as its context: the envelope it already checked. */
export interface AlexaInvokeContext {
  envelope: AlexaEnvelope;
}

const CONVERSATIONAL_REQUESTS = new Set(['LaunchRequest', 'IntentRequest', 'SessionEndedRequest']);
/** A progressive response still in flight when the answer is ready is not waited for longer than this. */
const PROGRESSIVE_GRACE_MS = 1500;

/** Alexa tells the skill why a session ended; ERROR means Alexa could not use a response, which is a bug here. */
function logSessionEnd(runtime: Runtime, envelope: AlexaEnvelope): void {
  const { requestId, reason, error } = envelope.request;
  const fields = { requestId, sessionId: envelope.session?.sessionId, reason };
  if (reason === 'ERROR' || error) {
    runtime.deps.logger.error(
      { ...fields, errorType: error?.type, errorMessage: error?.message },
      'alexa ended the session with an error',
    );
  } else {
    runtime.deps.logger.debug(fields, 'alexa session ended');
  }
}

async function answer(runtime: Runtime, settings: AlexaSettings, input: HandlerInput): Promise<Response> {
  const { envelope } = input.context as AlexaInvokeContext;
  const { request } = envelope;
  const { deps } = runtime;
  if (!CONVERSATIONAL_REQUESTS.has(request.type)) {
    deps.logger.info({ requestId: request.requestId, type: request.type }, 'alexa request type not handled');
    return {};
  }
  if (request.type === 'SessionEndedRequest') logSessionEnd(runtime, envelope);

  const loaded = deps.current();
  const locale = modelLocaleFor(request.locale ?? 'en-US', Object.keys(loaded.model.locales));
  const localeModel = locale ? loaded.model.locales[locale] : undefined;
  if (!locale || !localeModel) throw new Error('the model has no locales');
  const localeNlu = loaded.nlu.locales[locale];
  const now = deps.clock();
  const turn = turnFromAlexa({
    envelope,
    model: loaded.model,
    locale,
    turnId: randomUUID(),
    canonical: (entity, heard) =>
      localeNlu
        ? (extractEntity(entity, heard, localeNlu, { now, timeZone: deps.timeZone })?.value ?? null)
        : null,
  });
  const linkedCustomerId =
    turn.input.type === 'end' ? undefined : linkedCustomerIdFor(accessTokenOf(envelope));
  if (linkedCustomerId) turn.linkedCustomerId = linkedCustomerId;

  const progressive: Promise<unknown>[] = [];
  const options: TurnOptions =
    turn.capabilities.progressiveResponse && turn.input.type !== 'end'
      ? {
          slowAfterMs: settings.progressiveAfterMs,
          onSlowBackend: () => {
            progressive.push(
              sendProgressiveResponse(input, localeModel).catch((error: unknown) =>
                deps.logger.warn({ err: error, turnId: turn.turnId }, 'progressive response not sent'),
              ),
            );
          },
        }
      : {};
  const result = await takeTurn(deps, turn, options);
  // The waiting line must not arrive after the answer; it was sent at least a second ago, so this rarely waits.
  if (progressive.length > 0) await Promise.race([Promise.all(progressive), delay(PROGRESSIVE_GRACE_MS)]);
  // Alexa ignores any response to a SessionEndedRequest.
  if (turn.input.type === 'end') return {};
  const requestIntent = request.type === 'IntentRequest' ? (request.intent ?? null) : null;
  return alexaResponse(result, {
    locale,
    requestIntent,
    modelIntent: requestIntent ? modelIntentFor(requestIntent.name, loaded.model) : null,
  });
}

function apologySpeech(localeModel: LocaleModel | undefined, language: string): Speech {
  const phone = localeModel?.persona.phoneNumber;
  const informal = localeModel?.persona.formality === 'informal';
  const phoneSpeech: Speech = phone
    ? [
        { kind: 'say-as', as: 'telephone', value: phone, display: phone },
        { kind: 'text', text: '.' },
      ]
    : [];
  if (language === 'nl') {
    const tryAgain = informal ? 'Probeer het straks nog eens' : 'Probeert u het straks nog eens';
    return [
      {
        kind: 'text',
        text: `Sorry, er ging iets mis aan onze kant. ${tryAgain}${phone ? ', of bel ons op ' : '.'}`,
      },
      ...phoneSpeech,
    ];
  }
  return [
    {
      kind: 'text',
      text: `Sorry, something went wrong on our side. Please try again in a moment${phone ? ', or call us at ' : '.'}`,
    },
    ...phoneSpeech,
  ];
}

/** The engine failed (a store is down, a bug): log it with the request id and say something kind. */
function apologize(runtime: Runtime, input: HandlerInput, error: Error): Response {
  const { request } = input.requestEnvelope;
  recordWebhookFailure(runtime.metrics, 'alexa', failureReasonOf(error));
  runtime.deps.logger.error(
    { err: error, requestId: request.requestId, type: request.type },
    'alexa request failed',
  );
  const requested = 'locale' in request && typeof request.locale === 'string' ? request.locale : 'en-US';
  let localeModel: LocaleModel | undefined;
  try {
    const { model } = runtime.deps.current();
    const locale = modelLocaleFor(requested, Object.keys(model.locales));
    localeModel = locale ? model.locales[locale] : undefined;
  } catch {
    localeModel = undefined;
  }
  const locale = localeModel?.locale ?? requested;
  const speech = apologySpeech(localeModel, locale.split('-')[0] ?? 'en');
  return {
    outputSpeech: { type: 'SSML', ssml: alexaSsml(speech, { locale, slow: false }) },
    shouldEndSession: true,
  };
}

export function buildAlexaSkill(runtime: Runtime, settings: AlexaSettings): Skill {
  return (
    SkillBuilders.custom()
      .addRequestHandlers({
        canHandle: () => true,
        handle: (input) => answer(runtime, settings, input),
      })
      .addErrorHandlers({
        canHandle: () => true,
        handle: (input, error) => apologize(runtime, input, error),
      })
      // The Directive service client (progressive responses) needs an API client.
      .withApiClient(new DefaultApiClient())
      .create()
  );
}
