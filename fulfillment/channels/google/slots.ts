// Turns the parameter values Dialogflow resolved into the values Loket's own extractors produce ("45123", "1234AB",
// "2026-12-01", an entity id), so a skill sees the same slot value whichever channel the customer used. A value Loket
// cannot read is left out rather than trusted: the engine then asks for it.
import type { LoadedModel } from '../../conversation/take-turn.ts';
import type { SlotValues } from '../../core/types.ts';
import type { IntentDefinition } from '../../model/schema.ts';
import { extractEntity, extractSlots, type UnderstandContext } from '../../nlu/understand.ts';

export interface PlatformValue {
  /** CX resolvedValue, or the ES parameter value: a string, number, or a struct such as a CX date {year, month, day} */
  resolved?: unknown;
  /** what the customer said for it (CX originalValue) */
  original?: string;
}

function isoDate(value: unknown): string | null {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
  if (value && typeof value === 'object') {
    const { year, month, day } = value as Record<string, unknown>;
    if (typeof year === 'number' && typeof month === 'number' && typeof day === 'number') {
      return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
  }
  return null;
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.length ? asText(value[0]) : null;
  return null;
}

export function slotValuesFromPlatform(input: {
  intent: IntentDefinition;
  values: Readonly<Record<string, PlatformValue>>;
  text: string | undefined;
  loaded: LoadedModel;
  locale: string;
  context: UnderstandContext;
}): SlotValues {
  const { intent, values, loaded, locale, context } = input;
  const localeNlu = loaded.nlu.locales[locale];
  const entityValues = loaded.model.locales[locale]?.entities ?? {};
  if (!localeNlu) return {};
  const slots: SlotValues = {};
  for (const slot of intent.slots) {
    const given = values[slot.name];
    if (!given) continue;
    if (slot.entity === 'date') {
      const date = isoDate(given.resolved);
      if (date) {
        slots[slot.name] = date;
        continue;
      }
    }
    const resolved = asText(given.resolved);
    // Custom entity types resolve to their reference value, which the exports set to the entity's id.
    if (resolved && entityValues[slot.entity]?.some((value) => value.id === resolved)) {
      slots[slot.name] = resolved;
      continue;
    }
    for (const candidate of [resolved, given.original?.trim() || null]) {
      const match = candidate ? extractEntity(slot.entity, candidate, localeNlu, context) : null;
      if (match) {
        slots[slot.name] = match.value;
        break;
      }
    }
  }
  // Values the platform did not extract may still be in the words ("order 45123" with no parameter annotated). All
  // slots are read in their declared order so that words one slot used (the day of a date) cannot fill another.
  const missing = intent.slots.filter((slot) => !(slot.name in slots));
  if (missing.length && input.text?.trim()) {
    const fromWords = extractSlots(intent.slots, input.text, localeNlu, context);
    for (const slot of missing) {
      const value = fromWords[slot.name];
      if (value !== undefined) slots[slot.name] = value;
    }
  }
  return slots;
}
