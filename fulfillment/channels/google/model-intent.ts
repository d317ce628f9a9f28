// Finds the model's intent behind the intent Dialogflow matched: by name, or by the `builtin.dialogflow` it maps to.
import type { IntentModel } from '../../model/schema.ts';

export const WELCOME_INTENT = 'Default Welcome Intent';

/**
 * The model intent Dialogflow matched, or null. Fallback counts as no match: Loket's own NLU then reads the words,
 * because Dialogflow's fallback only says that Dialogflow did not understand.
 */
export function modelIntentFor(displayName: string | undefined, model: IntentModel): string | null {
  if (!displayName) return null;
  const intent =
    model.intents[displayName] ??
    Object.values(model.intents).find((candidate) => candidate.builtin.dialogflow === displayName);
  return intent && intent.name !== 'Fallback' ? intent.name : null;
}
