// Tests for the `postcode` entity: Dutch postcodes typed or spoken, normalised to "1234AB".

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('postcode', () => {
  it.each([
    ['1234 AB', '1234AB'],
    ['1234AB', '1234AB'],
    ['1234ab', '1234AB'],
    ['1234 ab', '1234AB'],
    ['1234-AB', '1234AB'],
    ['1234 a b', '1234AB'],
    ['mijn postcode is 3511 LX in utrecht', '3511LX'],
    ['twaalf vierendertig a b', '1234AB'],
    ['een twee drie vier a b', '1234AB'],
    ['1 2 3 4 a b', '1234AB'],
    ['negen negen negen negen z z', '9999ZZ'],
    ['postcode vijfendertig elf l x', '3511LX'],
    ['nummer vijf twaalf vierendertig a b', '1234AB'],
    ['twaalf vierendertig anton bernard', '1234AB'],
    ['twaalf vierendertig a van anton b van bernard', '1234AB'],
    ['twaalf vierendertig el em', '1234LM'],
    ['1234 IN', '1234IN'],
    ['ik woon op 1234 AB 5', '1234AB'],
  ])('nl: %s -> %s', (text, expected) => {
    expect(extractedValue('postcode', text, NL)).toBe(expected);
  });

  it.each([
    ['twelve thirty four a b', '1234AB'],
    ['one two three four a b', '1234AB'],
    ['my postcode is 1234 AB', '1234AB'],
    ['twelve thirty four alpha bravo', '1234AB'],
    ['twelve thirty four a as in alpha b as in bravo', '1234AB'],
  ])('en: %s -> %s', (text, expected) => {
    expect(extractedValue('postcode', text, EN)).toBe(expected);
  });

  it.each([
    ['1234 SS', 'letter pair SS is never issued'],
    ['1234 SA', 'letter pair SA is never issued'],
    ['1234 sd', 'letter pair SD is never issued'],
    ['0234 AB', 'no postcode starts with 0'],
    ['12345 AB', 'five digits'],
    ['123 AB', 'three digits'],
    ['1234', 'no letters'],
    ['1234 a', 'one letter'],
    ['in 2024 is het gebeurd', 'a word after a year'],
    ['kies 1234 of 1235', 'a word between numbers'],
    ['ik heb een vraag', 'no numbers at all'],
    ['twaalf vierendertig en de rest', 'Dutch words after four digits'],
  ])('no postcode in %j (%s)', (text) => {
    expect(extractedValue('postcode', text, NL)).toBeNull();
  });

  it('spans the digits and the letters', () => {
    expect(extractBuiltin('postcode', 'postcode twaalf vierendertig a b graag', NL)).toEqual({
      value: '1234AB',
      text: 'twaalf vierendertig a b',
      start: 9,
      end: 32,
    });
  });
});
