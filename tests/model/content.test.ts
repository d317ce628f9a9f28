// The Polderlink content: every YAML file parses with its schema, and phrases and prompts cover what the intents,
// the engine and the skills need, in every locale.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SYSTEM_PROMPTS } from '../../fulfillment/dialogue/system-prompts.ts';
import {
  BUILTIN_ENTITY_TYPE_NAMES,
  entitiesFileSchema,
  type IntentDefinition,
  intentFileSchema,
  personaFileSchema,
  phrasesFileSchema,
  promptsFileSchema,
} from '../../fulfillment/model/schema.ts';
import { normalizeText } from '../../fulfillment/nlu/classifier/normalize.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';

const ROOT = new URL('../../', import.meta.url);
const LOCALES = ['nl-NL', 'en-US'] as const;
const MIN_PHRASES = 25;
const MIN_FALLBACK_PHRASES = 40;
const MIN_VARIANTS = 3;
const MAX_WORDS_PER_VARIANT = 30;
const ANNOTATION = /\[([^\]]+)\]\(([A-Za-z][A-Za-z0-9]*)\)/g;

const DOMAIN_INTENTS = [
  'CheckOutage',
  'OrderStatus',
  'ExplainBill',
  'PaymentArrangement',
  'RestartModem',
  'TechnicalProblem',
  'MoveHouse',
  'OpeningHours',
  'Complaint',
  'CancelSubscription',
  'SpeakToAgent',
];
const GLOBAL_INTENTS = [
  'Help',
  'Repeat',
  'SpeakSlower',
  'StartOver',
  'Stop',
  'Thanks',
  'Yes',
  'No',
  'Fallback',
];

function readYaml(path: string): unknown {
  return parse(readFileSync(new URL(path, ROOT), 'utf8'));
}

function yamlFilesIn(folder: string): string[] {
  return readdirSync(new URL(folder, ROOT))
    .filter((file) => file.endsWith('.yaml'))
    .sort();
}

/** The phrase as a customer says it: the annotation brackets dropped, their values kept. */
function spokenText(phrase: string): string {
  return phrase.replace(ANNOTATION, '$1');
}

function annotationsOf(phrase: string): { value: string; slot: string }[] {
  return [...phrase.matchAll(ANNOTATION)].map((match) => ({ value: match[1] ?? '', slot: match[2] ?? '' }));
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

const intents: IntentDefinition[] = yamlFilesIn('intents/').map((file) => {
  const intent = intentFileSchema.parse(readYaml(`intents/${file}`));
  expect(`${intent.name}.yaml`, 'an intent file is named after its intent').toBe(file);
  return intent;
});

/** Every prompt key the intents name: slot questions, confirmations and handoff lines. */
function promptKeysNamedByIntents(): string[] {
  return intents.flatMap((intent) => [
    ...intent.slots.map((slot) => slot.prompt),
    ...(intent.confirmation ? [intent.confirmation] : []),
    ...(intent.handoff.prompt ? [intent.handoff.prompt] : []),
  ]);
}

describe('intents', () => {
  it('are exactly the Polderlink intents, with global behaviour marked global', () => {
    expect(intents.map((intent) => intent.name).sort()).toEqual(
      [...DOMAIN_INTENTS, ...GLOBAL_INTENTS].sort(),
    );
    for (const intent of intents) {
      const expectedKind =
        GLOBAL_INTENTS.includes(intent.name) || intent.name === 'SpeakToAgent' ? 'global' : 'domain';
      expect(intent.kind, intent.name).toBe(expectedKind);
    }
  });

  it('hand over where policy says a person should take it', () => {
    const handoffs = Object.fromEntries(
      intents
        .filter((intent) => intent.handoff.when !== 'never')
        .map((intent) => [intent.name, [intent.handoff.when, intent.handoff.queue, intent.handoff.reason]]),
    );
    expect(handoffs).toEqual({
      CancelSubscription: ['immediately', 'retention', 'policy'],
      Complaint: ['immediately', 'complaints', 'policy'],
      MoveHouse: ['after-slots', 'moves', 'policy'],
      PaymentArrangement: ['after-slots', 'billing', 'policy'],
      SpeakToAgent: ['immediately', 'general', 'asked-for-person'],
    });
  });
});

describe.each(LOCALES)('locale %s', (locale) => {
  const folder = `locales/${locale}/`;
  const persona = personaFileSchema.parse(readYaml(`${folder}persona.yaml`));
  const entities = entitiesFileSchema.parse(readYaml(`${folder}entities.yaml`));
  const prompts = promptsFileSchema.parse(readYaml(`${folder}prompts.yaml`));
  const phrasesByIntent = new Map(
    yamlFilesIn(`${folder}phrases/`).map((file) => {
      const phrasesFile = phrasesFileSchema.parse(readYaml(`${folder}phrases/${file}`));
      expect(`${phrasesFile.intent}.yaml`, 'a phrases file is named after its intent').toBe(file);
      return [phrasesFile.intent, phrasesFile.phrases] as const;
    }),
  );

  it('has the Polderlink persona', () => {
    expect(persona).toMatchObject({
      brand: 'Polderlink',
      invocationName: 'polderlink',
      phoneNumber: '020 123 4567',
    });
  });

  it('has a phrases file for every intent, and none for an intent that does not exist', () => {
    expect([...phrasesByIntent.keys()].sort()).toEqual(intents.map((intent) => intent.name).sort());
  });

  it.each(intents.map((intent) => [intent.name, intent] as const))(
    'has enough phrases for %s',
    (name, intent) => {
      const phrases = phrasesByIntent.get(name) ?? [];
      expect(phrases.length).toBeGreaterThanOrEqual(name === 'Fallback' ? MIN_FALLBACK_PHRASES : MIN_PHRASES);
      if (intent.slots.length > 0) {
        const annotated = phrases.filter((phrase) => annotationsOf(phrase).length > 0);
        expect(
          annotated.length / phrases.length,
          'about a third of the phrases carry slot values',
        ).toBeGreaterThan(0.3);
      }
    },
  );

  it('annotates only slots that the intent of the phrase defines, with well-formed brackets', () => {
    for (const intent of intents) {
      const slotNames = intent.slots.map((slot) => slot.name);
      for (const phrase of phrasesByIntent.get(intent.name) ?? []) {
        for (const { slot } of annotationsOf(phrase)) {
          expect(slotNames, `${intent.name}: "${phrase}"`).toContain(slot);
        }
        expect(phrase.replace(ANNOTATION, ''), `stray bracket in ${intent.name}: "${phrase}"`).not.toMatch(
          /[[\]]/,
        );
      }
    }
  });

  it('annotates custom entity values with a value or synonym the entity knows', () => {
    for (const intent of intents) {
      for (const phrase of phrasesByIntent.get(intent.name) ?? []) {
        for (const { value, slot } of annotationsOf(phrase)) {
          const entity = intent.slots.find((candidate) => candidate.name === slot)?.entity ?? '';
          const values = entities[entity];
          if (values) {
            const known = values.flatMap((entry) => [entry.value, ...entry.synonyms]).map(normalizeText);
            expect(known, `${intent.name}: "${phrase}"`).toContain(normalizeText(value));
          }
        }
      }
    }
  });

  it('defines every custom entity type a slot uses', () => {
    const builtin: readonly string[] = BUILTIN_ENTITY_TYPE_NAMES;
    for (const slot of intents.flatMap((intent) => intent.slots)) {
      if (!builtin.includes(slot.entity)) {
        expect(Object.keys(entities), slot.name).toContain(slot.entity);
      }
    }
    expect(entities.device?.map((entry) => entry.id)).toEqual(['internet', 'wifi', 'tv']);
    expect(entities.month?.map((entry) => entry.id)).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
    ]);
  });

  it('never uses the same phrase twice, within or across intents', () => {
    const seen = new Map<string, string>();
    for (const [intent, phrases] of phrasesByIntent) {
      for (const phrase of phrases) {
        const normalized = normalizeText(spokenText(phrase));
        expect(seen.get(normalized), `"${phrase}" in ${intent}`).toBeUndefined();
        seen.set(normalized, intent);
      }
    }
  });

  it('has every prompt the engine, the intents and the skills use, each with enough variants', () => {
    const required = new Set([
      ...Object.keys(SYSTEM_PROMPTS),
      ...promptKeysNamedByIntents(),
      ...polderlinkSkills.flatMap((skill) => skill.promptKeys),
    ]);
    for (const key of required) {
      expect(prompts[key]?.length ?? 0, key).toBeGreaterThanOrEqual(MIN_VARIANTS);
    }
  });

  it('keeps every variant short, and fills in only the params the engine documents', () => {
    for (const [key, variants] of Object.entries(prompts)) {
      expect(variants.length, key).toBeGreaterThanOrEqual(MIN_VARIANTS);
      expect(new Set(variants).size, `${key} repeats a variant`).toBe(variants.length);
      const description: string | undefined = SYSTEM_PROMPTS[key as keyof typeof SYSTEM_PROMPTS];
      const documented =
        description === undefined ? null : new Set([...placeholdersOf(description), 'pause']);
      for (const variant of variants) {
        const words = variant
          .replace(/\{\w+\}/g, ' x ')
          .split(/\s+/)
          .filter(Boolean);
        expect(words.length, `${key}: "${variant}"`).toBeLessThanOrEqual(MAX_WORDS_PER_VARIANT);
        for (const placeholder of placeholdersOf(variant)) {
          if (documented) {
            expect([...documented], `${key}: "${variant}"`).toContain(placeholder);
          }
        }
      }
    }
  });

  it('has no prompt that nothing uses', () => {
    const used = new Set([
      ...Object.keys(SYSTEM_PROMPTS),
      ...promptKeysNamedByIntents(),
      ...polderlinkSkills.flatMap((skill) => skill.promptKeys),
    ]);
    expect(Object.keys(prompts).filter((key) => !used.has(key))).toEqual([]);
  });
});

describe('skills', () => {
  it('belong to an existing intent and declare each prompt key once', () => {
    for (const skill of polderlinkSkills) {
      expect(new Set(skill.promptKeys).size, skill.intent).toBe(skill.promptKeys.length);
      expect(intents.map((intent) => intent.name)).toContain(skill.intent);
    }
  });
});
