// The phone's keypad as a fallback: which key picks which request at an open question, and which answers can be keyed
// in. The prompts noMatch.keypad and keypad.menu name the same keys; change both together.
import type { Expectation, Turn } from '../core/types.ts';
import type { IntentModel } from '../model/schema.ts';

/** One key per common request; 0 is always a person and is handled before anything else. */
export const KEYPAD_MENU: Readonly<Record<string, string>> = {
  '1': 'CheckOutage',
  '2': 'OrderStatus',
  '3': 'ExplainBill',
  '4': 'TechnicalProblem',
};

/** Entity types made of digits only, so a caller can key the answer in. */
const KEYABLE_ENTITIES = new Set(['orderNumber', 'customerNumber', 'digits', 'number', 'phoneNumber']);

/** A phone call (webhooks or the media stream), where the keypad works and the caller has nothing else to look at. */
export function isPhoneCall(turn: Turn): boolean {
  return turn.channel === 'phone' || turn.channel === 'stream';
}

/** The intent a single key picks at an open question, or null. */
export function keypadChoice(model: IntentModel, expecting: Expectation | null, turn: Turn): string | null {
  if (turn.input.type !== 'dtmf' || !isPhoneCall(turn)) return null;
  if (expecting && expecting.type !== 'intent') return null;
  const intent = KEYPAD_MENU[turn.input.digits.replace(/#$/, '')];
  return intent && model.intents[intent] ? intent : null;
}

export function canBeKeyedIn(entity: string): boolean {
  return KEYABLE_ENTITIES.has(entity);
}
