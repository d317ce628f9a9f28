// Tests for findAllEntities: non-overlapping spans of every requested type, for masking before classification.

import { describe, expect, it } from 'vitest';
import {
  BUILTIN_ENTITY_TYPES,
  type CustomEntityType,
  findAllEntities,
} from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, NL } from './context.ts';

const ALL = { builtin: BUILTIN_ENTITY_TYPES, custom: [] };

const summary = (text: string, types: Parameters<typeof findAllEntities>[1], ctx = NL) =>
  findAllEntities(text, types, ctx).map(({ type, match }) => [type, match.value, match.text]);

const overlapFree = (spans: { match: { start: number; end: number } }[]) =>
  spans.every((a, i) =>
    spans.every((b, j) => i === j || a.match.end <= b.match.start || b.match.end <= a.match.start),
  );

describe('findAllEntities', () => {
  it('finds a postcode and its house number', () => {
    expect(
      summary('mijn postcode is 1234 AB 5', { builtin: ['postcode', 'houseNumber', 'number'], custom: [] }),
    ).toEqual([
      ['postcode', '1234AB', '1234 AB'],
      ['houseNumber', '5', '5'],
    ]);
  });

  it('prefers the phone number over the digits and numbers inside it', () => {
    expect(summary('bel me op 06 12345678 morgen', ALL)).toEqual([
      ['phoneNumber', '+31612345678', '06 12345678'],
      ['date', '2026-11-23', 'morgen'],
    ]);
  });

  it('prefers a date over the number inside it', () => {
    expect(summary('kan het op 1 december', { builtin: ['number', 'date'], custom: [] })).toEqual([
      ['date', '2026-12-01', '1 december'],
    ]);
  });

  it('returns every number when only numbers are asked for', () => {
    expect(summary('ik wil er twee en jij vijfenveertig', { builtin: ['number'], custom: [] })).toEqual([
      ['number', '45', 'vijfenveertig'],
      ['number', '2', 'twee'],
    ]);
  });

  it('combines custom and builtin entities', () => {
    const products: CustomEntityType = {
      name: 'product',
      values: [{ id: 'internet', value: 'internet', synonyms: ['wifi'] }],
    };
    const found = findAllEntities(
      'ja mijn wifi doet het sinds vrijdag niet',
      { builtin: ['date', 'yesNo'], custom: [products] },
      NL,
    );
    expect(found.map(({ type, match }) => [type, match.value, match.text])).toEqual([
      ['date', '2026-11-27', 'vrijdag'],
      ['product', 'internet', 'wifi'],
      ['yesNo', 'no', 'niet'],
      ['yesNo', 'yes', 'ja'],
    ]);
    expect(overlapFree(found)).toBe(true);
  });

  it('finds an order number in an English transcript', () => {
    expect(
      summary(
        'hi my order number is four five one two three and it did not arrive',
        { builtin: ['orderNumber', 'number'], custom: [] },
        EN,
      ),
    ).toEqual([['orderNumber', '45123', 'four five one two three']]);
  });

  it('keeps a bare number a number, not a house number, when both are asked for', () => {
    const types = { builtin: ['houseNumber', 'number'] as const, custom: [] };
    expect(summary('het is twee keer afgeschreven', types)).toEqual([['number', '2', 'twee']]);
    expect(summary('ik woon op nummer twaalf', types)).toEqual([['houseNumber', '12', 'twaalf']]);
    expect(summary('kerkstraat 12a', types)).toEqual([['houseNumber', '12a', '12a']]);
  });

  it('returns nothing for text without entities', () => {
    expect(findAllEntities('ik heb een vraag over mijn rekening', ALL, NL)).toEqual([]);
  });

  it('never returns overlapping spans', () => {
    const texts = [
      'postcode twaalf vierendertig a b nummer vijf bel me op nul zes een twee drie vier vijf zes zeven acht',
      'ordernummer 12345678 geleverd op 15-12 klopt niet',
      'my number is oh six one two three four five six seven eight and yes tomorrow is fine',
    ];
    for (const text of texts)
      expect(overlapFree(findAllEntities(text, ALL, text.startsWith('my') ? EN : NL))).toBe(true);
  });
});
