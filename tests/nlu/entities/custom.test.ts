// Tests for custom entity types: values and synonyms, diacritics, whole words, longest match, ASR slips.

import { describe, expect, it } from 'vitest';
import { type CustomEntityType, extractCustom } from '../../../fulfillment/nlu/entities/extract.ts';

const PRODUCTS: CustomEntityType = {
  name: 'product',
  values: [
    { id: 'internet', value: 'internet', synonyms: ['wifi', 'wi-fi', 'glasvezel'] },
    { id: 'tv', value: 'televisie', synonyms: ['tv', 'tv pakket', 'kabel'] },
    { id: 'tv-plus', value: 'tv pakket plus', synonyms: ['televisie plus'] },
    { id: 'phone', value: 'telefoon', synonyms: ['vaste lijn', 'mobiel', 'e-mail'] },
    { id: 'cafe', value: 'café', synonyms: ['koffie'] },
    { id: 'bus', value: 'bus', synonyms: [] },
  ],
};

const idOf = (text: string, locale = 'nl-NL') => extractCustom(PRODUCTS, text, locale)?.value ?? null;

describe('custom entities', () => {
  it.each([
    ['internet', 'internet'],
    ['mijn INTERNET doet het niet', 'internet'],
    ['de wifi is traag', 'internet'],
    ['mijn wi-fi', 'internet'],
    ['glasvezel', 'internet'],
    ['de televisie', 'tv'],
    ['mijn TV', 'tv'],
    ['ik heb een vraag over mijn vaste lijn', 'phone'],
    ['cafe', 'cafe'],
    ['Café', 'cafe'],
    ['de bus', 'bus'],
    ['mijn email werkt niet', 'phone'],
  ])('%j -> %s', (text, expected) => {
    expect(idOf(text)).toBe(expected);
  });

  it('lets the longest match win', () => {
    expect(idOf('ik wil het tv pakket plus')).toBe('tv-plus');
    expect(idOf('ik wil het tv pakket')).toBe('tv');
    expect(idOf('televisie plus graag')).toBe('tv-plus');
  });

  it('tolerates one ASR slip in words of five letters or more', () => {
    expect(idOf('mijn internat doet het niet')).toBe('internet');
    expect(idOf('de telvisie')).toBe('tv');
    expect(idOf('de glasvezell')).toBe('internet');
    expect(idOf('telefon')).toBe('phone');
  });

  it('tolerates a slip such as a plural on a long word', () => {
    expect(idOf('kabels en zo')).toBe('tv');
  });

  it.each(['bos', 'bussen', 'wifu', 'tvs', 'interneteren', 'ik heb een vraag', 'intrenetten'])(
    'no match in %j',
    (text) => {
      expect(idOf(text)).toBeNull();
    },
  );

  it('reports the matched surface text and offsets', () => {
    expect(extractCustom(PRODUCTS, 'mijn Vaste Lijn is stuk', 'nl-NL')).toEqual({
      value: 'phone',
      text: 'Vaste Lijn',
      start: 5,
      end: 15,
    });
  });

  it('works the same for English text', () => {
    expect(idOf('my internet is down', 'en-US')).toBe('internet');
  });
});
