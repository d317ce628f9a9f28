// Dates, times and amounts: digits a number detector must never join into a phone number ("01-12-2026 20 …").
import type { Span } from './tokens.ts';

const PROTECTED_PATTERNS: readonly RegExp[] = [
  // 1-12-2026, 01/12/26, 1.12.2026; not when more digit groups follow ("06-12-34-56-78" is a phone number).
  /(?<![\d./-])(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})(?![\d]|[-./]\d)/g,
  // 2026-12-01 and ISO timestamps in log lines.
  /(?<![\d./-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d]|[-./]\d)/g,
  // 20:00, 8:30:15, and the Dutch 20.00 uur.
  /(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])/g,
  /(?<![\d.])\d{1,2}\.\d{2}[ \t]*uur\b/gi,
  // € 45,50 / $1,234.00 / EUR 45 / 45 euro / 12 dollars.
  /[€$£][ \t]?\d[\d.,]*/g,
  /\b(?:EUR|USD|GBP)[ \t]?\d[\d.,]*/gi,
  /\d[\d.,]*[ \t]?(?:euro|eur|dollars?|cent|usd)\b/gi,
];

export function findProtectedSpans(text: string): Span[] {
  return PROTECTED_PATTERNS.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length })),
  );
}
