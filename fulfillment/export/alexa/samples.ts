// Training phrases as Alexa sample utterances: annotated values become {slot}, writing-only punctuation goes, numbers
// are spelled out, and whatever Alexa would still refuse is reported instead of exported.
// Rule: "Sample utterances can consist of only unicode characters, spaces, periods for abbreviations, underscores,
// possessive apostrophes, curly braces, and hyphens" (the developer console's check); no digits: spell them out.
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/create-intents-utterances-and-slots.html
import type { AnnotatedPhrase } from '../../model/schema.ts';
import { spellDigits } from './spell-numbers.ts';

export type SampleResult = { sample: string } | { problem: string };

/** A character Alexa accepts besides the {slot} references. */
const ALLOWED = /^[\p{L}\p{M} ._'-]$/u;
const SLOT_REFERENCE = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * Normalises text Alexa would read, outside slot references: lower case, curly quotes straight, sentence
 * punctuation gone, periods kept only in abbreviations ("t.v."), apostrophes only inside words ("where's"),
 * hyphens only inside words ("wi-fi"), and numbers spelled out. Returns the reason when a number cannot be spelled.
 */
export function alexaText(text: string, locale: string): { text: string } | { problem: string } {
  const language = locale.split('-')[0] ?? '';
  let normalized = text
    .toLocaleLowerCase(locale)
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/[–—‒]/g, ' ')
    .replace(/[,?!;:"“”„«»()[\]…¿¡]/g, ' ');
  if (/\d+(st|nd|rd|th|ste|de|e)\b/u.test(normalized)) {
    return { problem: 'spell ordinal numbers out ("first", "eerste") or annotate them as a slot' };
  }
  let unspellable = false;
  normalized = normalized.replace(/\d+/g, (digits) => {
    const words = spellDigits(digits, language);
    if (words === null) unspellable = true;
    return ` ${words ?? digits} `;
  });
  if (unspellable) return { problem: 'spell numbers out or annotate them as a slot; Alexa refuses digits' };
  normalized = normalized
    // A period stays after a lone letter ("t.v.", "a. b."), the way Alexa writes spelled abbreviations.
    .replace(/(^|[^\p{L}.])(\p{L})\./gu, '$1$2\uE000')
    .replace(/(\p{L})\uE000(\p{L})\./gu, '$1\uE000$2\uE000')
    .replace(/\./g, ' ')
    .replace(/\uE000/g, '.')
    .replace(/(^|[^\p{L}])'+|'+(?!\p{L})/gu, '$1 ')
    .replace(/(^|[^\p{L}\p{N}])-+|-+(?![\p{L}\p{N}])/gu, '$1 ')
    .replace(/\s+/g, ' ')
    .trim();
  return { text: normalized };
}

/** One training phrase as a sample utterance, or why Alexa would refuse it. */
export function alexaSample(phrase: AnnotatedPhrase, locale: string): SampleResult {
  const parts: string[] = [];
  let last = 0;
  const seen = new Set<string>();
  for (const slot of [...phrase.slots].sort((a, b) => a.start - b.start)) {
    if (seen.has(slot.slot))
      return { problem: `slot '${slot.slot}' appears twice; Alexa allows each slot once` };
    seen.add(slot.slot);
    const before = alexaText(phrase.text.slice(last, slot.start), locale);
    if ('problem' in before) return before;
    parts.push(before.text, `{${slot.slot}}`);
    last = slot.end;
  }
  const after = alexaText(phrase.text.slice(last), locale);
  if ('problem' in after) return after;
  parts.push(after.text);
  const sample = parts.filter((part) => part.length > 0).join(' ');
  if (!sample) return { problem: 'nothing is left to say once the punctuation is removed' };
  const refused = [
    ...new Set([...sample.replace(SLOT_REFERENCE, ' ')].filter((character) => !ALLOWED.test(character))),
  ];
  if (refused.length > 0) {
    return {
      problem: `Alexa refuses the character(s) ${refused.map((character) => `'${character}'`).join(' ')}`,
    };
  }
  return { sample };
}
