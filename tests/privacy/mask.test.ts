// Personal-data masking: the nl-NL/en-US corpus (found, gone, digits unrecoverable; negatives untouched) and maskDeep.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { findPersonalData, maskDeep, maskPersonalData } from '../../fulfillment/privacy/mask.ts';

const localeSchema = z.enum(['nl-NL', 'en-US']);
const corpusSchema = z.strictObject({
  positive: z.array(
    z.strictObject({
      locale: localeSchema,
      text: z.string(),
      pii: z.array(z.string()).min(1),
      kinds: z.array(z.enum(['phone', 'email', 'iban', 'bsn', 'card', 'postcode-address', 'postcode'])),
    }),
  ),
  negative: z.array(z.strictObject({ locale: localeSchema, text: z.string() })),
});

const corpus = corpusSchema.parse(
  parse(fs.readFileSync(new URL('./pii-corpus.yaml', import.meta.url), 'utf8')),
);

// Digits that stay readable after masking, with the separators people write between groups taken out.
const digitRunsIn = (text: string): string[] =>
  (text.match(/\d(?:[\d \t./()-]*\d)?/g) ?? []).map((run) => run.replace(/\D/g, ''));

/** Every stretch of four digits of the original that can still be read somewhere in the masked text. */
function recoverableDigits(original: string, masked: string): string[] {
  const digits = original.replace(/\D/g, '');
  const remaining = digitRunsIn(masked);
  return Array.from({ length: Math.max(0, digits.length - 3) }, (_, start) =>
    digits.slice(start, start + 4),
  ).filter((stretch) => remaining.some((run) => run.includes(stretch)));
}

describe('the corpus', () => {
  it('is big enough to mean something', () => {
    expect(corpus.positive.length).toBeGreaterThanOrEqual(60);
    expect(corpus.negative.length).toBeGreaterThanOrEqual(15);
    for (const locale of ['nl-NL', 'en-US'] as const) {
      expect(corpus.positive.some((entry) => entry.locale === locale)).toBe(true);
      expect(corpus.negative.some((entry) => entry.locale === locale)).toBe(true);
    }
    for (const entry of corpus.positive) {
      for (const pii of entry.pii) expect(entry.text).toContain(pii);
    }
  });
});

describe('maskPersonalData on personal data', () => {
  it.each(corpus.positive)('$locale: $text', ({ text, pii, kinds }) => {
    const masked = maskPersonalData(text);
    for (const piece of pii) {
      expect(masked).not.toContain(piece);
      expect(recoverableDigits(piece, masked)).toEqual([]);
    }
    expect(findPersonalData(text).map((finding) => finding.kind)).toEqual(kinds);
  });
});

describe('maskPersonalData leaves ordinary text alone', () => {
  it.each(corpus.negative)('$locale: $text', ({ text }) => {
    expect(maskPersonalData(text)).toBe(text);
    expect(findPersonalData(text)).toEqual([]);
  });
});

describe('maskPersonalData on masked text', () => {
  it('changes nothing more: the placeholders are not personal data', () => {
    for (const { text } of [...corpus.positive, ...corpus.negative]) {
      const masked = maskPersonalData(text);
      expect(maskPersonalData(masked)).toBe(masked);
    }
  });
});

describe('findPersonalData', () => {
  it('reports exact offsets in the original text', () => {
    const text = 'Bel 06-12345678 of mail jan@example.nl';
    expect(findPersonalData(text)).toEqual([
      { kind: 'phone', start: 4, end: 15 },
      { kind: 'email', start: 24, end: 38 },
    ]);
  });

  it('puts the neutral placeholders in place', () => {
    expect(maskPersonalData('Bel 06-12345678, postcode 1234 AB 5 of 1234 AB, IBAN NL91ABNA0417164300')).toBe(
      'Bel [phone], postcode [address] of [postcode], IBAN [iban]',
    );
    expect(maskPersonalData('bsn 123456782, card 4111 1111 1111 1111, jan@example.nl')).toBe(
      'bsn [bsn], card [card], [email]',
    );
  });

  it('returns nothing for empty text', () => {
    expect(findPersonalData('')).toEqual([]);
    expect(maskPersonalData('')).toBe('');
  });
});

describe('numbers read out in groups with pauses', () => {
  // The gaps tests/handoff/package.test.ts records as `todo` for the callback flow.
  it('masks "nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig" in free text (spoken pairs with commas)', () => {
    expect(maskPersonalData('ja, nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig, dank u')).toBe(
      'ja, [phone], dank u',
    );
  });

  it('masks "zes twaalf vierendertig zesenvijftig achtenzeventig" in free text (mobile number without the 0)', () => {
    expect(maskPersonalData('het is zes twaalf vierendertig zesenvijftig achtenzeventig')).toBe(
      'het is [phone]',
    );
  });

  it('leaves a number before or after the read-out alone', () => {
    const text =
      'over bestelling 45123, nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig, 3 pakketten';
    expect(maskPersonalData(text)).toBe('over bestelling 45123, [phone], 3 pakketten');
    expect(
      maskPersonalData('ik heb er drie, nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig'),
    ).toBe('ik heb er drie, [phone]');
  });

  it('keeps two numbers apart when each is whole by itself', () => {
    expect(findPersonalData('06 1234 5678, 06 8765 4321')).toEqual([
      { kind: 'phone', start: 0, end: 12 },
      { kind: 'phone', start: 14, end: 26 },
    ]);
    expect(maskPersonalData('bsn 123456782, 0612345678')).toBe('bsn [bsn], [phone]');
  });

  it('does not read a decimal comma or a comma without a space as a pause', () => {
    expect(maskPersonalData('06,12,34,56,78')).toBe('06,12,34,56,78');
    expect(maskPersonalData('[6,12,34,56,78]')).toBe('[6,12,34,56,78]');
  });

  it('lets the words between two groups be no more than a pause', () => {
    expect(maskPersonalData('nul zes, twaalf, en dan nog, vierendertig, zesenvijftig, achtenzeventig')).toBe(
      'nul zes, twaalf, en dan nog, vierendertig, zesenvijftig, achtenzeventig',
    );
  });

  it('joins only what passes a check: a list of exactly nine digits passes the 11-proof only by chance', () => {
    expect(maskPersonalData('ik heb 100, 200, 300, 400 en 500 geprobeerd')).toBe(
      'ik heb 100, 200, 300, 400 en 500 geprobeerd',
    );
    expect(maskPersonalData('het is 12, 34, 56, 78, 2')).toBe('het is [bsn]');
    expect(maskPersonalData('het is 12, 34, 56, 78, 3')).toBe('het is 12, 34, 56, 78, 3');
  });
});

describe('maskDeep', () => {
  const handoffPackage = () => ({
    reason: 'asked-for-person',
    queue: 'billing',
    attempts: 2,
    verified: false,
    slots: { orderNumber: '45123', phone: '0612345678' },
    transcript: [
      { speaker: 'caller', text: 'mijn nummer is nul zes een twee drie vier vijf zes zeven acht' },
      { speaker: 'bot', text: 'Dank u. Uw bestelling 45123 komt op 1 december 2026.' },
    ],
    notes: ['IBAN NL91 ABNA 0417 1643 00', null, undefined],
    startedAt: new Date('2026-12-01T20:00:00.000Z'),
  });

  it('masks every string in nested objects and arrays and keeps everything else', () => {
    const masked = maskDeep(handoffPackage());
    expect(masked).toEqual({
      ...handoffPackage(),
      slots: { orderNumber: '45123', phone: '[phone]' },
      transcript: [
        { speaker: 'caller', text: 'mijn nummer is [phone]' },
        { speaker: 'bot', text: 'Dank u. Uw bestelling 45123 komt op 1 december 2026.' },
      ],
      notes: ['IBAN [iban]', null, undefined],
    });
    expect(masked.startedAt).toBeInstanceOf(Date);
  });

  it('does not change its input', () => {
    const input = handoffPackage();
    const snapshot = structuredClone(input);
    const masked = maskDeep(input);
    expect(input).toEqual(snapshot);
    expect(masked).not.toBe(input);
    expect(masked.slots).not.toBe(input.slots);
    expect(masked.transcript).not.toBe(input.transcript);
  });

  it('masks plain strings and passes other primitives through', () => {
    expect(maskDeep('bel 0612345678')).toBe('bel [phone]');
    expect(maskDeep(42)).toBe(42);
    expect(maskDeep(null)).toBeNull();
    expect(maskDeep(undefined)).toBeUndefined();
    expect(maskDeep(true)).toBe(true);
  });

  it('copies cycles, Maps, Sets and Errors without losing them', () => {
    type Node = { text: string; self?: Node };
    const node: Node = { text: 'mail jan@example.nl' };
    node.self = node;
    const maskedNode = maskDeep(node);
    expect(maskedNode.text).toBe('mail [email]');
    expect(maskedNode.self).toBe(maskedNode);
    expect(node.text).toBe('mail jan@example.nl');

    const map = new Map([['phone', '06-12345678']]);
    expect(maskDeep(map).get('phone')).toBe('[phone]');
    expect(map.get('phone')).toBe('06-12345678');
    expect([...maskDeep(new Set(['bsn 123456782']))]).toEqual(['bsn [bsn]']);

    const error = new Error('lookup failed for 0612345678');
    const maskedError = maskDeep({ err: error }).err;
    expect(maskedError).toBeInstanceOf(Error);
    expect(maskedError.message).toBe('lookup failed for [phone]');
    expect(maskedError.stack).not.toContain('0612345678');
    expect(error.message).toBe('lookup failed for 0612345678');
  });
});
