// Text normalisation shared by training and prediction, so typed text and phone transcripts look alike.

// Letters that Unicode decomposition does not split into a base letter plus accent.
const LETTERS_WITHOUT_DECOMPOSITION: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const UNDECOMPOSABLE_LETTER = /[ßæœøłđðþı]/g;
// Apostrophes are dropped rather than turned into spaces: speech recognisers write "dont" and "autos",
// so "don't" and "auto's" must end up as the same single word.
const APOSTROPHES = /['’‘`´ʼ]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

/** Lower-cases, folds diacritics (één -> een), strips punctuation and collapses whitespace. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(UNDECOMPOSABLE_LETTER, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter] ?? letter)
    .replace(NOT_LETTER_OR_DIGIT, ' ')
    .trim();
}

/** The words of a text after normalisation. */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}
