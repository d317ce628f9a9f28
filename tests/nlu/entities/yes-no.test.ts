// Tests for the `yesNo` entity: Dutch and English confirmations and refusals, negations winning.

import { describe, expect, it } from 'vitest';
import { extractBuiltin } from '../../../fulfillment/nlu/entities/extract.ts';
import { EN, extractedValue, NL } from './context.ts';

describe('yesNo (nl)', () => {
  it.each([
    'ja',
    'Ja.',
    'ja hoor',
    'jawel',
    'jazeker',
    'klopt',
    'dat klopt',
    'correct',
    'prima',
    'goed',
    'is goed',
    'dat is goed',
    'doe maar',
    'graag',
    'ja graag',
    'akkoord',
    'oké',
    'ok',
    'zeker',
    'precies',
    'inderdaad',
    'ja dat is mijn adres',
    'eh ja',
    'geen probleem',
    'waarom niet',
    'dat is niet erg',
  ])('%j -> yes', (text) => {
    expect(extractedValue('yesNo', text, NL)).toBe('yes');
  });

  it.each([
    'nee',
    'neen',
    'nee hoor',
    'niet',
    'liever niet',
    'nee dank je',
    'absoluut niet',
    'klopt niet',
    'dat klopt niet',
    'niet doen',
    'niet goed',
    'dat is niet goed',
    'nee dat is goed',
    'ja nee',
    'helemaal niet',
    'zeker niet',
    'dat is fout',
    'nee bedankt',
    'het klopt niet helemaal',
  ])('%j -> no', (text) => {
    expect(extractedValue('yesNo', text, NL)).toBe('no');
  });

  it.each(['ik weet het niet', 'geen idee', 'misschien', 'weet ik niet zo goed'])(
    '%j -> null (unsure)',
    (text) => {
      expect(extractedValue('yesNo', text, NL)).toBeNull();
    },
  );

  it.each(['jan', 'ik heet jan', 'ik heb een vraag', 'neenee', 'goedemorgen', 'nokia', 'janssen', ''])(
    '%j -> null',
    (text) => {
      expect(extractedValue('yesNo', text, NL)).toBeNull();
    },
  );

  it('spans the deciding phrase, negation included', () => {
    expect(extractBuiltin('yesNo', 'eh dat klopt niet', NL)).toEqual({
      value: 'no',
      text: 'dat klopt niet',
      start: 3,
      end: 17,
    });
    expect(extractBuiltin('yesNo', 'nou niet goed eigenlijk', NL)).toEqual({
      value: 'no',
      text: 'niet goed',
      start: 4,
      end: 13,
    });
  });
});

describe('yesNo (en)', () => {
  it.each([
    'yes',
    'Yes!',
    'yeah',
    'yep',
    'sure',
    'correct',
    'right',
    "that's right",
    'thats right',
    'ok',
    'okay',
    'please do',
    'go ahead',
    'absolutely',
    'of course',
    'yes please',
    'uh huh',
    'no problem',
    'why not',
  ])('%j -> yes', (text) => {
    expect(extractedValue('yesNo', text, EN)).toBe('yes');
  });

  it.each([
    'no',
    'nope',
    'nah',
    'no thanks',
    'not really',
    "don't",
    'do not',
    "that's wrong",
    'not right',
    "that's not right",
    "isn't correct",
    'absolutely not',
    'of course not',
    'no that is not correct',
    'yes no',
  ])('%j -> no', (text) => {
    expect(extractedValue('yesNo', text, EN)).toBe('no');
  });

  it.each(["i don't know", 'not sure', 'no idea', 'maybe'])('%j -> null (unsure)', (text) => {
    expect(extractedValue('yesNo', text, EN)).toBeNull();
  });

  it.each(['nokia', 'yesterday', 'i have a question', 'knowledge', 'oklahoma', 'notice'])(
    '%j -> null',
    (text) => {
      expect(extractedValue('yesNo', text, EN)).toBeNull();
    },
  );
});
