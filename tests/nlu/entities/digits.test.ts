// Tests for the `digits`, `orderNumber` and `customerNumber` entities: digit strings read out or typed.

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('digits (nl)', () => {
  it.each([
    ['4 5 1 2 3', '45123'],
    ['45123', '45123'],
    ['45 123', '45123'],
    ['45-123', '45123'],
    ['vier vijf één twee drie', '45123'],
    ['vier vijf een twee drie', '45123'],
    ['een twee drie', '123'],
    ['nul zes twaalf vierendertig', '061234'],
    ['dubbel vier', '44'],
    ['vier dubbel vijf zes', '4556'],
    ['driedubbel nul', '000'],
    ['vijfenveertig honderddrieëntwintig', '45123'],
    ['mijn pincode is vier eh vijf zes zeven', '4567'],
    ['het is de 4 5 6', '456'],
  ])('%s -> %s', (text, expected) => {
    expect(extractedValue('digits', text, NL)).toBe(expected);
  });

  it.each(['ik heb een vraag', 'een pakket alstublieft', 'dubbel geboekt', 'goedemorgen'])(
    'no digits in %j',
    (text) => {
      expect(extractedValue('digits', text, NL)).toBeNull();
    },
  );

  it('drops the article before written digits', () => {
    expect(extractBuiltin('digits', 'ik heb een 06 nummer', NL)).toEqual({
      value: '06',
      text: '06',
      start: 11,
      end: 13,
    });
  });
});

describe('digits (en)', () => {
  it.each([
    ['four five one two three', '45123'],
    ['forty five one two three', '45123'],
    ['4 5 1 2 3', '45123'],
    ['45 123', '45123'],
    ['double four', '44'],
    ['triple seven', '777'],
    ['one oh one', '101'],
    ['four o four', '404'],
    ['two oh two five five five one two three four', '2025551234'],
    ['twelve thirty four', '1234'],
    ['my code is uh six seven eight', '678'],
  ])('%s -> %s', (text, expected) => {
    expect(extractedValue('digits', text, EN)).toBe(expected);
  });

  it.each(['oh no', 'oh okay', 'a double room', 'i have a question', 'o'])('no digits in %j', (text) => {
    expect(extractedValue('digits', text, EN)).toBeNull();
  });
});

describe('orderNumber and customerNumber', () => {
  it.each([
    ['mijn ordernummer is 12345678', '12345678'],
    ['ordernummer een twee drie vier vijf zes', '123456'],
    ['het is vier vijf zes zeven acht negen', '456789'],
    ['bestelnummer 4512 3456', '45123456'],
    ['nummer 5 en mijn bestelling is 987654', '987654'],
    ['mijn klantnummer is PL-123456', '123456'],
    ['klantnummer pl123456', '123456'],
    ['dubbel vijf een twee drie', '55123'],
  ])('nl: %s -> %s', (text, expected) => {
    expect(extractedValue('orderNumber', text, NL)).toBe(expected);
    expect(extractedValue('customerNumber', text, NL)).toBe(expected);
  });

  it.each([
    ['my order number is 45123', '45123'],
    ['order number four five one two three', '45123'],
    ['forty five one two three six', '451236'],
    ['customer number AB-9876543', '9876543'],
    ['it is double seven three three nine one', '773391'],
  ])('en: %s -> %s', (text, expected) => {
    expect(extractedValue('orderNumber', text, EN)).toBe(expected);
    expect(extractedValue('customerNumber', text, EN)).toBe(expected);
  });

  it('prefers the longest digit run', () => {
    expect(extractedValue('orderNumber', 'order 12345 or maybe 1234567', EN)).toBe('1234567');
  });

  it('includes a written letter prefix in the span but not in the value', () => {
    expect(extractBuiltin('customerNumber', 'klantnummer PL-123456 graag', NL)).toEqual({
      value: '123456',
      text: 'PL-123456',
      start: 12,
      end: 21,
    });
  });

  it.each(['1234', 'ik heb 12 pakketten', '12345678901', 'ik wil mijn bestelling annuleren'])(
    'no reference number in %j',
    (text) => {
      expect(extractedValue('orderNumber', text, NL)).toBeNull();
    },
  );
});
