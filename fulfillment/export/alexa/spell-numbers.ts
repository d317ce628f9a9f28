// Whole numbers as words, because Alexa refuses digits in sample utterances ("open twenty four hours", not "24").
// English and Dutch, the model's languages; null for a language without words here, so the exporter can say so.

const ENGLISH_UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const ENGLISH_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const DUTCH_UNITS = [
  'nul',
  'een',
  'twee',
  'drie',
  'vier',
  'vijf',
  'zes',
  'zeven',
  'acht',
  'negen',
  'tien',
  'elf',
  'twaalf',
  'dertien',
  'veertien',
  'vijftien',
  'zestien',
  'zeventien',
  'achttien',
  'negentien',
];
const DUTCH_TENS = [
  '',
  '',
  'twintig',
  'dertig',
  'veertig',
  'vijftig',
  'zestig',
  'zeventig',
  'tachtig',
  'negentig',
];

function english(n: number): string {
  if (n < 20) return ENGLISH_UNITS[n] ?? '';
  if (n < 100) {
    const unit = n % 10;
    return `${ENGLISH_TENS[Math.floor(n / 10)]}${unit ? ` ${ENGLISH_UNITS[unit]}` : ''}`;
  }
  if (n < 1000) {
    const rest = n % 100;
    return `${ENGLISH_UNITS[Math.floor(n / 100)]} hundred${rest ? ` ${english(rest)}` : ''}`;
  }
  const rest = n % 1000;
  return `${english(Math.floor(n / 1000))} thousand${rest ? ` ${english(rest)}` : ''}`;
}

/** Dutch writes numbers under a thousand as one word: vierentwintig, tweeëntwintig, honderdvijf. */
function dutch(n: number): string {
  if (n < 20) return DUTCH_UNITS[n] ?? '';
  if (n < 100) {
    const unit = n % 10;
    const tens = DUTCH_TENS[Math.floor(n / 10)] ?? '';
    if (!unit) return tens;
    const unitWord = DUTCH_UNITS[unit] ?? '';
    return `${unitWord}${unitWord.endsWith('e') ? 'ën' : 'en'}${tens}`;
  }
  if (n < 1000) {
    const hundreds = Math.floor(n / 100);
    const rest = n % 100;
    return `${hundreds > 1 ? DUTCH_UNITS[hundreds] : ''}honderd${rest ? dutch(rest) : ''}`;
  }
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  return `${thousands > 1 ? dutch(thousands) : ''}duizend${rest ? ` ${dutch(rest)}` : ''}`;
}

const SPELLERS: Readonly<Record<string, (n: number) => string>> = { en: english, nl: dutch };
const DIGIT_WORDS: Readonly<Record<string, readonly string[]>> = { en: ENGLISH_UNITS, nl: DUTCH_UNITS };

/**
 * A run of digits as it is said: as a number up to 999,999, digit by digit when it is longer or starts with a zero
 * (a code, not an amount). Null for a language this file has no words for.
 */
export function spellDigits(digits: string, language: string): string | null {
  const speller = SPELLERS[language];
  const digitWords = DIGIT_WORDS[language];
  if (!speller || !digitWords) return null;
  if (digits.length > 6 || (digits.length > 1 && digits.startsWith('0'))) {
    return [...digits].map((digit) => digitWords[Number(digit)]).join(' ');
  }
  return speller(Number(digits));
}
