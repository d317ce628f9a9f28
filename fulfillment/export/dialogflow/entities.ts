// How the model's entity types become Dialogflow entity types, for both exports. Dialogflow's own extraction is only a
// first guess: the webhook reads every value again with Loket's extractors, so an approximate mapping is enough.
import type { IntentModel, LocaleModel, SlotDefinition } from '../../model/schema.ts';

/** Dutch postcodes as written: the webhook re-reads spoken ones ("twaalf vierendertig a b") from the words. */
export const POSTCODE_PATTERN = '[1-9][0-9]{3} ?[A-Za-z]{2}';

// System entities: https://cloud.google.com/dialogflow/cx/docs/reference/system-entities
const SYSTEM_ENTITY: Record<string, string> = {
  number: '@sys.number',
  digits: '@sys.number-sequence',
  date: '@sys.date',
  houseNumber: '@sys.number',
  phoneNumber: '@sys.phone-number',
  orderNumber: '@sys.number-sequence',
  customerNumber: '@sys.number-sequence',
  yesNo: '@sys.any',
};

/** Slot values that are personal data: Dialogflow CX redacts them in its logs. */
export const PERSONAL_ENTITY_TYPES = new Set(['postcode', 'houseNumber', 'phoneNumber', 'customerNumber']);

export type DialogflowEntity =
  | { kind: 'system'; reference: string }
  | { kind: 'map'; name: string; reference: string }
  | { kind: 'regexp'; name: string; reference: string; pattern: string };

export function dialogflowEntityFor(entityType: string): DialogflowEntity {
  const system = SYSTEM_ENTITY[entityType];
  if (system) return { kind: 'system', reference: system };
  if (entityType === 'postcode') {
    return { kind: 'regexp', name: 'postcode', reference: '@postcode', pattern: POSTCODE_PATTERN };
  }
  return { kind: 'map', name: entityType, reference: `@${entityType}` };
}

/** The entity types the exports must define themselves: custom ones with values, and the postcode pattern. */
export function exportedEntityTypes(model: IntentModel): DialogflowEntity[] {
  const used = new Set(
    Object.values(model.intents).flatMap((intent) => intent.slots.map((slot) => slot.entity)),
  );
  const custom = new Set(Object.values(model.locales).flatMap((locale) => Object.keys(locale.entities)));
  return [...new Set([...used, ...custom])]
    .sort()
    .map(dialogflowEntityFor)
    .filter((entity) => entity.kind !== 'system');
}

/** Reference value (the entity id, which the webhook reads back) and synonyms, once each, value first. */
export function entityEntries(
  locale: LocaleModel,
  entityType: string,
): { value: string; synonyms: string[] }[] {
  return (locale.entities[entityType] ?? []).map((entry) => ({
    value: entry.id,
    synonyms: [...new Set([entry.value, ...entry.synonyms].map((synonym) => synonym.trim()))],
  }));
}

/**
 * Whether a training-phrase span may be annotated with its slot's entity. A span that the entity cannot match (a
 * spoken postcode against the postcode pattern) would teach Dialogflow a wrong example, so it stays plain text.
 */
export function annotatable(slot: SlotDefinition, value: string, locale: LocaleModel): boolean {
  const entity = dialogflowEntityFor(slot.entity);
  if (entity.kind === 'system') return true;
  if (entity.kind === 'regexp') return new RegExp(`^(${entity.pattern})$`).test(value.trim());
  const wanted = value.trim().toLowerCase();
  return entityEntries(locale, slot.entity).some((entry) =>
    entry.synonyms.some((synonym) => synonym.toLowerCase() === wanted),
  );
}

/** A training phrase as parts: plain text, and annotated spans with the slot they fill. */
export function phraseParts(
  phrase: { text: string; slots: { slot: string; value: string; start: number; end: number }[] },
  slots: readonly SlotDefinition[],
  locale: LocaleModel,
): { text: string; slot?: SlotDefinition }[] {
  const parts: { text: string; slot?: SlotDefinition }[] = [];
  let last = 0;
  const plain = (text: string) => {
    if (!text) return;
    const previous = parts.at(-1);
    if (previous && !previous.slot) previous.text += text;
    else parts.push({ text });
  };
  for (const span of [...phrase.slots].sort((a, b) => a.start - b.start)) {
    const slot = slots.find((candidate) => candidate.name === span.slot);
    plain(phrase.text.slice(last, span.start));
    const text = phrase.text.slice(span.start, span.end);
    if (slot && annotatable(slot, text, locale)) parts.push({ text, slot });
    else plain(text);
    last = span.end;
  }
  plain(phrase.text.slice(last));
  return parts;
}

/** One synonym under two values of the same entity type would make Dialogflow's pick arbitrary: refuse it. */
export function duplicateSynonymProblems(model: IntentModel): string[] {
  const problems: string[] = [];
  for (const locale of Object.values(model.locales)) {
    for (const entityType of Object.keys(locale.entities).sort()) {
      const owner = new Map<string, string>();
      for (const entry of entityEntries(locale, entityType)) {
        for (const synonym of entry.synonyms) {
          const key = synonym.toLowerCase();
          const first = owner.get(key);
          if (first !== undefined && first !== entry.value) {
            problems.push(
              `locales/${locale.locale}/entities.yaml: ${entityType}: "${synonym}" is a synonym of both ${first} and ${entry.value}`,
            );
          }
          owner.set(key, first ?? entry.value);
        }
      }
    }
  }
  return problems;
}
