// Renders a turn's reply as TwiML: a <Gather> that speaks and listens (speech and keys, patient timeouts, hints from the
// model), or the transfer to a person, or a goodbye and <Hangup>.
// https://www.twilio.com/docs/voice/twiml/gather · https://www.twilio.com/docs/voice/twiml/say
import type { Expectation, HandoffPackage, Speech } from '../../core/types.ts';
import type { IntentModel } from '../../model/schema.ts';
import type { TelephonySettings } from './settings.ts';
import { speechHints } from './speech-hints.ts';
import { type TransferUrls, transferVerb } from './transfer.ts';
import { element, text, twimlResponse } from './twiml.ts';
import { sayMarkup } from './voices.ts';

/**
 * Seconds of silence after speech before the caller's turn counts as finished. Twilio's "auto" cuts older callers off
 * while they think; a fixed 3 s lets them finish long sentences.
 */
export const SPEECH_END_SECONDS = 3;

export interface ReplyContext {
  model: IntentModel;
  locale: string;
  voice: string;
  settings: TelephonySettings;
  /** absolute URLs this call's next requests go to */
  urls: { gather: string } & TransferUrls;
  callerId: string | null;
}

export function say(speech: Speech, voice: string, locale: string, slow = false): string {
  return element('Say', { voice, language: locale }, sayMarkup(speech, voice, slow));
}

/** A single key answers a menu or a yes/no at once; a number is keyed in full and ended with #. */
function keysWanted(expecting: Expectation | null): number | undefined {
  if (!expecting || expecting.type === 'intent' || expecting.type === 'confirmation') return 1;
  return undefined;
}

export function gatherVerb(content: string, expecting: Expectation | null, context: ReplyContext): string {
  return element(
    'Gather',
    {
      input: 'speech dtmf',
      action: context.urls.gather,
      method: 'POST',
      language: context.locale,
      hints: speechHints(context.model, context.locale, expecting) || undefined,
      speechTimeout: SPEECH_END_SECONDS,
      // Patient: well above Twilio's default of 5 s (LOKET_PHONE_NO_INPUT_SECONDS, 8 unless set).
      timeout: context.settings.noInputSeconds,
      // Silence must reach Loket too, so it can reprompt patiently and keep count.
      actionOnEmptyResult: true,
      finishOnKey: '#',
      numDigits: keysWanted(expecting),
      // Frustration detection needs the words as said; Twilio would mask swearing with asterisks.
      profanityFilter: false,
    },
    content,
  );
}

export interface PhoneReply {
  speech: Speech;
  slow: boolean;
  expecting: Expectation | null;
  end: boolean;
  handoff: HandoffPackage | null;
}

/**
 * What happens after the reply: the transfer (a handoff and somewhere to send the call), the end (a goodbye, or a
 * handoff without a transfer target and nothing more to ask, when the reply gave the number and the code), or the
 * next question (which may be the engine's offer of a callback when the call cannot be transferred).
 */
export function nextStep(
  reply: Pick<PhoneReply, 'end' | 'handoff' | 'expecting'>,
  canTransfer: boolean,
): 'transfer' | 'hang-up' | 'listen' {
  if (reply.handoff && canTransfer) return 'transfer';
  if (reply.end || (reply.handoff && !reply.expecting)) return 'hang-up';
  return 'listen';
}

export function replyTwiml(reply: PhoneReply, context: ReplyContext): string {
  const spoken = reply.speech.length > 0 ? say(reply.speech, context.voice, context.locale, reply.slow) : '';
  const transfer = reply.handoff
    ? transferVerb(reply.handoff, context.settings, context.urls, context.callerId)
    : null;
  const step = nextStep(reply, transfer !== null);
  if (step === 'transfer' && transfer) return twimlResponse(spoken, transfer);
  if (step === 'hang-up') return twimlResponse(spoken, element('Hangup'));
  // If Twilio ever skipped the action, the redirect still brings the call back as silence, never a dead line.
  return twimlResponse(
    gatherVerb(spoken, reply.expecting, context),
    element('Redirect', { method: 'POST' }, text(context.urls.gather)),
  );
}
