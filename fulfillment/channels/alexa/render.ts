// Renders what the engine decided as an Alexa response: SSML in Alexa's dialect, a reprompt while an answer is
// expected, shouldEndSession, an ElicitSlot directive when a slot is asked, and a card when there is a handoff.
// Format: https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html#response-format
import type { Directive, Intent, Response } from 'ask-sdk-model';
import { renderText } from '../../compose/render.ts';
import type { TurnResult } from '../../conversation/take-turn.ts';
import type { Speech } from '../../core/types.ts';
import type { AlexaIntent } from './envelope.ts';
import { alexaSsml, type Tone } from './ssml.ts';

export interface AlexaReplyContext {
  /** the model locale the reply is in */
  locale: string;
  /** the request's intent for an IntentRequest (its Alexa name), null for a LaunchRequest */
  requestIntent: AlexaIntent | null;
  /** the model intent the request's intent stood for */
  modelIntent: string | null;
}

/** The engine answered frustration with an offer of a person, or handed over because of it. */
function toneOf(result: TurnResult): Tone {
  const { expecting } = result.reply;
  const offersPerson =
    expecting?.type === 'confirmation' &&
    expecting.about === 'handoff' &&
    result.session.tried.at(-1) === 'empathy';
  return offersPerson || result.handoff?.reason === 'frustration' ? 'empathetic' : 'neutral';
}

/**
 * The open question at the end of the reply ("How can I help you today?"), said again when the customer is silent.
 * The engine gives a reprompt for slot and yes/no questions; for an open question the last question is the best one.
 */
function repromptSpeech(result: TurnResult): Speech {
  if (result.reply.reprompt && result.reply.reprompt.length > 0) return result.reply.reprompt;
  const questions = renderText(result.reply.speech).match(/[^.!?]*\?/g);
  const last = questions?.at(-1)?.trim();
  return last ? [{ kind: 'text', text: last }] : result.reply.speech;
}

/**
 * Dialog.ElicitSlot biases Alexa's recognition toward the slot, so "four five one two three" fills orderNumber.
 * Alexa only accepts it for the intent of the current IntentRequest and a slot of that intent (never in answer to a
 * LaunchRequest), so a question asked on another turn is spoken without it.
 * https://developer.amazon.com/en-US/docs/alexa/custom-skills/dialog-interface-reference.html#elicitslot
 */
function elicitSlot(result: TurnResult, context: AlexaReplyContext): Directive | null {
  const { expecting } = result.reply;
  const intent = context.requestIntent;
  if (expecting?.type !== 'slot' || !intent || intent.name.startsWith('AMAZON.')) return null;
  if (context.modelIntent !== expecting.intent || !(expecting.slot in (intent.slots ?? {}))) return null;
  const updatedIntent: Intent = {
    name: intent.name,
    confirmationStatus: intent.confirmationStatus === 'CONFIRMED' ? 'CONFIRMED' : 'NONE',
    slots: Object.fromEntries(
      Object.entries(intent.slots ?? {}).map(([name, slot]) => [
        name,
        {
          name,
          confirmationStatus: 'NONE' as const,
          ...(slot.value !== undefined && name !== expecting.slot ? { value: slot.value } : {}),
        },
      ]),
    ),
  };
  return { type: 'Dialog.ElicitSlot', slotToElicit: expecting.slot, updatedIntent };
}

export function alexaResponse(result: TurnResult, context: AlexaReplyContext): Response {
  const { reply, session } = result;
  const speechOptions = { locale: context.locale, slow: reply.slow, tone: toneOf(result) };
  const response: Response = {
    outputSpeech: { type: 'SSML', ssml: alexaSsml(reply.speech, speechOptions) },
  };
  // The engine keeps the conversation open while it waits for an answer (session.expecting). Without a question
  // there is nothing to wait for: after a handoff code, the customer calls the service line.
  const waiting = !reply.end && session.expecting !== null;
  if (waiting) {
    response.reprompt = {
      outputSpeech: { type: 'SSML', ssml: alexaSsml(repromptSpeech(result), speechOptions) },
    };
  }
  response.shouldEndSession = !waiting;
  const card = reply.card ?? (reply.handoff ? { title: 'Code', text: reply.handoff.code } : null);
  if (card) response.card = { type: 'Simple', title: card.title, content: card.text };
  const directive = waiting ? elicitSlot(result, context) : null;
  if (directive) response.directives = [directive];
  return response;
}
