// On a keypad-only line (the offline speech provider hears no words), every question ends with what to press: the
// menu at an open question, 1 or 2 for a yes/no, the number followed by # when one is asked.
import type { Expectation, Speech } from '../../core/types.ts';
import { canBeKeyedIn } from '../../dialogue/keypad.ts';
import type { LocaleModel } from '../../model/schema.ts';
import { promptSpeech } from './prompt-speech.ts';

/** Prompts by which the engine itself already told the caller what to press (fulfillment/dialogue/decide.ts). */
export const ENGINE_KEYPAD_PROMPTS = ['noMatch.keypad', 'noMatch.keypadDigits', 'noMatch.keypadYesNo'];

export function keypadGuideKey(expecting: Expectation | null): string | null {
  if (!expecting || expecting.type === 'intent') return 'keypad.menu';
  if (expecting.type === 'confirmation') return 'keypad.yesNo';
  return canBeKeyedIn(expecting.entity) ? 'keypad.digits' : null;
}

export function keypadGuide(
  localeModel: LocaleModel,
  expecting: Expectation | null,
  random: () => number,
): Speech | null {
  const key = keypadGuideKey(expecting);
  return key ? promptSpeech(localeModel, key, {}, random) : null;
}
