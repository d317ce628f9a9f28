// Speed benchmark for entity extraction on typical customer utterances. Not part of the vitest suite.
//
//   npx tsx tests/nlu/entities/speed.bench.ts [iterations]
//
// Times findAllEntities (the masking call made on every turn) and extractBuiltin per type, in microseconds
// per utterance, after a warm-up. The custom entity types are the project's own `device` and `month`.
// "Repeated" calls the same text with the same `now` again and again, so the per-text caches (tokens, number
// phrases) are warm; "first call" empties them and moves `now` before every call, as on a new turn.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  BUILTIN_ENTITY_TYPES,
  type BuiltinEntityType,
  type CustomEntityType,
  type ExtractContext,
  extractBuiltin,
  extractCustom,
  findAllEntities,
} from '../../../fulfillment/nlu/entities/extract.ts';
import { clearTextCaches } from '../../../fulfillment/nlu/entities/text.ts';
import { EN, NL } from './context.ts';

type EntitiesFile = Record<string, { id: string; value: string; synonyms?: string[] }[]>;

const customTypes = (locale: string): CustomEntityType[] => {
  const url = new URL(`../../../locales/${locale}/entities.yaml`, import.meta.url);
  const file = parse(readFileSync(url, 'utf8')) as EntitiesFile;
  return ['device', 'month'].map((name) => ({
    name,
    values: (file[name] ?? []).map(({ id, value, synonyms }) => ({ id, value, synonyms: synonyms ?? [] })),
  }));
};

const CUSTOM: Record<string, CustomEntityType[]> = { nl: customTypes('nl-NL'), en: customTypes('en-US') };

const UTTERANCES: { text: string; ctx: ExtractContext }[] = [
  ...[
    'mijn internet doet het niet',
    'waar blijft mijn bestelling',
    'is er een storing in 1234 ab',
    'dank je wel',
    'waarom is mijn rekening zo hoog deze maand',
    'ik wil verhuizen op 1 december naar 1234 AB 5',
    'vier vijf een twee drie',
    'nee',
    'ja hoor',
  ].map((text) => ({ text, ctx: NL })),
  ...['yes please', 'my wifi keeps dropping', 'next friday'].map((text) => ({ text, ctx: EN })),
];

const FIND_ALL_BUILTIN: readonly BuiltinEntityType[] = [
  'date',
  'postcode',
  'houseNumber',
  'orderNumber',
  'yesNo',
  'number',
];

const iterations = Number(process.argv[2] ?? 3000);
const WARM_UP = 300;

/** Microseconds per call of `run`, averaged over `iterations` after a warm-up. */
const time = (run: () => unknown): number => {
  for (let i = 0; i < WARM_UP; i += 1) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) run();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
};

const langOf = (ctx: ExtractContext) => (ctx.locale.startsWith('nl') ? 'nl' : 'en');
const fmt = (us: number) => us.toFixed(1).padStart(8);
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

// Warm the JIT up on every call the benchmark makes before timing any of them.
for (let round = 0; round < WARM_UP; round += 1) {
  for (const { text, ctx } of UTTERANCES) {
    const custom = CUSTOM[langOf(ctx)] ?? [];
    findAllEntities(text, { builtin: FIND_ALL_BUILTIN, custom }, ctx);
    for (const type of BUILTIN_ENTITY_TYPES) extractBuiltin(type, text, ctx);
    for (const entity of custom) extractCustom(entity, text, ctx.locale);
  }
}

console.log(`entity extraction, µs per utterance (${iterations} iterations after ${WARM_UP} warm-up)\n`);

const findAll = UTTERANCES.map(({ text, ctx }) => {
  const custom = CUSTOM[langOf(ctx)] ?? [];
  return time(() => findAllEntities(text, { builtin: FIND_ALL_BUILTIN, custom }, ctx));
});
console.log(
  'findAllEntities, repeated (date, postcode, houseNumber, orderNumber, yesNo, number + device, month)',
);
UTTERANCES.forEach(({ text }, index) => {
  console.log(`${fmt(findAll[index] ?? 0)}  ${text}`);
});
console.log(`${fmt(mean(findAll))}  = mean\n`);

let turn = 0;
const firstCall = UTTERANCES.map(({ text, ctx }) => {
  const custom = CUSTOM[langOf(ctx)] ?? [];
  return time(() => {
    clearTextCaches();
    turn += 1;
    const freshNow = new Date(ctx.now.getTime() + (turn % 1000) * 1000);
    return findAllEntities(text, { builtin: FIND_ALL_BUILTIN, custom }, { ...ctx, now: freshNow });
  });
});
console.log('findAllEntities, first call for the text (caches emptied, new `now`)');
UTTERANCES.forEach(({ text }, index) => {
  console.log(`${fmt(firstCall[index] ?? 0)}  ${text}`);
});
console.log(`${fmt(mean(firstCall))}  = mean\n`);

console.log('extractBuiltin / extractCustom, mean over the utterances');
for (const type of BUILTIN_ENTITY_TYPES) {
  const perUtterance = UTTERANCES.map(({ text, ctx }) => time(() => extractBuiltin(type, text, ctx)));
  console.log(`${fmt(mean(perUtterance))}  ${type}  (max ${Math.max(...perUtterance).toFixed(1)})`);
}
for (const name of ['device', 'month']) {
  const perUtterance = UTTERANCES.map(({ text, ctx }) => {
    const entity = CUSTOM[langOf(ctx)]?.find((candidate) => candidate.name === name);
    return entity ? time(() => extractCustom(entity, text, ctx.locale)) : 0;
  });
  console.log(`${fmt(mean(perUtterance))}  custom:${name}  (max ${Math.max(...perUtterance).toFixed(1)})`);
}
