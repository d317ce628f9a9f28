// Maps a Dialogflow ES webhook request onto a Loket Turn: the matched intent if the model knows it, otherwise the
// query text for Loket's own NLU.
import { randomUUID } from 'node:crypto';
import type { Turn, TurnInput } from '../../core/types.ts';
import type { GoogleTurnContext } from './cx-turn.ts';
import type { EsWebhookRequest } from './es-request.ts';
import { modelIntentFor, WELCOME_INTENT } from './model-intent.ts';
import { type PhoneGateway, phoneGatewayOf } from './phone-gateway.ts';
import { slotValuesFromPlatform } from './slots.ts';

export function esSessionId(session: string): string {
  return `es:${session.split('/').at(-1)}`;
}

// The events that start a conversation: WELCOME everywhere, TELEPHONY_WELCOME on the phone gateway.
const WELCOME_EVENTS = new Set(['WELCOME', 'TELEPHONY_WELCOME']);

export function esTurnInput(request: EsWebhookRequest, context: GoogleTurnContext): TurnInput {
  const result = request.queryResult;
  const text = result.queryText?.trim() || undefined;
  const intent = modelIntentFor(result.intent?.displayName, context.loaded.model);
  const definition = intent ? context.loaded.model.intents[intent] : undefined;
  if (intent && definition) {
    // ES leaves a parameter it did not fill as "" (or []), which is not a value.
    const values = Object.fromEntries(
      Object.entries(result.parameters ?? {})
        .filter(([, value]) => value !== '' && !(Array.isArray(value) && value.length === 0))
        .map(([name, value]) => [name, { resolved: value }]),
    );
    const confidence = result.intentDetectionConfidence;
    return {
      type: 'intent',
      intent,
      slots: slotValuesFromPlatform({
        intent: definition,
        values,
        text,
        loaded: context.loaded,
        locale: context.locale,
        context: { now: context.now, timeZone: context.timeZone },
      }),
      confidence: typeof confidence === 'number' ? Math.min(1, Math.max(0, confidence)) : 1,
      ...(text ? { text } : {}),
    };
  }
  if (result.intent?.displayName === WELCOME_INTENT || (text && WELCOME_EVENTS.has(text))) {
    return { type: 'launch' };
  }
  return text ? { type: 'text', text } : { type: 'launch' };
}

export function turnFromEsRequest(
  request: EsWebhookRequest,
  context: GoogleTurnContext,
): { turn: Turn; phone: PhoneGateway | null } {
  const phone = phoneGatewayOf(request.originalDetectIntentRequest?.payload);
  const turn: Turn = {
    turnId: request.responseId || randomUUID(),
    channel: 'dialogflow-es',
    sessionId: esSessionId(request.session),
    locale: context.locale,
    ...(phone?.callerId ? { callerId: phone.callerId } : {}),
    input: esTurnInput(request, context),
    capabilities: {
      ssmlDialect: 'google',
      canTransfer: phone !== null && context.agentPhoneNumber !== null,
      progressiveResponse: false,
      screen: false,
      dtmf: false,
    },
  };
  return { turn, phone };
}
