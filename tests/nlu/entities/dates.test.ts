// Tests for the `date` entity, relative to Sunday 22 November 2026 10:00 in Amsterdam.

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('date (nl)', () => {
  it.each([
    ['vandaag', '2026-11-22'],
    ['morgen', '2026-11-23'],
    ['kan het morgen bezorgd worden', '2026-11-23'],
    ['morgenochtend om tien uur', '2026-11-23'],
    ['overmorgen', '2026-11-24'],
    ['eergisteren', '2026-11-20'],
    ['maandag', '2026-11-23'],
    ['vrijdag', '2026-11-27'],
    ['aanstaande maandag', '2026-11-23'],
    ['komende dinsdag', '2026-11-24'],
    ['volgende week vrijdag', '2026-11-27'],
    ['volgende week dinsdag', '2026-11-24'],
    ['vorige week vrijdag', '2026-11-20'],
    ['1 december', '2026-12-01'],
    ['per 1 december', '2026-12-01'],
    ['een december', '2026-12-01'],
    ['eerste december', '2026-12-01'],
    ['de 1e december', '2026-12-01'],
    ['drie december', '2026-12-03'],
    ['vijftien december', '2026-12-15'],
    ['eenentwintig december', '2026-12-21'],
    ['drieëntwintigste december', '2026-12-23'],
    ['vijf en twintig december', '2026-12-25'],
    ['2 januari', '2027-01-02'],
    ['twintig november', '2027-11-20'],
    ['20 november', '2027-11-20'],
    ['29 februari', '2028-02-29'],
    ['1 december 2027', '2027-12-01'],
    ['1 december tweeduizend zevenentwintig', '2027-12-01'],
    ['15-12', '2026-12-15'],
    ['15-12-2026', '2026-12-15'],
    ['15/12', '2026-12-15'],
    ['over twee weken', '2026-12-06'],
    ['over een week', '2026-11-29'],
    ['over drie dagen', '2026-11-25'],
    ['over veertien dagen', '2026-12-06'],
    ['binnen twee weken', '2026-12-06'],
    ['over twee maanden', '2027-01-22'],
    ['vrijdag de vierde december', '2026-12-04'],
    ['vrijdag de vierde', '2026-12-04'],
    ['op de vijftiende', '2026-12-15'],
    ['kan het op de vijftiende bezorgen', '2026-12-15'],
    ['op de dertigste, om tien uur', '2026-11-30'],
    ['maandag 7 december', '2026-12-07'],
    ['ik wil het opzeggen per een januari', '2027-01-01'],
  ])('%s -> %s', (text, expected) => {
    expect(extractedValue('date', text, NL)).toBe(expected);
  });

  it.each([
    'ik heb een vraag',
    'in december',
    'het is mei',
    'om 15:00',
    'goedemorgen',
    'zo ja',
    'huisnummer 12-2',
    'de eerste keer',
    'ik wil mijn abonnement opzeggen',
    '1234 AB',
    'ik zit op de tweede verdieping',
    'het is de derde keer dat ik bel',
    'twee jaar',
  ])('no date in %j', (text) => {
    expect(extractedValue('date', text, NL)).toBeNull();
  });

  it('spans the modifier of "aanstaande maandag"', () => {
    expect(extractBuiltin('date', 'graag aanstaande maandag', NL)).toEqual({
      value: '2026-11-23',
      text: 'aanstaande maandag',
      start: 6,
      end: 24,
    });
  });

  it('returns the first date when several are said', () => {
    expect(extractedValue('date', 'niet morgen maar overmorgen', NL)).toBe('2026-11-23');
  });
});

describe('date (en)', () => {
  it.each([
    ['today', '2026-11-22'],
    ['tomorrow', '2026-11-23'],
    ['tomorrow please', '2026-11-23'],
    ['the day after tomorrow', '2026-11-24'],
    ['day after tomorrow', '2026-11-24'],
    ['next Friday', '2026-11-27'],
    ['this friday', '2026-11-27'],
    ['last friday', '2026-11-20'],
    ['on monday', '2026-11-23'],
    ['December 1st', '2026-12-01'],
    ['december first', '2026-12-01'],
    ['the first of december', '2026-12-01'],
    ['december twenty first', '2026-12-21'],
    ['december twenty one', '2026-12-21'],
    ['twenty first of december', '2026-12-21'],
    ['november 20', '2027-11-20'],
    ['december 1 2027', '2027-12-01'],
    ['12/15', '2026-12-15'],
    ['in two weeks', '2026-12-06'],
    ['in 2 weeks', '2026-12-06'],
    ['in three days', '2026-11-25'],
    ['in fourteen days', '2026-12-06'],
    ['on the fifth', '2026-12-05'],
    ['on the fifth please', '2026-12-05'],
    ['a week from now', '2026-11-29'],
    ['next week', '2026-11-29'],
    ['friday the 4th', '2026-12-04'],
  ])('%s -> %s', (text, expected) => {
    expect(extractedValue('date', text, EN)).toBe(expected);
  });

  it.each([
    'i have a question',
    'i sat down',
    'may i ask something',
    'in march',
    'at 3 pm',
    'the first time',
    'on the first try',
    'i am forty two years old',
    'give me a second',
    'in five minutes',
  ])('no date in %j', (text) => {
    expect(extractedValue('date', text, EN)).toBeNull();
  });
});

describe('date time zone', () => {
  // 23:30 UTC on the 22nd is already Monday the 23rd in Amsterdam, but still Sunday in New York.
  const lateEvening = new Date('2026-11-22T23:30:00Z');

  it('counts days in the given time zone, Europe/Amsterdam by default', () => {
    expect(extractedValue('date', 'vandaag', { locale: 'nl-NL', now: lateEvening })).toBe('2026-11-23');
    expect(extractedValue('date', 'morgen', { locale: 'nl-NL', now: lateEvening })).toBe('2026-11-24');
    expect(extractedValue('date', 'overmorgen', { locale: 'nl-NL', now: lateEvening })).toBe('2026-11-25');
    expect(
      extractedValue('date', 'today', { locale: 'en-US', now: lateEvening, timeZone: 'America/New_York' }),
    ).toBe('2026-11-22');
    expect(
      extractedValue('date', 'tomorrow', { locale: 'en-US', now: lateEvening, timeZone: 'America/New_York' }),
    ).toBe('2026-11-23');
  });

  it('prefers this year until the day has passed', () => {
    const newYearsEve = { locale: 'nl-NL', now: new Date('2026-12-31T12:00:00+01:00') };
    expect(extractedValue('date', '31 december', newYearsEve)).toBe('2026-12-31');
    expect(extractedValue('date', 'een januari', newYearsEve)).toBe('2027-01-01');
    expect(extractedValue('date', 'morgen', newYearsEve)).toBe('2027-01-01');
  });
});
