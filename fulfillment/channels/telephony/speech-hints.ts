// Speech hints for <Gather>: the model's own entity values and synonyms (devices, months, ...), the brand and the bot's
// name, so Twilio's recogniser expects the words Polderlink's callers use. Twilio takes up to 500 comma-separated
// hints of at most 100 characters each. https://www.twilio.com/docs/voice/twiml/gather#hints
import type { Expectation } from '../../core/types.ts';
import type { IntentModel } from '../../model/schema.ts';

const MAX_HINTS = 500;
const MAX_HINT_LENGTH = 100;

export function speechHints(model: IntentModel, locale: string, expecting: Expectation | null): string {
  const localeModel = model.locales[locale];
  if (!localeModel) return '';
  const askedEntity =
    expecting?.type === 'slot' || expecting?.type === 'verification' ? expecting.entity : null;
  // The entity being asked for comes first, so it survives the cap.
  const entityNames = Object.keys(localeModel.entities).sort((left, right) =>
    left === askedEntity ? -1 : right === askedEntity ? 1 : left.localeCompare(right),
  );
  const hints = new Set<string>();
  for (const name of entityNames) {
    for (const entry of localeModel.entities[name] ?? []) {
      for (const word of [entry.value, ...entry.synonyms]) hints.add(word);
    }
  }
  hints.add(localeModel.persona.brand);
  hints.add(localeModel.persona.botName);
  return [...hints]
    .map((hint) => hint.replace(/[,\s]+/g, ' ').trim())
    .filter((hint) => hint.length > 0 && hint.length <= MAX_HINT_LENGTH)
    .slice(0, MAX_HINTS)
    .join(',');
}
