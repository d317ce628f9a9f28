// The pre-check may only skip what certainly holds nothing: it never changes a finding. Checked on the corpus and on
// random sentences built from the detectors' own vocabularies (number words, letter names, e-mail words, cues).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findPersonalData, findPersonalDataWithoutPreCheck } from '../../fulfillment/privacy/mask.ts';
import {
  DIGITS_FOR_IBAN,
  DIGITS_FOR_NUMBERS,
  mayContainPersonalData,
  survey,
} from '../../fulfillment/privacy/pre-check.ts';
import { tokenize } from '../../fulfillment/privacy/tokens.ts';
import { randomSentences } from './random-sentences.ts';

const corpus = parse(fs.readFileSync(new URL('./pii-corpus.yaml', import.meta.url), 'utf8')) as {
  positive: { text: string }[];
  negative: { text: string }[];
};
const corpusTexts = [...corpus.positive, ...corpus.negative].map((entry) => entry.text);
const texts = [...corpusTexts, ...randomSentences(7, 20_000)];

const ORDINARY_TURNS = [
  'mijn internet doet het niet',
  'waar blijft mijn bestelling',
  'dank je wel',
  'waarom is mijn rekening zo hoog',
  'hoe laat zijn jullie open',
  'Goedemorgen, u spreekt met Loket. Waarmee kan ik u helpen?',
  'is er een storing',
  'I would like to talk to someone about my bill',
];

describe('the pre-check', () => {
  it('never skips a text that the detectors would find something in', () => {
    const skipped = texts.filter(
      (text) =>
        findPersonalDataWithoutPreCheck(text).length > 0 && !mayContainPersonalData(text, tokenize(text)),
    );
    expect(skipped).toEqual([]);
  });

  it('never skips a detector that would find something', () => {
    const wrong = texts.flatMap((text) => {
      const found = survey(text, tokenize(text));
      return findPersonalDataWithoutPreCheck(text)
        .filter((finding) =>
          finding.kind === 'email'
            ? !found.email
            : found.digits < (finding.kind === 'iban' ? DIGITS_FOR_IBAN : DIGITS_FOR_NUMBERS),
        )
        .map((finding) => ({ text, finding, survey: found }));
    });
    expect(wrong).toEqual([]);
  });

  it('changes no finding', () => {
    const different = texts.filter(
      (text) =>
        JSON.stringify(findPersonalData(text)) !== JSON.stringify(findPersonalDataWithoutPreCheck(text)),
    );
    expect(different).toEqual([]);
  });

  it('skips ordinary turns without digits, number words or e-mail words', () => {
    for (const text of ORDINARY_TURNS) expect(mayContainPersonalData(text, tokenize(text))).toBe(false);
  });

  it('does not skip a digit, a spoken number, an "@" or a spoken "at"', () => {
    for (const text of [
      'bel 06',
      'nul zes',
      'twaalf',
      'mail jan@',
      'jan apenstaartje ziggo',
      'triple five',
    ]) {
      expect(mayContainPersonalData(text, tokenize(text))).toBe(true);
    }
  });

  it('counts what a word can add to a number', () => {
    expect(survey('een', tokenize('een')).digits).toBe(1);
    expect(survey('twaalf', tokenize('twaalf')).digits).toBe(2);
    expect(survey('honderd', tokenize('honderd')).digits).toBe(3);
    // "triple" adds two digits to the one of the number it repeats.
    expect(survey('triple five', tokenize('triple five')).digits).toBe(3);
    expect(survey('nl91 ²', tokenize('nl91 ²')).digits).toBe(3);
  });

  it('counts a number read out with pauses as its groups: the pause and its words add nothing', () => {
    // "thirty four" reads as two digits, yet its words count three apart: the credit is an upper bound.
    for (const [text, digits] of [
      ['nul zes, twaalf, vierendertig, zesenvijftig en achtenzeventig', 10],
      ['oh six, uh, twelve... thirty four, fifty six and seventy eight', 13],
    ] as const) {
      expect(survey(text, tokenize(text)).digits).toBe(digits);
      expect(findPersonalData(text)).toEqual(findPersonalDataWithoutPreCheck(text));
      expect(findPersonalData(text).map((finding) => finding.kind)).toEqual(['phone']);
    }
  });
});
