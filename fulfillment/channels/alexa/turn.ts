// Maps an Alexa LaunchRequest, IntentRequest or SessionEndedRequest onto a channel-neutral Turn.
// Alexa runs its own NLU, so an IntentRequest carries a matched intent and slots but not the words that were said.
import type { Turn } from '../../core/types.ts';
import type { IntentModel } from '../../model/schema.ts';
import type { AlexaEnvelope, AlexaIntent, AlexaSlot } from './envelope.ts';

/**
 * Built-in intents that stand for one of the model's global intents even when the model does not name them in
 * `builtin.alexa`: Cancel means stop here (there is nothing running to cancel), NavigateHome means start over.
 * https://developer.amazon.com/en-US/docs/alexa/custom-skills/standard-built-in-intents.html
 */
const BUILTIN_ALIASES: Readonly<Record<string, string>> = {
  'AMAZON.CancelIntent': 'Stop',
  'AMAZON.NavigateHomeIntent': 'StartOver',
  'AMAZON.FallbackIntent': 'Fallback',
  'AMAZON.HelpIntent': 'Help',
  'AMAZON.StopIntent': 'Stop',
  'AMAZON.RepeatIntent': 'Repeat',
  'AMAZON.StartOverIntent': 'StartOver',
  'AMAZON.YesIntent': 'Yes',
  'AMAZON.NoIntent': 'No',
};

/** The model intent an Alexa intent stands for: `builtin.alexa` first, then the aliases, else the name itself. */
export function modelIntentFor(alexaIntent: string, model: IntentModel): string {
  const declared = Object.values(model.intents).find((intent) => intent.builtin.alexa === alexaIntent);
  if (declared) return declared.name;
  const alias = BUILTIN_ALIASES[alexaIntent];
  return alias && model.intents[alias] ? alias : alexaIntent;
}

/** A value Alexa resolved against a custom slot type's values: the value's id is the canonical value. */
function resolvedId(slot: AlexaSlot): string | null {
  const resolutions = slot.resolutions ?? slot.slotValue?.resolutions;
  const match = resolutions?.resolutionsPerAuthority?.find(
    (authority) => authority.status.code === 'ER_SUCCESS_MATCH',
  );
  return match?.values?.[0]?.value.id ?? null;
}

/** What Alexa heard for the slot; "?" is what AMAZON.NUMBER sends for something that was not a number. */
function spokenValue(slot: AlexaSlot): string | null {
  const value = (slot.value ?? slot.slotValue?.value ?? '').trim();
  return value && value !== '?' ? value : null;
}

export interface SlotReading {
  /** slot -> canonical value, for the slots that gave one */
  slots: Record<string, string>;
  /** what was heard in all filled slots, for the engine's own entity extraction and the transcript */
  heard: string[];
}

/**
 * Canonical slot values: a resolved id for the model's own entity types (device -> "wifi"), else what was heard,
 * put through the same entity extraction as typed text ("1234 ab" -> "1234AB"). A value that cannot be read is
 * left out, so the engine treats it as a miss and asks again.
 */
export function readSlots(
  intent: AlexaIntent,
  model: IntentModel,
  locale: string,
  canonical: (entity: string, heard: string) => string | null,
): SlotReading {
  const definition = model.intents[modelIntentFor(intent.name, model)];
  const customTypes = model.locales[locale]?.entities ?? {};
  const reading: SlotReading = { slots: {}, heard: [] };
  for (const [name, slot] of Object.entries(intent.slots ?? {})) {
    const heard = spokenValue(slot);
    if (heard) reading.heard.push(heard);
    const entity = definition?.slots.find((candidate) => candidate.name === name)?.entity;
    if (!entity) continue;
    const id = entity in customTypes ? resolvedId(slot) : null;
    // Alexa writes letters it heard one by one as "a. b."; the entity extractors expect "a b".
    const value = id ?? (heard ? canonical(entity, heard.replace(/\b([a-z])\./gi, '$1')) : null);
    if (value !== null) reading.slots[name] = value;
  }
  return reading;
}

export interface AlexaTurnInput {
  envelope: AlexaEnvelope;
  model: IntentModel;
  /** the model locale that answers this request (see modelLocaleFor) */
  locale: string;
  turnId: string;
  canonical: (entity: string, heard: string) => string | null;
}

export function turnFromAlexa({ envelope, model, locale, turnId, canonical }: AlexaTurnInput): Turn {
  const { request } = envelope;
  const system = envelope.context?.System;
  const interfaces = system?.device?.supportedInterfaces ?? {};
  let input: Turn['input'];
  if (request.type === 'LaunchRequest') {
    input = { type: 'launch' };
  } else if (request.type === 'SessionEndedRequest') {
    input = request.reason ? { type: 'end', reason: request.reason } : { type: 'end' };
  } else if (request.type === 'IntentRequest' && request.intent) {
    const { slots, heard } = readSlots(request.intent, model, locale, canonical);
    input = {
      type: 'intent',
      intent: modelIntentFor(request.intent.name, model),
      slots,
      // Alexa gives no confidence; it only sends an intent it matched.
      confidence: 1,
      ...(heard.length > 0 ? { text: heard.join(' ') } : {}),
    };
  } else {
    throw new Error(`no turn for a ${request.type}`);
  }
  const userId = system?.user?.userId ?? envelope.session?.user?.userId;
  return {
    turnId,
    channel: 'alexa',
    sessionId: envelope.session?.sessionId ?? request.requestId,
    locale,
    ...(userId ? { userId } : {}),
    input,
    capabilities: {
      ssmlDialect: 'alexa',
      canTransfer: false,
      progressiveResponse: Boolean(system?.apiEndpoint && system.apiAccessToken),
      screen: 'Alexa.Presentation.APL' in interfaces || 'Display' in interfaces,
      dtmf: false,
    },
  };
}
