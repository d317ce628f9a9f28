// Times maskPersonalData on typical turns: `npx tsx tests/privacy/speed.bench.ts [--reference path/to/mask.ts]`.
// With --reference, the same inputs are timed on that (older) module too, and the outputs of both are compared on
// the corpus and on random sentences: any difference is printed and makes the exit code 1.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { findPersonalData, maskPersonalData } from '../../fulfillment/privacy/mask.ts';
import { randomSentences } from './random-sentences.ts';

type Mask = (text: string) => string;
type Find = (text: string) => readonly { kind: string; start: number; end: number }[];

const TYPICAL = [
  'mijn internet doet het niet',
  'waar blijft mijn bestelling',
  'is er een storing in 1234 ab',
  'dank je wel',
  'waarom is mijn rekening zo hoog',
  'hoe laat zijn jullie open',
  'Prima. Uw bestelling is verzonden via PostNL: Wifi-versterker. U kunt het op maandag 23 november verwachten. ' +
    'Kan ik nog iets anders voor u doen?',
  'Belt u ons op 020 123 4567 en noemt u code 482 913.',
];

const corpusFile = new URL('./pii-corpus.yaml', import.meta.url);
const corpus = parse(fs.readFileSync(corpusFile, 'utf8')) as {
  positive: { text: string }[];
  negative: { text: string }[];
};
const CORPUS = [...corpus.positive, ...corpus.negative].map((entry) => entry.text);

const ITERATIONS = Number(process.env.ITERATIONS ?? 5_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const WARM_UP = 2_000;
const RANDOM_COUNT = Number(process.env.RANDOM_COUNT ?? 20_000);

let sink = 0;

/** Microseconds per call of one round of ITERATIONS calls. */
function round(mask: Mask, text: string): number {
  const started = process.hrtime.bigint();
  for (let call = 0; call < ITERATIONS; call++) sink += mask(text).length;
  return Number(process.hrtime.bigint() - started) / 1000 / ITERATIONS;
}

/**
 * Microseconds per call of each function on `text`: the best of ROUNDS rounds after a warm-up. The functions take
 * turns round by round, so that a busy machine slows them alike; the best round is the least disturbed one.
 */
function time(masks: readonly Mask[], text: string): number[] {
  for (const mask of masks) for (let call = 0; call < WARM_UP; call++) sink += mask(text).length;
  const best = masks.map(() => Number.POSITIVE_INFINITY);
  for (let turn = 0; turn < ROUNDS; turn++) {
    masks.forEach((mask, index) => {
      best[index] = Math.min(best[index] ?? Number.POSITIVE_INFINITY, round(mask, text));
    });
  }
  return best;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function show(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

async function main(): Promise<void> {
  const referenceFlag = process.argv.indexOf('--reference');
  const referencePath = referenceFlag >= 0 ? process.argv[referenceFlag + 1] : undefined;
  const reference = referencePath
    ? ((await import(pathToFileURL(path.resolve(referencePath)).href)) as {
        maskPersonalData: Mask;
        findPersonalData: Find;
      })
    : undefined;
  const masks: Mask[] = reference ? [reference.maskPersonalData, maskPersonalData] : [maskPersonalData];

  console.log(`best of ${ROUNDS} rounds of ${ITERATIONS} calls per input, after ${WARM_UP} warm-up calls\n`);
  console.log(reference ? '  reference    current  speed-up  input' : '    current  input');
  const typical = TYPICAL.map((text) => {
    const [first = 0, second = 0] = time(masks, text);
    if (reference) {
      console.log(
        `  ${first.toFixed(3).padStart(9)} ${second.toFixed(3).padStart(9)}  ${(first / second).toFixed(1).padStart(7)}x  ${show(text)}`,
      );
    } else {
      console.log(`  ${first.toFixed(3).padStart(9)}  ${show(text)}`);
    }
    return reference ? [first, second] : [first];
  });
  const corpus = CORPUS.map((text) => time(masks, text));
  const column = (rows: number[][], index: number) => rows.map((row) => row[index] ?? 0);
  const report = (label: string, rows: number[][]) => {
    const count = rows.length;
    if (reference) {
      const before = sum(column(rows, 0)) / count;
      const after = sum(column(rows, 1)) / count;
      console.log(
        `${label}: mean ${before.toFixed(3)} -> ${after.toFixed(3)} µs per call (${(before / after).toFixed(1)}x)`,
      );
    } else {
      console.log(`${label}: mean ${(sum(column(rows, 0)) / count).toFixed(3)} µs per call`);
    }
  };
  console.log('');
  report(`typical (${TYPICAL.length} inputs)`, typical);
  report(`corpus (${CORPUS.length} inputs)`, corpus);
  if (!reference) {
    console.log(`(sink ${sink})`);
    return;
  }

  const compared = [...TYPICAL, ...CORPUS, ...randomSentences(20_240_611, RANDOM_COUNT)];
  let differences = 0;
  let flagged = 0;
  for (const text of compared) {
    const expectedFindings = JSON.stringify(reference.findPersonalData(text));
    const actualFindings = JSON.stringify(findPersonalData(text));
    const expectedMask = reference.maskPersonalData(text);
    const actualMask = maskPersonalData(text);
    if (expectedFindings !== '[]') flagged += 1;
    if (expectedFindings !== actualFindings || expectedMask !== actualMask) {
      differences += 1;
      if (differences <= 10) {
        console.log(
          `DIFFERENT: ${JSON.stringify(text)}\n  reference ${expectedFindings}\n  current   ${actualFindings}`,
        );
      }
    }
  }
  console.log(
    `\ncompared ${compared.length} texts (${flagged} with personal data): ${differences} differences (sink ${sink})`,
  );
  if (differences > 0) process.exitCode = 1;
}

await main();
