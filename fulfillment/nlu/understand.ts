// The NLU stage: trains one classifier per locale from the shared model, and turns a customer's words into
// an intent, a confidence and slot values, plus the yes/no and sentiment signals the dialogue engine needs.
import type { IntentModel, LocaleModel } from '../model/schema.ts';
import { BUILTIN_ENTITY_TYPE_NAMES } from '../model/schema.ts';
import { type Classifier, type TrainingExample, trainClassifier } from './classifier.ts';
import {
  type BuiltinEntityType,
  type CustomEntityType,
  type EntityMatch,
  extractBuiltin,
  extractCustom,
  findAllEntities,
} from './entities/extract.ts';
import { detectSentiment, type SentimentSignal } from './sentiment.ts';

/** Below this confidence the best intent is not trusted, and the turn is a no-match (Fallback). */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.4;

export interface LocaleNlu {
  locale: string;
  classifier: Classifier;
  /** custom entity types of this locale, by name */
  customEntities: Record<string, CustomEntityType>;
  /** the entity types that slots use: only these are replaced by placeholders before classification */
  slotEntityTypes: string[];
  threshold: number;
}

export interface Nlu {
  locales: Record<string, LocaleNlu>;
  trainedInMs: number;
}

export interface UnderstandContext {
  now: Date;
  timeZone: string;
}

export interface NluResult {
  intent: string;
  confidence: number;
  slots: Record<string, string>;
  /** the second-best intent, for logs and disambiguation */
  alternatives: { intent: string; confidence: number }[];
  yesNo: 'yes' | 'no' | null;
  sentiment: SentimentSignal;
}

function isBuiltin(type: string): type is BuiltinEntityType {
  return (BUILTIN_ENTITY_TYPE_NAMES as readonly string[]).includes(type);
}

/** Entity values become one placeholder word, so "order 45123" and "order 99871" train the same feature. */
function placeholder(entityType: string): string {
  return ` ent${entityType.toLowerCase()} `;
}

function customEntitiesOf(locale: LocaleModel): Record<string, CustomEntityType> {
  return Object.fromEntries(
    Object.entries(locale.entities).map(([name, values]) => [
      name,
      {
        name,
        values: values.map((value) => ({ id: value.id, value: value.value, synonyms: value.synonyms })),
      },
    ]),
  );
}

export function trainingExamples(model: IntentModel, locale: LocaleModel): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const [intentName, phrases] of Object.entries(locale.phrases)) {
    const slots = model.intents[intentName]?.slots ?? [];
    for (const phrase of phrases) {
      let text = '';
      let last = 0;
      for (const span of phrase.slots) {
        const entity = slots.find((slot) => slot.name === span.slot)?.entity ?? span.slot;
        // Custom entity values are a closed set the classifier learns as words; only open-ended built-in values
        // (numbers, dates, postcodes) become placeholders.
        if (!isBuiltin(entity)) continue;
        text += phrase.text.slice(last, span.start) + placeholder(entity);
        last = span.end;
      }
      text += phrase.text.slice(last);
      examples.push({ text, label: intentName });
    }
  }
  return examples;
}

export function trainLocaleNlu(model: IntentModel, locale: LocaleModel, seed = 7): LocaleNlu {
  const slotEntityTypes = [
    ...new Set(Object.values(model.intents).flatMap((intent) => intent.slots.map((slot) => slot.entity))),
  ];
  return {
    locale: locale.locale,
    classifier: trainClassifier(trainingExamples(model, locale), { seed }),
    customEntities: customEntitiesOf(locale),
    slotEntityTypes,
    threshold: DEFAULT_CONFIDENCE_THRESHOLD,
  };
}

export function trainNlu(model: IntentModel): Nlu {
  const started = performance.now();
  const locales = Object.fromEntries(
    Object.values(model.locales).map((locale) => [locale.locale, trainLocaleNlu(model, locale)]),
  );
  return { locales, trainedInMs: Math.round(performance.now() - started) };
}

/** Replace recognised built-in entity spans with their placeholder, longest first, so the classifier sees the same shape as in training. */
function maskEntities(text: string, nlu: LocaleNlu, context: UnderstandContext): string {
  const builtin = nlu.slotEntityTypes.filter(isBuiltin).filter((type) => type !== 'yesNo');
  const found = findAllEntities(
    text,
    { builtin, custom: [] },
    { locale: nlu.locale, now: context.now, timeZone: context.timeZone },
  );
  let masked = text;
  for (const { type, match } of [...found].sort((a, b) => b.match.start - a.match.start)) {
    masked = masked.slice(0, match.start) + placeholder(type) + masked.slice(match.end);
  }
  return masked;
}

export function extractEntity(
  entityType: string,
  text: string,
  nlu: LocaleNlu,
  context: UnderstandContext,
): EntityMatch | null {
  if (isBuiltin(entityType)) {
    return extractBuiltin(entityType, text, {
      locale: nlu.locale,
      now: context.now,
      timeZone: context.timeZone,
    });
  }
  const custom = nlu.customEntities[entityType];
  return custom ? extractCustom(custom, text, nlu.locale) : null;
}

/** Blank a span out (keeping offsets), so the next slot cannot reuse words an earlier slot took. */
export function withoutSpan(text: string, match: { start: number; end: number }): string {
  return text.slice(0, match.start) + ' '.repeat(match.end - match.start) + text.slice(match.end);
}

/**
 * Slots in their declared order, each from words no earlier slot used: the day in "vijftien januari" belongs to the
 * date and cannot also become a house number.
 */
export function extractSlots(
  slots: readonly { name: string; entity: string }[],
  text: string,
  nlu: LocaleNlu,
  context: UnderstandContext,
): Record<string, string> {
  const values: Record<string, string> = {};
  let remaining = text;
  for (const slot of slots) {
    const match = extractEntity(slot.entity, remaining, nlu, context);
    if (!match) continue;
    values[slot.name] = match.value;
    remaining = withoutSpan(remaining, match);
  }
  return values;
}

export function understandText(
  model: IntentModel,
  nlu: LocaleNlu,
  text: string,
  context: UnderstandContext,
): NluResult {
  const prediction = nlu.classifier.predict(maskEntities(text, nlu, context));
  const trusted = prediction.label !== 'Fallback' && prediction.confidence >= nlu.threshold;
  const intent = trusted ? prediction.label : 'Fallback';
  const slots = extractSlots(model.intents[intent]?.slots ?? [], text, nlu, context);
  const yesNo = extractBuiltin('yesNo', text, {
    locale: nlu.locale,
    now: context.now,
    timeZone: context.timeZone,
  });
  return {
    intent,
    confidence: Math.round(prediction.confidence * 1000) / 1000,
    slots,
    alternatives: prediction.ranking
      .filter((entry) => entry.label !== intent)
      .slice(0, 2)
      .map((entry) => ({ intent: entry.label, confidence: Math.round(entry.confidence * 1000) / 1000 })),
    yesNo: yesNo ? (yesNo.value as 'yes' | 'no') : null,
    sentiment: detectSentiment(text),
  };
}
