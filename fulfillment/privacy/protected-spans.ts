// Dates, times and amounts: digits a number detector must never join into a phone number ("01-12-2026 20 …").
import type { Span } from './tokens.ts';

interface ProtectedPattern {
  readonly pattern: RegExp;
  /**
   * Something every match holds, checked first so that most texts skip the pattern: one of these characters, and
   * (for the case-insensitive patterns) one of their words, found in any case: without the u flag, a case-insensitive
   * pattern matches an ASCII letter only with the same ASCII letter in upper or lower case.
   */
  readonly characters: string;
  readonly words?: RegExp;
}

const PROTECTED_PATTERNS: readonly ProtectedPattern[] = [
  // 1-12-2026, 01/12/26, 1.12.2026; not when more digit groups follow ("06-12-34-56-78" is a phone number).
  {
    pattern:
      /(?<![\d./-])(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})(?![\d]|[-./]\d)/g,
    characters: '-./',
  },
  // 2026-12-01 and ISO timestamps in log lines.
  {
    pattern: /(?<![\d./-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d]|[-./]\d)/g,
    characters: '-',
  },
  // 20:00, 8:30:15, and the Dutch 20.00 uur.
  { pattern: /(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])/g, characters: ':' },
  { pattern: /(?<![\d.])\d{1,2}\.\d{2}[ \t]*uur\b/gi, characters: '.', words: /uur/i },
  // € 45,50 / $1,234.00 / EUR 45 / 45 euro / 12 dollars.
  { pattern: /[€$£][ \t]?\d[\d.,]*/g, characters: '€$£' },
  { pattern: /\b(?:EUR|USD|GBP)[ \t]?\d[\d.,]*/gi, characters: '', words: /eur|usd|gbp/i },
  {
    pattern: /\d[\d.,]*[ \t]?(?:euro|eur|dollars?|cent|usd)\b/gi,
    characters: '',
    words: /eur|dollar|cent|usd/i,
  },
];

/** Whether the text has an ASCII digit, which every protected pattern needs (\d matches nothing else). */
function hasAsciiDigit(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

function hasAnyCharacter(text: string, characters: string): boolean {
  for (let index = 0; index < characters.length; index++) {
    if (text.includes(characters.charAt(index))) return true;
  }
  return false;
}

export function findProtectedSpans(text: string): Span[] {
  if (!hasAsciiDigit(text)) return [];
  const spans: Span[] = [];
  for (const { pattern, characters, words } of PROTECTED_PATTERNS) {
    if (characters !== '' && !hasAnyCharacter(text, characters)) continue;
    if (words && !words.test(text)) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      spans.push({ start: match.index, end: match.index + match[0].length });
      // As matchAll does; none of these patterns can match nothing, so this never happens.
      if (match[0] === '') pattern.lastIndex += 1;
    }
  }
  return spans;
}
