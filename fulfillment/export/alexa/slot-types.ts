// Which Alexa slot type carries each of the model's entity types: Amazon's built-in types where one fits, custom
// types (with values, ids and synonyms) for the rest. https://developer.amazon.com/en-US/docs/alexa/custom-skills/slot-type-reference.html
import type { AnnotatedPhrase, LocaleModel } from '../../model/schema.ts';
import { alexaText } from './samples.ts';
import { spellDigits } from './spell-numbers.ts';

/** AMAZON.NUMBER turns "four five one two three" into "45123"; a house number's addition ("12a") is lost. */
const BUILTIN_SLOT_TYPES: Readonly<Record<string, string>> = {
  number: 'AMAZON.NUMBER',
  digits: 'AMAZON.NUMBER',
  orderNumber: 'AMAZON.NUMBER',
  customerNumber: 'AMAZON.NUMBER',
  houseNumber: 'AMAZON.NUMBER',
  date: 'AMAZON.DATE',
  phoneNumber: 'AMAZON.PhoneNumber',
};

export interface AlexaSlotTypeValue {
  id: string;
  name: { value: string; synonyms?: string[] };
}

export interface AlexaSlotType {
  name: string;
  values: AlexaSlotTypeValue[];
}

export function builtinSlotType(entity: string): string | null {
  return BUILTIN_SLOT_TYPES[entity] ?? null;
}

function spoken(text: string, locale: string): string | null {
  const result = alexaText(text, locale);
  return 'text' in result && result.text ? result.text : null;
}

/**
 * Dutch postcodes have no Alexa type: a custom type with the postcodes from the training phrases, spoken digit by
 * digit ("een twee drie vier a b") with the pairs ("twaalf vierendertig a b") as a synonym. The id is the postcode
 * itself, so a resolved value is already canonical; any other postcode arrives as heard and the channel reads it.
 */
function postcodeValues(phrases: readonly AnnotatedPhrase[], locale: string): AlexaSlotTypeValue[] {
  const language = locale.split('-')[0] ?? '';
  const values = new Map<string, AlexaSlotTypeValue>();
  for (const phrase of phrases) {
    for (const slot of phrase.slots) {
      const match = /^(\d{4})\s*([a-z]{2})$/i.exec(slot.value.trim());
      if (!match?.[1] || !match[2]) continue;
      const [digits, letters] = [match[1], match[2].toLowerCase()];
      const id = `${digits}${letters.toUpperCase()}`;
      const digitWords = [...digits].map((digit) => spellDigits(digit, language));
      if (values.has(id) || digitWords.some((word) => word === null)) continue;
      const letterWords = [...letters].join(' ');
      // "twaalf nul vier" is not how anyone says 1204: pairs only when neither pair starts with a zero.
      const pairs = digits[0] !== '0' && digits[2] !== '0' ? [digits.slice(0, 2), digits.slice(2)] : [];
      const pairWords = pairs.map((pair) => spellDigits(pair, language));
      const synonyms = pairWords.length === 2 ? [`${pairWords.join(' ')} ${letterWords}`] : [];
      values.set(id, {
        id,
        name: { value: `${digitWords.join(' ')} ${letterWords}`, ...(synonyms.length ? { synonyms } : {}) },
      });
    }
  }
  return [...values.values()];
}

const YES_NO: Readonly<Record<string, [string, string]>> = { en: ['yes', 'no'], nl: ['ja', 'nee'] };

/** A custom slot type for an entity without an Alexa built-in, or the reason it cannot be made. */
export function customSlotType(
  entity: string,
  locale: LocaleModel,
  slotPhrases: readonly AnnotatedPhrase[],
): { type: AlexaSlotType } | { problem: string } {
  const language = locale.locale.split('-')[0] ?? '';
  if (!/^[A-Za-z_]+$/.test(entity)) {
    return { problem: `entity type '${entity}': Alexa slot type names have letters and underscores only` };
  }
  const defined = locale.entities[entity];
  if (defined) {
    const values: AlexaSlotTypeValue[] = [];
    for (const value of defined) {
      const name = spoken(value.value, locale.locale);
      if (!name) return { problem: `entity '${entity}' value '${value.value}' cannot be said to Alexa` };
      const synonyms = [
        ...new Set(value.synonyms.map((synonym) => spoken(synonym, locale.locale)).filter((s) => s !== null)),
      ].filter((synonym) => synonym !== name);
      values.push({ id: value.id, name: { value: name, ...(synonyms.length ? { synonyms } : {}) } });
    }
    return { type: { name: entity, values } };
  }
  if (entity === 'postcode') {
    const values = postcodeValues(slotPhrases, locale.locale);
    if (values.length === 0) {
      return {
        problem:
          "entity 'postcode': annotate a postcode ([1234 AB](postcode)) in a phrase to give Alexa examples",
      };
    }
    return { type: { name: entity, values } };
  }
  const yesNo = YES_NO[language];
  if (entity === 'yesNo' && yesNo) {
    return {
      type: {
        name: entity,
        values: [
          { id: 'yes', name: { value: yesNo[0] } },
          { id: 'no', name: { value: yesNo[1] } },
        ],
      },
    };
  }
  return { problem: `entity type '${entity}' has no Alexa slot type and no values in ${locale.locale}` };
}
