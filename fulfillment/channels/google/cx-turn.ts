// Maps a Dialogflow CX webhook request onto a Loket Turn: the intent CX matched if the model knows it, otherwise the
// customer's words (or keypad digits) for Loket's own NLU. The fulfillment tag is only a hint, never required.
import { randomUUID } from 'node:crypto';
import type { LoadedModel } from '../../conversation/take-turn.ts';
import type { Turn, TurnInput } from '../../core/types.ts';
import type { CxWebhookRequest } from './cx-request.ts';
import { modelIntentFor, WELCOME_INTENT } from './model-intent.ts';
import { type PhoneGateway, phoneGatewayOf } from './phone-gateway.ts';
import { slotValuesFromPlatform } from './slots.ts';

export interface GoogleTurnContext {
  locale: string;
  loaded: LoadedModel;
  now: Date;
  timeZone: string;
  agentPhoneNumber: string | null;
}

/** The last path segment of a Dialogflow session name, prefixed so sessions of different channels never collide. */
export function cxSessionId(session: string): string {
  return `cx:${session.split('/').at(-1)}`;
}

// The welcome intent has the same fixed id in every CX agent.
const WELCOME_INTENT_ID = '/intents/00000000-0000-0000-0000-000000000000';

const isWelcome = (request: CxWebhookRequest) =>
  request.intentInfo?.displayName === WELCOME_INTENT ||
  request.triggerIntent?.endsWith(WELCOME_INTENT_ID) === true ||
  /^(sys\.)?welcome$/i.test(request.triggerEvent ?? '') ||
  request.fulfillmentInfo?.tag === 'welcome';

const isNoInput = (request: CxWebhookRequest) =>
  /no-input/i.test(request.triggerEvent ?? '') || request.fulfillmentInfo?.tag === 'no-input';

export function cxTurnInput(request: CxWebhookRequest, context: GoogleTurnContext): TurnInput {
  const digits = request.dtmfDigits?.replace(/[^0-9*#]/g, '');
  if (digits) return { type: 'dtmf', digits };
  const text = (request.text ?? request.transcript)?.trim() || undefined;
  const intent = modelIntentFor(request.intentInfo?.displayName, context.loaded.model);
  const definition = intent ? context.loaded.model.intents[intent] : undefined;
  if (intent && definition) {
    const values = Object.fromEntries(
      Object.entries(request.intentInfo?.parameters ?? {}).map(([name, value]) => [
        name,
        { resolved: value.resolvedValue, original: value.originalValue },
      ]),
    );
    const confidence = request.intentInfo?.confidence;
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
  if (isWelcome(request)) return { type: 'launch' };
  if (isNoInput(request) && !text) return { type: 'no-input' };
  if (text) return { type: 'text', text };
  return { type: 'launch' };
}

export function turnFromCxRequest(
  request: CxWebhookRequest,
  context: GoogleTurnContext,
): { turn: Turn; phone: PhoneGateway | null } {
  const phone = phoneGatewayOf(request.payload);
  const turn: Turn = {
    turnId: request.detectIntentResponseId || randomUUID(),
    channel: 'dialogflow-cx',
    sessionId: cxSessionId(request.sessionInfo.session),
    locale: context.locale,
    ...(phone?.callerId ? { callerId: phone.callerId } : {}),
    input: cxTurnInput(request, context),
    capabilities: {
      ssmlDialect: 'google',
      // Only the phone gateway can transfer a call, and only to a number we were given.
      canTransfer: phone !== null && context.agentPhoneNumber !== null,
      progressiveResponse: false,
      screen: false,
      dtmf: phone !== null,
    },
  };
  return { turn, phone };
}
