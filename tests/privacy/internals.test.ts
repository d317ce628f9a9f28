// The fast helpers of fulfillment/privacy against the plain versions they replace (kept here as the reference):
// the tokenizer, the number-word lookup, the gap tests and the check digits must give the same answers.
import { describe, expect, it } from 'vitest';
import { passesElevenProof, passesIbanCheck, passesLuhn } from '../../fulfillment/privacy/checksums.ts';
import { findPersonalData } from '../../fulfillment/privacy/mask.ts';
import {
  dutchNumberWords,
  INHERITED_NAMES,
  NUMBER_WORD_VALUES,
  numberWordValue,
  numberWordValueByPattern,
} from '../../fulfillment/privacy/spoken-numbers.ts';
import {
  markTaken,
  onlySpacesBetween,
  spacesOrHyphenBetween,
  type Token,
  tokenize,
} from '../../fulfillment/privacy/tokens.ts';
import { seededRandom } from './random-sentences.ts';

// --- the plain versions ---

function tokenizeByPattern(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)].map((match) => ({
    text: match[0],
    word: match[0]
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase(),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

function luhnByReduce(digits: string): boolean {
  const sum = [...digits].reverse().reduce((total, character, position) => {
    const digit = Number(character);
    const weighted = position % 2 === 1 ? digit * 2 : digit;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
  return digits.length > 0 && sum % 10 === 0;
}

function elevenProofByReduce(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const sum = [...digits].reduce((total, character, position) => {
    const weight = position === 8 ? -1 : 9 - position;
    return total + weight * Number(character);
  }, 0);
  return sum % 11 === 0 && sum !== 0;
}

function ibanCheckByChunks(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.toUpperCase();
  if (!/^[A-Z0-9]+$/.test(rearranged)) return false;
  const numeric = [...rearranged].map((character) => parseInt(character, 36).toString()).join('');
  const remainder = (numeric.match(/\d{1,7}/g) ?? []).reduce(
    (carry, chunk) => Number(`${carry}${chunk}`) % 97,
    0,
  );
  return remainder === 1;
}

function availabilityByCharacters(
  tokens: readonly Token[],
  taken: readonly { start: number; end: number }[],
) {
  const length = [...tokens, ...taken].reduce((longest, span) => Math.max(longest, span.end), 0);
  const covered = new Uint8Array(length);
  for (const span of taken) covered.fill(1, span.start, span.end);
  const available = tokens.map((token) => !covered.subarray(token.start, token.end).includes(1));
  return (index: number) => available[index] === true;
}

// --- random material ---

const random = seededRandom(20_240_612);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

// Letters, digits, marks, separators, and characters that fold or upper-case into something else; surrogate pairs
// (a letter, a digit, an emoji) and lone surrogates.
const PIECES = [
  ...'abcxyzABCXYZ0123456789',
  ...' \t-.,:/@+()',
  'é',
  'e\u0301',
  '\u0301',
  'ß',
  'İ',
  'ı',
  '²',
  '½',
  '①',
  '１',
  'ｎ',
  'ﬁ',
  'Ⅻ',
  '€',
  '’',
  '\u00a0',
  '\u{1d400}',
  '\u{1d7ce}',
  '\u{1f600}',
  '\ud800',
  '\udc00',
  '\u0645',
  '\u0663',
];

function randomText(length: number): string {
  return Array.from({ length }, () => pick(PIECES)).join('');
}

describe('tokenize', () => {
  it('finds the same tokens as /[\\p{L}\\p{N}\\p{M}]+/gu with NFKD folding', () => {
    const texts = [
      '',
      'mijn internet doet het niet',
      'Één twee DRIE',
      'café cafe\u0301 ②',
      ...Array.from({ length: 5_000 }, () => randomText(1 + Math.floor(random() * 30))),
    ];
    const different = texts.filter(
      (text) => JSON.stringify(tokenize(text)) !== JSON.stringify(tokenizeByPattern(text)),
    );
    expect(different).toEqual([]);
  });
});

describe('markTaken', () => {
  it('takes the tokens a per-character map of the spans covers', () => {
    for (let round = 0; round < 2_000; round++) {
      const text = randomText(1 + Math.floor(random() * 40));
      const tokens = tokenize(text);
      const spans = Array.from({ length: Math.floor(random() * 4) }, () => {
        const start = Math.floor(random() * (text.length + 2));
        return { start, end: start + Math.floor(random() * 6) };
      });
      const taken = new Uint8Array(tokens.length);
      for (const span of spans) markTaken(tokens, taken, span);
      const plain = availabilityByCharacters(tokens, spans);
      for (let index = 0; index < tokens.length; index++) expect(taken[index] === 0).toBe(plain(index));
    }
  });
});

describe('the gap tests', () => {
  it('answer as the patterns do on the cut-out gap', () => {
    for (let round = 0; round < 5_000; round++) {
      const gap = Array.from({ length: Math.floor(random() * 4) }, () =>
        pick([' ', '\t', '-', '.', '(', 'x']),
      ).join('');
      const text = `ab${gap}cd`;
      const left: Token = { text: 'ab', word: 'ab', start: 0, end: 2 };
      const right: Token = { text: 'cd', word: 'cd', start: 2 + gap.length, end: 4 + gap.length };
      expect(onlySpacesBetween(text, left, right)).toBe(/^[ \t]+$/.test(gap));
      expect(spacesOrHyphenBetween(text, left, right)).toBe(/^(?:[ \t]+|[ \t]*-[ \t]*)$/.test(gap));
      expect(onlySpacesBetween(text, undefined, right)).toBe(false);
      expect(spacesOrHyphenBetween(text, left, undefined)).toBe(false);
    }
  });
});

describe('numberWordValue', () => {
  it('gives what the tables and the Dutch pattern give, for every word they know and many they do not', () => {
    const fragments = [
      'een',
      'twee',
      'drie',
      'en',
      'twintig',
      'honderd',
      'tien',
      'elf',
      'zes',
      'tig',
      'one',
      'ty',
    ];
    const words = [
      ...dutchNumberWords(),
      ...NUMBER_WORD_VALUES.keys(),
      ...INHERITED_NAMES,
      '',
      'o',
      'oh',
      'nul',
      'eenhonderd',
      'honderdtwaalf',
      'tweeëntwintig',
      ...Array.from({ length: 20_000 }, () =>
        Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(fragments)).join(''),
      ),
    ];
    const different = words.filter(
      (word) => !Object.is(numberWordValue(word), numberWordValueByPattern(word)),
    );
    expect(different).toEqual([]);
  });

  it('knows every Dutch number word from 1 to 999', () => {
    const values = new Set(dutchNumberWords().map((word) => numberWordValue(word)));
    for (let value = 1; value <= 999; value++) expect(values.has(value)).toBe(true);
  });
});

describe('the check digits', () => {
  const digits = (length: number) => Array.from({ length }, () => String(Math.floor(random() * 10))).join('');

  it('Luhn and the 11-proof agree with the plain versions', () => {
    for (let round = 0; round < 20_000; round++) {
      const candidate = digits(Math.floor(random() * 20));
      expect(passesLuhn(candidate)).toBe(luhnByReduce(candidate));
      expect(passesElevenProof(candidate)).toBe(elevenProofByReduce(candidate));
    }
    for (const candidate of ['123456782', '111222333', '000000000', '12345678a', '1234567890']) {
      expect(passesElevenProof(candidate)).toBe(elevenProofByReduce(candidate));
    }
  });

  it('the IBAN check agrees with the plain version', () => {
    const characters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'a', 'z', ' ', 'ß', 'é'];
    for (let round = 0; round < 20_000; round++) {
      const candidate = Array.from({ length: Math.floor(random() * 36) }, () => pick(characters)).join('');
      expect(passesIbanCheck(candidate)).toBe(ibanCheckByChunks(candidate));
    }
    for (const iban of ['NL91ABNA0417164300', 'GR1601101250000000012300695', 'nl91abna0417164300']) {
      expect(passesIbanCheck(iban)).toBe(ibanCheckByChunks(iban));
    }
  });
});

describe('IBANs of countries without a listed layout', () => {
  // Valid example IBANs of Greece, Malta, Romania and Saudi Arabia: found only by their check digits.
  const IBANS = [
    'GR1601101250000000012300695',
    'MT84MALT011000012345MTLCAST001S',
    'RO49AAAA1B31007593840000',
    'SA0380000000608010167519',
  ];

  it('are found typed, grouped, in lower case and inside a sentence', () => {
    for (const iban of IBANS) {
      expect(passesIbanCheck(iban)).toBe(true);
      const grouped = iban.replace(/(.{4})/g, '$1 ').trim();
      for (const text of [iban, grouped, grouped.toLowerCase(), `mijn iban is ${grouped}, graag`]) {
        expect(findPersonalData(text).map((finding) => finding.kind)).toContain('iban');
      }
    }
  });
});
