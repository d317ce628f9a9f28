// Tests for the `houseNumber` entity: number with an optional letter or addition, near a postcode or "nummer".

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('houseNumber', () => {
  it.each([
    ['12', '12'],
    ['12a', '12a'],
    ['12A', '12a'],
    ['12 a', '12a'],
    ['12-a', '12a'],
    ['12-2', '12-2'],
    ['12/2', '12-2'],
    ['twaalf', '12'],
    ['twaalf b', '12b'],
    ['nummer 5', '5'],
    ['nummer een', '1'],
    ['huisnummer drieënveertig', '43'],
    ['ik woon op de kerkstraat 14', '14'],
    ['kerkstraat 14, 1234 AB Amsterdam', '14'],
    ['1234 AB 5', '5'],
    ['1234AB12a', '12a'],
    ['1234 AB, nummer 7', '7'],
    ['twaalf vierendertig a b vijf', '5'],
    ['twaalf vierendertig a b nummer drie', '3'],
    ['postcode 1234 AB huisnummer 10-3', '10-3'],
    ['honderdtwintig', '120'],
    ['twaalf a, derde verdieping', '12a'],
    ['ik woon op nummer 4 bis', '4bis'],
    ['mijn postcode is 1234 ab en mijn huisnummer is 12', '12'],
    ['het huisnummer is een', '1'],
    ['ik heb 2 vragen, mijn huisnummer is 18', '18'],
  ])('nl: %s -> %s', (text, expected) => {
    expect(extractedValue('houseNumber', text, NL)).toBe(expected);
  });

  it.each([
    ['number 5', '5'],
    ['twelve', '12'],
    ['twelve b', '12b'],
    ['house number forty two', '42'],
    ['1234 AB 15', '15'],
    ['twelve thirty four a b twenty one', '21'],
  ])('en: %s -> %s', (text, expected) => {
    expect(extractedValue('houseNumber', text, EN)).toBe(expected);
  });

  it('does not take a spoken letter that starts a word group', () => {
    expect(extractedValue('houseNumber', 'twelve a week', EN)).toBe('12');
  });

  it.each(['ik heb een vraag', 'de kerkstraat', '1234 AB', '0'])('no house number in %j', (text) => {
    expect(extractedValue('houseNumber', text, NL)).toBeNull();
  });

  it('spans the number and its addition', () => {
    expect(extractBuiltin('houseNumber', '1234 AB 12-2', NL)).toEqual({
      value: '12-2',
      text: '12-2',
      start: 8,
      end: 12,
    });
  });
});
