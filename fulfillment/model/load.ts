// Reads and validates the shared intent model from a directory (intents/ and locales/), collecting every problem
// with its file, line and column instead of stopping at the first.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Skill } from '../dialogue/skill-api.ts';
import { SYSTEM_PROMPTS } from '../dialogue/system-prompts.ts';
import { findAnnotations, parseAnnotatedPhrase, phraseIdentity } from './annotations.ts';
import {
  hasErrors,
  type Problem,
  parseWithSchema,
  parseYamlSource,
  problemAt,
  type SourceFile,
} from './problems.ts';
import {
  type AnnotatedPhrase,
  BUILTIN_ENTITY_TYPE_NAMES,
  entitiesFileSchema,
  type IntentDefinition,
  type IntentModel,
  intentFileSchema,
  type LocaleModel,
  personaFileSchema,
  phrasesFileSchema,
  promptsFileSchema,
} from './schema.ts';

export const MIN_PHRASES_ERROR = 5;
export const MIN_PHRASES_WARNING = 15;
export const MIN_PROMPT_VARIANTS = 3;
export const MAX_VARIANT_WORDS = 35;
const localePattern = /^[a-z]{2,3}-[A-Z]{2}$/;

export interface LoadResult {
  /** null when any error was found */
  model: IntentModel | null;
  problems: Problem[];
}

interface Loaded<T> {
  value: T;
  source: SourceFile;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort();
}

export function loadModel(root: string, skills: readonly Skill[] = []): LoadResult {
  const problems: Problem[] = [];
  const display = (path: string) => relative(process.cwd(), path) || path;

  function readSource<T>(path: string, schema: Parameters<typeof parseWithSchema<T>>[1]): Loaded<T> | null {
    const { source, problems: syntaxProblems } = parseYamlSource(display(path), readFileSync(path, 'utf8'));
    problems.push(...syntaxProblems);
    if (hasErrors(syntaxProblems)) return null;
    const { value, problems: schemaProblems } = parseWithSchema(source, schema);
    problems.push(...schemaProblems);
    return value === null ? null : { value, source };
  }

  const intentsDir = join(root, 'intents');
  const localesDir = join(root, 'locales');
  if (!existsSync(intentsDir)) {
    problems.push({
      file: display(intentsDir),
      line: 1,
      column: 1,
      severity: 'error',
      message: 'no intents/ folder',
    });
  }
  if (!existsSync(localesDir)) {
    problems.push({
      file: display(localesDir),
      line: 1,
      column: 1,
      severity: 'error',
      message: 'no locales/ folder',
    });
  }

  const intents: Record<string, Loaded<IntentDefinition>> = {};
  for (const name of yamlFiles(intentsDir)) {
    const loaded = readSource(join(intentsDir, name), intentFileSchema);
    if (!loaded) continue;
    const expected = name.replace(/\.ya?ml$/, '');
    if (loaded.value.name !== expected) {
      problems.push(
        problemAt(
          loaded.source,
          ['name'],
          `intent name '${loaded.value.name}' must match the file name '${expected}'`,
        ),
      );
    }
    const seenSlots = new Set<string>();
    loaded.value.slots.forEach((slot, index) => {
      if (seenSlots.has(slot.name))
        problems.push(
          problemAt(loaded.source, ['slots', index, 'name'], `slot '${slot.name}' is defined twice`),
        );
      seenSlots.add(slot.name);
    });
    intents[loaded.value.name] = loaded;
  }
  if (!intents.Fallback && existsSync(intentsDir)) {
    problems.push({
      file: display(intentsDir),
      line: 1,
      column: 1,
      severity: 'error',
      message: 'the model needs a Fallback intent for out-of-scope input',
    });
  }

  const localeNames = existsSync(localesDir)
    ? readdirSync(localesDir)
        .filter((name) => statSync(join(localesDir, name)).isDirectory())
        .sort()
    : [];
  if (existsSync(localesDir) && localeNames.length === 0) {
    problems.push({
      file: display(localesDir),
      line: 1,
      column: 1,
      severity: 'error',
      message: 'no locale folders (e.g. locales/nl-NL)',
    });
  }

  const skillPromptKeys = skills
    .filter((skill) => intents[skill.intent])
    .flatMap((skill) => skill.promptKeys);
  const requiredPromptKeys = new Map<string, { source: SourceFile; path: (string | number)[] } | null>();
  for (const key of Object.keys(SYSTEM_PROMPTS)) requiredPromptKeys.set(key, null);
  for (const key of skillPromptKeys) requiredPromptKeys.set(key, null);
  for (const { value: intent, source } of Object.values(intents)) {
    intent.slots.forEach((slot, index) => {
      requiredPromptKeys.set(slot.prompt, { source, path: ['slots', index, 'prompt'] });
    });
    if (intent.confirmation) requiredPromptKeys.set(intent.confirmation, { source, path: ['confirmation'] });
    if (intent.handoff.prompt)
      requiredPromptKeys.set(intent.handoff.prompt, { source, path: ['handoff', 'prompt'] });
  }

  const locales: Record<string, LocaleModel> = {};
  const promptKeysByLocale = new Map<string, Set<string>>();
  for (const locale of localeNames) {
    const dir = join(localesDir, locale);
    if (!localePattern.test(locale)) {
      problems.push({
        file: display(dir),
        line: 1,
        column: 1,
        severity: 'error',
        message: `'${locale}' is not a locale name like nl-NL or en-US`,
      });
      continue;
    }
    const required = (file: string) => {
      const path = join(dir, file);
      if (existsSync(path)) return path;
      problems.push({
        file: display(path),
        line: 1,
        column: 1,
        severity: 'error',
        message: `missing ${file} in locale ${locale}`,
      });
      return null;
    };
    const personaPath = required('persona.yaml');
    const entitiesPath = required('entities.yaml');
    const promptsPath = required('prompts.yaml');
    const persona = personaPath ? readSource(personaPath, personaFileSchema) : null;
    const entities = entitiesPath ? readSource(entitiesPath, entitiesFileSchema) : null;
    const prompts = promptsPath ? readSource(promptsPath, promptsFileSchema) : null;

    if (prompts) {
      promptKeysByLocale.set(locale, new Set(Object.keys(prompts.value)));
      for (const [key, variants] of Object.entries(prompts.value)) {
        if (variants.length < MIN_PROMPT_VARIANTS) {
          problems.push(
            problemAt(
              prompts.source,
              [key],
              `prompt '${key}' has ${variants.length} variant(s); give at least ${MIN_PROMPT_VARIANTS} so replies do not repeat`,
            ),
          );
        }
        variants.forEach((variant, index) => {
          const words = variant.split(/\s+/).filter(Boolean).length;
          if (words > MAX_VARIANT_WORDS) {
            problems.push(
              problemAt(
                prompts.source,
                [key, index],
                `variant has ${words} words; keep spoken replies under ${MAX_VARIANT_WORDS}`,
                'warning',
              ),
            );
          }
        });
      }
      for (const [key, origin] of requiredPromptKeys) {
        if (prompts.value[key]) continue;
        const usedBy = origin
          ? ` (used in ${origin.source.file})`
          : SYSTEM_PROMPTS[key as keyof typeof SYSTEM_PROMPTS]
            ? ' (spoken by the engine)'
            : ' (used by a skill)';
        problems.push(
          problemAt(prompts.source, [], `prompt '${key}' is missing in locale ${locale}${usedBy}`),
        );
      }
    }

    const phrases: Record<string, AnnotatedPhrase[]> = {};
    const phrasesDir = join(dir, 'phrases');
    const seenPhrases = new Map<string, { intent: string; file: string }>();
    for (const name of yamlFiles(phrasesDir)) {
      const loaded = readSource(join(phrasesDir, name), phrasesFileSchema);
      if (!loaded) continue;
      const intentName = loaded.value.intent;
      const intent = intents[intentName]?.value;
      if (!intent) {
        problems.push(
          problemAt(
            loaded.source,
            ['intent'],
            `unknown intent '${intentName}' (no intents/${intentName}.yaml)`,
          ),
        );
        continue;
      }
      const slotNames = new Set(intent.slots.map((slot) => slot.name));
      const list: AnnotatedPhrase[] = [];
      loaded.value.phrases.forEach((raw, index) => {
        for (const annotation of findAnnotations(raw)) {
          if (!slotNames.has(annotation.slot)) {
            const known = slotNames.size
              ? `; ${intentName} has: ${[...slotNames].join(', ')}`
              : `; ${intentName} has no slots`;
            problems.push(
              problemAt(
                loaded.source,
                ['phrases', index],
                `unknown slot '${annotation.slot}' in phrase${known}`,
                'error',
                annotation.rawOffset,
              ),
            );
          }
        }
        const phrase = parseAnnotatedPhrase(raw);
        const identity = phraseIdentity(phrase.text);
        const earlier = seenPhrases.get(identity);
        if (earlier && earlier.intent !== intentName) {
          problems.push(
            problemAt(
              loaded.source,
              ['phrases', index],
              `phrase "${phrase.text}" is also a phrase of ${earlier.intent} (${earlier.file}); the NLU cannot tell them apart`,
            ),
          );
        } else if (earlier) {
          problems.push(
            problemAt(loaded.source, ['phrases', index], `phrase "${phrase.text}" appears twice`, 'warning'),
          );
        } else {
          seenPhrases.set(identity, { intent: intentName, file: loaded.source.file });
        }
        list.push(phrase);
      });
      phrases[intentName] = [...(phrases[intentName] ?? []), ...list];
      const count = phrases[intentName].length;
      if (count < MIN_PHRASES_ERROR) {
        problems.push(
          problemAt(
            loaded.source,
            ['phrases'],
            `${intentName} has ${count} phrase(s) in ${locale}; at least ${MIN_PHRASES_ERROR} are needed, ${MIN_PHRASES_WARNING}+ recommended`,
          ),
        );
      } else if (count < MIN_PHRASES_WARNING) {
        problems.push(
          problemAt(
            loaded.source,
            ['phrases'],
            `${intentName} has only ${count} phrases in ${locale}; ${MIN_PHRASES_WARNING}+ make the NLU reliable`,
            'warning',
          ),
        );
      }
    }

    for (const { value: intent, source } of Object.values(intents)) {
      if (!phrases[intent.name]) {
        problems.push(
          problemAt(
            source,
            ['name'],
            `intent ${intent.name} has no training phrases in locale ${locale} (expected locales/${locale}/phrases/${intent.name}.yaml)`,
          ),
        );
      }
      intent.slots.forEach((slot, index) => {
        const builtin = (BUILTIN_ENTITY_TYPE_NAMES as readonly string[]).includes(slot.entity);
        if (!builtin && entities && !entities.value[slot.entity]) {
          problems.push(
            problemAt(
              source,
              ['slots', index, 'entity'],
              `entity type '${slot.entity}' is neither built in (${BUILTIN_ENTITY_TYPE_NAMES.join(', ')}) nor defined in locales/${locale}/entities.yaml`,
            ),
          );
        }
      });
    }

    if (persona && entities && prompts) {
      locales[locale] = {
        locale,
        persona: persona.value,
        phrases,
        entities: entities.value,
        prompts: prompts.value,
      };
    }
  }

  // A key one locale has and another lacks is a prompt a customer in that locale would never hear.
  const allKeys = new Set([...promptKeysByLocale.values()].flatMap((keys) => [...keys]));
  for (const [locale, keys] of promptKeysByLocale) {
    for (const key of allKeys) {
      if (!keys.has(key) && !requiredPromptKeys.has(key)) {
        problems.push({
          file: display(join(localesDir, locale, 'prompts.yaml')),
          line: 1,
          column: 1,
          severity: 'error',
          message: `prompt '${key}' exists in another locale but is missing in ${locale}`,
        });
      }
    }
  }

  const model: IntentModel = {
    intents: Object.fromEntries(Object.entries(intents).map(([name, loaded]) => [name, loaded.value])),
    locales,
  };
  return { model: hasErrors(problems) ? null : model, problems };
}
