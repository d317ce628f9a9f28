// Maps a Twilio call to Loket's Turn: the session is the call, the caller id identifies the customer, a <Gather>
// result becomes words (with the recogniser's confidence), keys or silence.
import { randomUUID } from 'node:crypto';
import type { Capabilities, Turn, TurnInput } from '../../core/types.ts';
import { callerIdOf, confidenceOf, sessionIdOf, type TwilioVoiceParams } from './twilio-params.ts';
import { ssmlSupportOf } from './voices.ts';

export interface CallTurnContext {
  locale: string;
  voice: string;
  canTransfer: boolean;
}

export function phoneCapabilities(voice: string, canTransfer: boolean): Capabilities {
  const { dialect } = ssmlSupportOf(voice);
  return {
    ssmlDialect: dialect,
    canTransfer,
    progressiveResponse: false,
    screen: false,
    dtmf: true,
  };
}

/** What a <Gather> action carries: keys win over words, and an empty result is silence. */
export function gatherInput(params: TwilioVoiceParams): TurnInput {
  const digits = params.Digits?.replace(/#+$/, '') ?? '';
  if (digits) return { type: 'dtmf', digits };
  const words = params.SpeechResult?.trim() ?? '';
  if (words) {
    const confidence = confidenceOf(params.Confidence);
    return confidence === undefined
      ? { type: 'text', text: words }
      : { type: 'text', text: words, asrConfidence: confidence };
  }
  return { type: 'no-input' };
}

export function callTurn(params: TwilioVoiceParams, input: TurnInput, context: CallTurnContext): Turn {
  const callerId = callerIdOf(params.From);
  return {
    turnId: randomUUID(),
    channel: 'phone',
    sessionId: sessionIdOf(params.CallSid),
    locale: context.locale,
    ...(callerId ? { callerId } : {}),
    input,
    capabilities: phoneCapabilities(context.voice, context.canTransfer),
  };
}
