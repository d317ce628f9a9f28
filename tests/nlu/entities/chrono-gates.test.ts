// Tests for the chrono-node gates: a parser is only skipped when its own pattern cannot match the text.

import * as chrono from 'chrono-node';
import { describe, expect, it } from 'vitest';
import { chronoFor, GATES_BY_LANG } from '../../../fulfillment/nlu/entities/chrono-gates.ts';
import { NOW } from './context.ts';

const LANGS = ['nl', 'en'] as const;
const baseOf = (lang: 'nl' | 'en') => (lang === 'nl' ? chrono.nl.casual : chrono.en.casual);
const REFERENCE = { instant: NOW, timezone: 60 };

// Words from chrono-node's dictionaries and patterns, glued and separated in many ways, to reach every parser.
const WORDS = (
  "nu vandaag morgen morgend gisteren van ochtend middag namiddag avond nacht middernacht 's " +
  'deze dit vorig vorige volgend volgende komend aankomend afgelopen over binnen in voor geleden eerder later na ' +
  'vanaf voortaan vooruit uit op de week weken dag dagen maand maanden jaar jaren jr uur uren u h min minuut sec ' +
  'zondag zo maandag ma dinsdag di woensdag wo donderdag do vrijdag vrij vr zaterdag za zat ' +
  'januari jan maart mar mrt mei juni juli augustus sep sept okt december dec ' +
  'een twee drie tien twaalf half halve paar eerste derde tiende twintigste tot ' +
  'now today tonight tomorrow overmorrow tmr yesterday last night this morning afternoon evening noon midday ' +
  'end of the month day past next after ago before earlier from henceforth forward out within for about just ' +
  'a an few several couple s m d w y mo mon qtr quarter year years hour hours days weeks months ' +
  'sunday sun monday tue wednesday wed thursday thu friday fri saturday sat weekend weekday ' +
  'january march may june october one two twelve first second third twentieth twenty thirty thirtieth ' +
  'to until at on o clock am pm 1 2 12 15 31 2026 1999 99 10:30 1234 06 3/2027 15/12 15-12 2.5 2026-12-01 ' +
  'mijn internet is niet menu saldo pizza they know é ë _ ( ） ,'
).split(' ');
const SEPARATORS = [' ', ' ', ' ', '', ', ', '-', '/', '.', '  ', '(', 'é', '_'];

const corpus = (count: number): string[] => {
  let seed = 20261122;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * 5);
    let text = '';
    for (let index = 0; index < length; index += 1) {
      const word = random() < 0.15 ? pick(WORDS).toUpperCase() : pick(WORDS);
      text += (index === 0 ? '' : pick(SEPARATORS)) + word;
    }
    return text;
  });
};

const TEXTS = [
  ...corpus(2500),
  'over twee dagen',
  'twee dagengeleden',
  'drie weken later',
  'in a day',
  'a couple of days ago',
  'fridaythis week',
  'friday, next week',
  'mayfirst',
  'may of 2027',
  'mei2027',
  'dezema',
  'volgendezo',
  'opdo',
  'ménu',
  'the day after tomorrow',
  'end of the month',
  'vanavond',
  "'s avonds",
  '15-12-2026',
  '2026/12/01',
];

describe('chrono-node gates', () => {
  it('has a gate for every chrono-node parser', () => {
    for (const lang of LANGS) {
      const names = baseOf(lang).parsers.map((parser) => parser.constructor.name);
      expect(names.filter((name) => !Object.hasOwn(GATES_BY_LANG[lang], name))).toEqual([]);
    }
  });

  it('never skips a parser whose pattern matches', () => {
    const misses: string[] = [];
    for (const lang of LANGS) {
      for (const forwardDate of [true, false]) {
        for (const text of TEXTS) {
          const context = new chrono.ParsingContext(text, REFERENCE, { forwardDate });
          for (const parser of baseOf(lang).parsers) {
            const gate = GATES_BY_LANG[lang][parser.constructor.name];
            if (parser.pattern(context).exec(text) && !gate?.test(text))
              misses.push(`${lang} ${parser.constructor.name} ${JSON.stringify(text)}`);
          }
        }
      }
    }
    expect(misses).toEqual([]);
  });

  it('parses exactly as chrono-node does', () => {
    for (const lang of LANGS) {
      for (const text of TEXTS) {
        const option = { forwardDate: true };
        const gated = chronoFor(text, lang)?.parse(text, REFERENCE, option) ?? [];
        expect(JSON.stringify(gated)).toBe(JSON.stringify(baseOf(lang).parse(text, REFERENCE, option)));
      }
    }
  });

  it('skips chrono-node for text without date words', () => {
    expect(chronoFor('mijn internet doet het niet', 'nl')).toBeUndefined();
    expect(chronoFor('ja hoor', 'nl')).toBeUndefined();
    expect(chronoFor('my wifi keeps dropping', 'en')).toBeUndefined();
    expect(chronoFor('next friday', 'en')).toBeDefined();
    expect(chronoFor('op 1 december', 'nl')).toBeDefined();
  });
});
