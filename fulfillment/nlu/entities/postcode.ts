// Dutch postcode entity ("1234AB") from typed text and phone transcripts ("twaalf vierendertig a b").

import { findDigitRuns } from './numbers.ts';
import { gapBefore, type Lang, type Token } from './text.ts';

export interface PostcodeMatch {
  value: string;
  text: string;
  start: number;
  end: number;
  firstToken: number;
  lastToken: number;
}

// PostNL never issues these letter pairs (they recall the Second World War).
const FORBIDDEN_LETTER_PAIRS = new Set(['SA', 'SD', 'SS']);

// Spelling alphabets callers use to spell the letters: Dutch (Anton, Bernard, ...) and NATO (alpha, bravo, ...).
const SPELLING_WORDS = new Map(
  [
    'anton bernard cornelis dirk eduard ferdinand gerard hendrik izaak johan karel lodewijk maria nico otto pieter',
    'quirinus rudolf simon teunis utrecht victor willem xantippe ypsilon zaandam',
    'alfa alpha bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike november oscar',
    'papa quebec romeo sierra tango uniform whiskey whisky xray yankee zulu',
  ]
    .join(' ')
    .split(' ')
    .map((word) => [word, word.charAt(0)] as const),
);

// How recognisers write a spoken letter. Letter names that are everyday words ("de", "en", "er", "es",
// "je", "we", "you", "are") are left out: after four digits they are far more often the next word.
const LETTER_NAMES: Record<Lang, ReadonlyMap<string, string>> = {
  nl: new Map([
    ['bee', 'b'],
    ['cee', 'c'],
    ['dee', 'd'],
    ['ee', 'e'],
    ['ef', 'f'],
    ['gee', 'g'],
    ['ie', 'i'],
    ['jee', 'j'],
    ['ka', 'k'],
    ['el', 'l'],
    ['em', 'm'],
    ['pee', 'p'],
    ['ku', 'q'],
    ['tee', 't'],
    ['vee', 'v'],
    ['wee', 'w'],
    ['iks', 'x'],
    ['ij', 'y'],
    ['zet', 'z'],
  ]),
  en: new Map([
    ['bee', 'b'],
    ['cee', 'c'],
    ['see', 'c'],
    ['dee', 'd'],
    ['ee', 'e'],
    ['eff', 'f'],
    ['ef', 'f'],
    ['gee', 'g'],
    ['aitch', 'h'],
    ['jay', 'j'],
    ['kay', 'k'],
    ['el', 'l'],
    ['ell', 'l'],
    ['em', 'm'],
    ['pee', 'p'],
    ['cue', 'q'],
    ['queue', 'q'],
    ['ess', 's'],
    ['tee', 't'],
    ['vee', 'v'],
    ['ex', 'x'],
    ['why', 'y'],
    ['zee', 'z'],
    ['zed', 'z'],
  ]),
};

// "A van Anton", "B as in bravo", "C for Charlie": the spelling word confirms the letter and belongs to it.
const SPELLED_AS: ReadonlySet<string> = new Set(['van', 'voor', 'for', 'as']);

// Two lower-case letters after a number are usually a word in typed text ("in 2024 is", "1234 of 1235").
const COMMON_TWO_LETTER_WORDS: ReadonlySet<string> = new Set(
  (
    'is in op en om of te ik je we ze me er al nu na zo uw af ja ' +
    'at on to or it if be by do go he my no so up us am an as hi ok oh'
  ).split(' '),
);

const LETTER_GAP = /^[ \t]*-?[ \t]*$/;

const readLetter = (
  tokens: readonly Token[],
  index: number,
  lang: Lang,
): { letter: string; lastToken: number } | undefined => {
  const token = tokens[index];
  if (!token || token.isDigits) return undefined;
  const letter = /^[a-z]$/.test(token.norm)
    ? token.norm
    : (SPELLING_WORDS.get(token.norm) ?? LETTER_NAMES[lang].get(token.norm));
  if (!letter) return undefined;
  const connector = tokens[index + 1]?.norm ?? '';
  const spellingIndex = connector === 'as' && tokens[index + 2]?.norm === 'in' ? index + 3 : index + 2;
  const spelling = tokens[spellingIndex];
  const confirmed =
    SPELLED_AS.has(connector) &&
    spelling &&
    SPELLING_WORDS.get(spelling.norm) === letter &&
    !spelling.isDigits;
  return { letter, lastToken: confirmed ? spellingIndex : index };
};

const readLetterPair = (
  text: string,
  tokens: readonly Token[],
  index: number,
  lang: Lang,
): { letters: string; lastToken: number } | undefined => {
  const token = tokens[index];
  if (!token || !LETTER_GAP.test(gapBefore(text, tokens, index))) return undefined;
  // Spoken letters first, so "el em" is L M rather than the pair E L.
  const first = readLetter(tokens, index, lang);
  const second =
    first && LETTER_GAP.test(gapBefore(text, tokens, first.lastToken + 1))
      ? readLetter(tokens, first.lastToken + 1, lang)
      : undefined;
  if (first && second) return { letters: first.letter + second.letter, lastToken: second.lastToken };
  if (!/^[a-z]{2}$/.test(token.norm)) return undefined;
  const looksLikeWord =
    token.raw === token.raw.toLowerCase() &&
    /\s/.test(gapBefore(text, tokens, index)) &&
    COMMON_TWO_LETTER_WORDS.has(token.norm);
  return looksLikeWord ? undefined : { letters: token.norm, lastToken: index };
};

/** All Dutch postcodes in the text, normalised to "1234AB", in text order. */
export const findPostcodes = (text: string, tokens: readonly Token[], lang: Lang): PostcodeMatch[] =>
  findDigitRuns(text, tokens, lang).flatMap((run) => {
    // The four digits may end a longer spoken run ("nummer vijf, twaalf vierendertig a b").
    let digits = '';
    let firstPiece = run.pieces.length;
    while (firstPiece > 0 && digits.length < 4) {
      firstPiece -= 1;
      digits = (run.pieces[firstPiece]?.digits ?? '') + digits;
    }
    const startPiece = run.pieces[firstPiece];
    const lastPiece = run.pieces.at(-1);
    if (!startPiece || !lastPiece || !/^[1-9][0-9]{3}$/.test(digits)) return [];
    const letterPair = readLetterPair(text, tokens, lastPiece.lastToken + 1, lang);
    if (!letterPair) return [];
    const letters = letterPair.letters.toUpperCase();
    if (FORBIDDEN_LETTER_PAIRS.has(letters)) return [];
    const start = tokens[startPiece.firstToken]?.start ?? 0;
    const end = tokens[letterPair.lastToken]?.end ?? 0;
    return [
      {
        value: `${digits}${letters}`,
        text: text.slice(start, end),
        start,
        end,
        firstToken: startPiece.firstToken,
        lastToken: letterPair.lastToken,
      },
    ];
  });
