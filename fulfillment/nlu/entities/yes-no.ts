// Yes/no entity: confirmations and refusals in Dutch and English, where a negation always wins.

import type { Lang, Token } from './text.ts';
import type { EntityMatch } from './types.ts';

// 'unsure' phrases ("ik weet het niet", "not sure") are matched only so their "niet"/"not" is no refusal.
type Answer = 'yes' | 'no' | 'unsure';

// Phrases in normalised form (lower case, no diacritics, no apostrophes: "that's" -> "thats").
// Some start with a negation but mean yes ("geen probleem", "why not"); the longest phrase wins, so they do.
const PHRASES: Record<Lang, Record<Answer, readonly string[]>> = {
  nl: {
    unsure: [
      'weet het niet',
      'weet ik niet',
      'weet niet',
      'weet het niet zeker',
      'niet zeker',
      'geen idee',
      'misschien',
      'geen flauw idee',
    ],
    yes: [
      'ja',
      'jawel',
      'jazeker',
      'ja hoor',
      'ja graag',
      'ja zeker',
      'ja prima',
      'jep',
      'jup',
      'jaja',
      'klopt',
      'dat klopt',
      'klopt helemaal',
      'correct',
      'dat is correct',
      'prima',
      'is prima',
      'dat is prima',
      'goed',
      'is goed',
      'dat is goed',
      'helemaal goed',
      'goed zo',
      'doe maar',
      'doet u maar',
      'graag',
      'akkoord',
      'oke',
      'okee',
      'ok',
      'okay',
      'okido',
      'okidoki',
      'zeker',
      'zeker weten',
      'precies',
      'inderdaad',
      'juist',
      'dat is juist',
      'uiteraard',
      'natuurlijk',
      'tuurlijk',
      'absoluut',
      'prima hoor',
      'geen probleem',
      'geen bezwaar',
      'waarom niet',
      'niet erg',
      'dat is niet erg',
      'ga je gang',
      'ga uw gang',
      'bevestig',
      'bevestigd',
      'yes',
    ],
    no: [
      'nee',
      'neen',
      'nee hoor',
      'nee dank je',
      'nee dank u',
      'nee dankjewel',
      'nee dankuwel',
      'nee bedankt',
      'nee laat maar',
      'laat maar',
      'neuh',
      'nope',
      'niet',
      'liever niet',
      'absoluut niet',
      'zeker niet',
      'helemaal niet',
      'echt niet',
      'niet echt',
      'klopt niet',
      'dat klopt niet',
      'niet doen',
      'niet goed',
      'hoeft niet',
      'dat hoeft niet',
      'niet nodig',
      'fout',
      'onjuist',
      'incorrect',
      'nooit',
      'geen sprake van',
      'no',
    ],
  },
  en: {
    unsure: ['dont know', 'do not know', 'not sure', 'no idea', 'maybe', 'perhaps', 'not certain'],
    yes: [
      'yes',
      'yeah',
      'yea',
      'yep',
      'yup',
      'ya',
      'yes please',
      'sure',
      'sure thing',
      'correct',
      'thats correct',
      'that is correct',
      'right',
      'thats right',
      'that is right',
      'all right',
      'alright',
      'ok',
      'okay',
      'absolutely',
      'of course',
      'certainly',
      'definitely',
      'indeed',
      'exactly',
      'affirmative',
      'please do',
      'go ahead',
      'fine',
      'thats fine',
      'sounds good',
      'perfect',
      'you bet',
      'uh huh',
      'mhm',
      'mm hmm',
      'why not',
      'no problem',
      'not a problem',
      'no worries',
    ],
    no: [
      'no',
      'nope',
      'nah',
      'no thanks',
      'no thank you',
      'not really',
      'not at all',
      'not now',
      'dont',
      'do not',
      'please dont',
      'thats wrong',
      'that is wrong',
      'wrong',
      'incorrect',
      'negative',
      'never',
      'no way',
      'absolutely not',
      'of course not',
      'definitely not',
      'certainly not',
      'i dont think so',
      'never mind',
      'nevermind',
      'not',
    ],
  },
};

// A confirmation next to one of these is a refusal: "niet goed", "klopt niet", "not right", "isn't correct".
const NEGATORS_BEFORE: Record<Lang, ReadonlySet<string>> = {
  nl: new Set(['niet', 'geen', 'nooit']),
  en: new Set(['not', 'never', 'isnt', 'aint', 'dont', 'doesnt', 'wasnt']),
};
const NEGATORS_AFTER: Record<Lang, ReadonlySet<string>> = {
  nl: new Set(['niet']),
  en: new Set(['not']),
};

interface Phrase {
  words: readonly string[];
  answer: Answer;
}

const phrasesFor = (lang: Lang): Phrase[] =>
  (['yes', 'no', 'unsure'] as const)
    .flatMap((answer) => PHRASES[lang][answer].map((phrase) => ({ words: phrase.split(' '), answer })))
    .sort((a, b) => b.words.length - a.words.length);

// By first word, longest phrase first (as phrasesFor orders them), so a lookup only tries phrases that can match.
const byFirstWord = (phrases: readonly Phrase[]): ReadonlyMap<string, readonly Phrase[]> => {
  const index = new Map<string, Phrase[]>();
  for (const phrase of phrases) {
    const first = phrase.words[0] ?? '';
    const list = index.get(first);
    if (list) list.push(phrase);
    else index.set(first, [phrase]);
  }
  return index;
};

const PHRASES_BY_LANG: Record<Lang, ReadonlyMap<string, readonly Phrase[]>> = {
  nl: byFirstWord(phrasesFor('nl')),
  en: byFirstWord(phrasesFor('en')),
};

interface AnswerSpan {
  answer: Answer;
  firstToken: number;
  lastToken: number;
}

const matchAt = (tokens: readonly Token[], index: number, lang: Lang): AnswerSpan | undefined => {
  const phrase = PHRASES_BY_LANG[lang]
    .get(tokens[index]?.norm ?? '')
    ?.find((candidate) => candidate.words.every((word, offset) => tokens[index + offset]?.norm === word));
  return phrase && { answer: phrase.answer, firstToken: index, lastToken: index + phrase.words.length - 1 };
};

// A negator right before or after a confirmation turns it into one refusal spanning both:
// "niet goed", "goed niet", "not right", "isn't correct".
const negated = (span: AnswerSpan, tokens: readonly Token[], lang: Lang): AnswerSpan => {
  if (span.answer !== 'yes') return span;
  if (NEGATORS_BEFORE[lang].has(tokens[span.firstToken - 1]?.norm ?? '')) {
    return { answer: 'no', firstToken: span.firstToken - 1, lastToken: span.lastToken };
  }
  if (NEGATORS_AFTER[lang].has(tokens[span.lastToken + 1]?.norm ?? '')) {
    return { answer: 'no', firstToken: span.firstToken, lastToken: span.lastToken + 1 };
  }
  return span;
};

const applyNegation = (spans: readonly AnswerSpan[], tokens: readonly Token[], lang: Lang): AnswerSpan[] => {
  const resolved = spans.map((span) => negated(span, tokens, lang));
  // The negator itself may have matched on its own ("not", "niet"); the merged refusal replaces it.
  return resolved.filter(
    (span) =>
      !resolved.some(
        (other) =>
          other !== span &&
          other.lastToken - other.firstToken > span.lastToken - span.firstToken &&
          other.firstToken <= span.firstToken &&
          other.lastToken >= span.lastToken,
      ),
  );
};

const toMatch = (text: string, tokens: readonly Token[], span: AnswerSpan): EntityMatch => {
  const start = tokens[span.firstToken]?.start ?? 0;
  const end = tokens[span.lastToken]?.end ?? 0;
  return { value: span.answer, text: text.slice(start, end), start, end };
};

const answerSpans = (tokens: readonly Token[], lang: Lang): AnswerSpan[] => {
  const spans: AnswerSpan[] = [];
  for (let index = 0; index < tokens.length; ) {
    const span = matchAt(tokens, index, lang);
    if (span) spans.push(span);
    index = span ? span.lastToken + 1 : index + 1;
  }
  return applyNegation(spans, tokens, lang);
};

/** Every yes or no phrase in the text, in text order, negated confirmations merged into one "no". */
export const findYesNoPhrases = (text: string, tokens: readonly Token[], lang: Lang): EntityMatch[] =>
  answerSpans(tokens, lang)
    .filter((span) => span.answer !== 'unsure')
    .map((span) => toMatch(text, tokens, span));

/**
 * The answer: "no" when any refusal was said (negations win); null when the caller said they are unsure
 * ("weet ik niet zo goed"); else "yes" when a confirmation was said; else null.
 */
export const findYesNo = (text: string, tokens: readonly Token[], lang: Lang): EntityMatch | null => {
  const spans = answerSpans(tokens, lang);
  const refusal = spans.find((span) => span.answer === 'no');
  if (refusal) return toMatch(text, tokens, refusal);
  if (spans.some((span) => span.answer === 'unsure')) return null;
  const confirmation = spans.find((span) => span.answer === 'yes');
  return confirmation ? toMatch(text, tokens, confirmation) : null;
};
