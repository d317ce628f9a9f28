// The question that belongs to each expectation: asked, re-asked on silence, explained by help.
import type { Expectation, Session } from '../core/types.ts';
import type { IntentModel } from '../model/schema.ts';
import { prompt, type Utterance } from './decision.ts';
import { followUpQuestion } from './handoff-followup.ts';
import type { PromptParam } from './skill-api.ts';

export function questionFor(
  model: IntentModel,
  session: Session,
  expecting: Expectation | null,
): Utterance | null {
  if (!expecting) return null;
  const followUp = followUpQuestion(session, expecting);
  if (followUp !== undefined) return followUp;
  switch (expecting.type) {
    case 'slot': {
      const slot = model.intents[expecting.intent]?.slots.find(
        (candidate) => candidate.name === expecting.slot,
      );
      return slot ? prompt(slot.prompt) : null;
    }
    case 'confirmation': {
      if (expecting.about === 'action') {
        const key = model.intents[expecting.intent]?.confirmation;
        return key ? prompt(key) : null;
      }
      if (expecting.about === 'slot' && expecting.slot) {
        const frame = session.frames.at(-1);
        return prompt('confirm.value', { value: displayValue(frame?.slots[expecting.slot] ?? '') });
      }
      if (expecting.about === 'handoff') return prompt('handoff.offer');
      return null;
    }
    case 'verification':
      return prompt(
        expecting.step === 'customerNumber'
          ? 'verify.askCustomerNumber'
          : expecting.step === 'postcode'
            ? 'verify.askPostcode'
            : 'verify.askHouseNumber',
      );
    case 'intent':
      return null;
  }
}

/** Slot values read back to the customer: postcodes spelled, numbers digit by digit, dates as dates. */
export function displayValue(value: string): PromptParam {
  if (/^\d{4}[A-Z]{2}$/.test(value)) return { sayAs: 'postcode' as const, value };
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { sayAs: 'date' as const, value };
  if (/^\+\d+$/.test(value)) return { sayAs: 'telephone' as const, value };
  if (/^\d{5,}$/.test(value)) return { sayAs: 'digits' as const, value };
  return value;
}
