// Tests for the `phoneNumber` entity: E.164 via libphonenumber-js with NL as the default region.

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('phoneNumber', () => {
  it.each([
    ['06 12345678', '+31612345678'],
    ['0612345678', '+31612345678'],
    ['06-12345678', '+31612345678'],
    ['+31 6 1234 5678', '+31612345678'],
    ['+31612345678', '+31612345678'],
    ['0031 6 12345678', '+31612345678'],
    ['020 123 4567', '+31201234567'],
    ['(020) 123 45 67', '+31201234567'],
    ['mijn nummer is 010-1234567', '+31101234567'],
    ['nul zes één twee drie vier vijf zes zeven acht', '+31612345678'],
    ['nul zes een twee drie vier vijf zes zeven acht', '+31612345678'],
    ['nul zes twaalf vierendertig zesenvijftig achtenzeventig', '+31612345678'],
    ['nul twintig een twee drie vier vijf zes zeven', '+31201234567'],
    ['nul zes dubbel een twee drie vier vijf zes zeven', '+31611234567'],
    ['plus eenendertig zes een twee drie vier vijf zes zeven acht', '+31612345678'],
    ['bel me op 0800 1234', '+318001234'],
  ])('nl: %s -> %s', (text, expected) => {
    expect(extractedValue('phoneNumber', text, NL)).toBe(expected);
  });

  it.each([
    ['oh six one two three four five six seven eight', '+31612345678'],
    ['zero six one two three four five six seven eight', '+31612345678'],
    ['+31 20 123 4567', '+31201234567'],
    // Not Dutch, so the en-US locale's own region is tried next.
    ['two oh two four five six one one one one', '+12024561111'],
    ['(202) 456-1111', '+12024561111'],
  ])('en: %s -> %s', (text, expected) => {
    expect(extractedValue('phoneNumber', text, EN)).toBe(expected);
  });

  it('spans the plus sign', () => {
    expect(extractBuiltin('phoneNumber', 'bel +31 6 1234 5678', NL)).toEqual({
      value: '+31612345678',
      text: '+31 6 1234 5678',
      start: 4,
      end: 19,
    });
  });

  it.each(['0123456789', '06 1234', '12345', 'mijn ordernummer is 45123', 'ik heb een vraag', '2024561111'])(
    'no (valid Dutch) phone number in %j',
    (text) => {
      expect(extractedValue('phoneNumber', text, NL)).toBeNull();
    },
  );
});
