// Tests for the `number` entity: digits and Dutch and English number words.

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('number (nl)', () => {
  it.each([
    ['45', '45'],
    ['ik wil er 3', '3'],
    ['vijfenveertig', '45'],
    ['drieëntwintig', '23'],
    ['drieentwintig', '23'],
    ['tweeëntwintig stuks', '22'],
    ['honderdtwintig', '120'],
    ['honderd twintig', '120'],
    ['tweeduizend vijfentwintig', '2025'],
    ['tweeduizendvijfentwintig', '2025'],
    ['twee duizend vijf en twintig', '2025'],
    ['vijf en twintig', '25'],
    ['twaalfhonderd', '1200'],
    ['tweehonderdvijftig euro', '250'],
    ['vijfenveertig duizend', '45000'],
    ['twee miljoen', '2000000'],
    ['45.000 euro', '45000'],
    ['nul', '0'],
    ['elf', '11'],
    ['één', '1'],
    ['een', '1'],
    ['eh een', '1'],
    ['nummer een', '1'],
    ['een miljoen', '1000000'],
    ['ik heb er veertien besteld', '14'],
    ['het waren er achttien geloof ik', '18'],
  ])('%s -> %s', (text, expected) => {
    expect(extractedValue('number', text, NL)).toBe(expected);
  });

  it.each([
    'ik heb een vraag',
    'een pakket',
    'ik wil een afspraak maken',
    'goedemiddag',
    'ik ben mijn wachtwoord vergeten',
    'veertigers',
    'achter',
    '',
  ])('no number in %j', (text) => {
    expect(extractedValue('number', text, NL)).toBeNull();
  });

  it('reports the surface text and offsets', () => {
    expect(extractBuiltin('number', 'ik wil er vijfenveertig', NL)).toEqual({
      value: '45',
      text: 'vijfenveertig',
      start: 10,
      end: 23,
    });
  });

  it('keeps numbers said in a row apart', () => {
    expect(extractedValue('number', 'twaalf vierendertig', NL)).toBe('12');
    // Dutch says the unit first, so "twintig vijf" is not 25.
    expect(extractedValue('number', 'twintig vijf', NL)).toBe('20');
  });
});

describe('number (en)', () => {
  it.each([
    ['45', '45'],
    ['forty-five', '45'],
    ['forty five', '45'],
    ['twenty one', '21'],
    ['twenty one hundred', '2100'],
    ['one hundred and twenty five', '125'],
    ['a hundred', '100'],
    ['a thousand and one', '1001'],
    ['two thousand twenty five', '2025'],
    ['three million', '3000000'],
    ['nineteen', '19'],
    ['45,000 dollars', '45000'],
    ['i ordered twelve of them', '12'],
    ['one', '1'],
    ['fourty two', '42'],
  ])('%s -> %s', (text, expected) => {
    expect(extractedValue('number', text, EN)).toBe(expected);
  });

  it.each([
    'i have a question',
    'oh really',
    'that one',
    'the other one please',
    'someone called me',
    'often',
    'i want to speak to someone',
  ])('no number in %j', (text) => {
    expect(extractedValue('number', text, EN)).toBeNull();
  });

  it('keeps "twelve thirty four" as two numbers', () => {
    expect(extractedValue('number', 'twelve thirty four', EN)).toBe('12');
  });

  it('treats any nl-* locale as Dutch and any other as English', () => {
    expect(extractedValue('number', 'vijfenveertig', { ...NL, locale: 'nl-BE' })).toBe('45');
    expect(extractedValue('number', 'forty five', { ...EN, locale: 'en-GB' })).toBe('45');
    expect(extractedValue('number', 'vijfenveertig', EN)).toBeNull();
  });
});
