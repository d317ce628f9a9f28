// Reading a turn the same way everywhere in the engine: its words (or keys), and whether it says yes or no.
import type { Turn } from '../core/types.ts';
import type { NluResult } from '../nlu/understand.ts';

/** The words of a turn, or its keys (without the `#` that ends a keyed entry). */
export function turnText(turn: Turn): string {
  switch (turn.input.type) {
    case 'text':
      return turn.input.text;
    case 'intent':
      return turn.input.text ?? '';
    case 'dtmf':
      return turn.input.digits.replace(/#$/, '');
    default:
      return '';
  }
}

/** Yes, no, or neither: keypad 1 and 2 on the phone, the Yes/No intents, or a yes/no said inside a longer answer. */
export function yesOrNo(nlu: NluResult | null, turn: Turn): 'yes' | 'no' | null {
  if (turn.input.type === 'dtmf') {
    const key = turn.input.digits.replace(/#$/, '');
    if (key === '1') return 'yes';
    if (key === '2') return 'no';
  }
  if (!nlu) return null;
  if (nlu.intent === 'Yes' && nlu.confidence >= 0.5) return nlu.yesNo === 'no' ? 'no' : 'yes';
  if (nlu.intent === 'No' && nlu.confidence >= 0.5) return 'no';
  return nlu.yesNo;
}
