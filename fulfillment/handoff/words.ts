// Loads locales/<locale>/handoff.yaml: the designer's words for handoff summaries and for naming a topic when a
// customer phones back. Problems come back as `file:line:column` warnings; a locale without the file gets plain words.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { handoffReasonSchema } from '../core/types.ts';
import { type Problem, parseWithSchema, parseYamlSource, problemAt } from '../model/problems.ts';
import type { IntentModel } from '../model/schema.ts';

const text = z.string().min(1);

export const handoffWordsSchema = z.strictObject({
  summary: z.strictObject({
    wants: text.describe('the lead, with {wants}: "Klant wil {wants}"'),
    unknown: text.describe('when no intent was recognised yet'),
    and: text.describe('joins two wants'),
    verified: text,
    notVerified: text,
    callback: text.describe('with {moment}'),
    continued: text.describe('with {code}: the customer phoned back with the code of an earlier handoff'),
    reasons: z.strictObject(
      Object.fromEntries(handoffReasonSchema.options.map((reason) => [reason, text])) as Record<
        z.infer<typeof handoffReasonSchema>,
        typeof text
      >,
    ),
    moments: z.strictObject({
      asap: text,
      date: text,
      morning: text,
      afternoon: text,
      evening: text,
      anyMorning: text,
      anyAfternoon: text,
      anyEvening: text,
    }),
  }),
  intents: z.record(
    z.string(),
    z.strictObject({
      wants: text.describe('what the customer wants, with {slot} placeholders and [optional parts]'),
      topic: text.optional().describe('spoken to the customer: "U belt over {topic}, klopt dat?"'),
    }),
  ),
});
export type HandoffWords = z.infer<typeof handoffWordsSchema>;

export const HANDOFF_WORDS_FILE = 'handoff.yaml';

/** Reads every locale's handoff words; `model` (when given) lets it check intents and slot placeholders. */
export function loadHandoffWords(
  modelDir: string,
  locales: readonly string[],
  model?: IntentModel,
): { words: Record<string, HandoffWords>; problems: Problem[] } {
  const words: Record<string, HandoffWords> = {};
  const problems: Problem[] = [];
  for (const locale of locales) {
    const path = join(modelDir, 'locales', locale, HANDOFF_WORDS_FILE);
    const display = relative(process.cwd(), path) || path;
    if (!existsSync(path)) {
      problems.push({
        file: display,
        line: 1,
        column: 1,
        severity: 'warning',
        message: `no handoff words for ${locale}: summaries use intent names`,
      });
      continue;
    }
    const { source, problems: syntax } = parseYamlSource(display, readFileSync(path, 'utf8'));
    problems.push(...syntax.map((problem) => ({ ...problem, severity: 'warning' as const })));
    if (syntax.some((problem) => problem.severity === 'error')) continue;
    const { value, problems: schema } = parseWithSchema(source, handoffWordsSchema);
    problems.push(...schema.map((problem) => ({ ...problem, severity: 'warning' as const })));
    if (!value) continue;
    for (const [intentName, entry] of Object.entries(value.intents)) {
      const intent = model?.intents[intentName];
      if (model && !intent) {
        problems.push(
          problemAt(source, ['intents', intentName], `unknown intent '${intentName}'`, 'warning'),
        );
        continue;
      }
      const slotNames = new Set(intent?.slots.map((slot) => slot.name) ?? []);
      for (const [, name] of entry.wants.matchAll(/\{(\w+)\}/g)) {
        if (model && !slotNames.has(name ?? '')) {
          problems.push(
            problemAt(
              source,
              ['intents', intentName, 'wants'],
              `'{${name}}' is not a slot of ${intentName}`,
              'warning',
            ),
          );
        }
      }
    }
    words[locale] = value;
  }
  return { words, problems };
}
