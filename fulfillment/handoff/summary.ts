// The extractive handoff summary: what the customer wants (recognised intents and slot values, in the designer's
// words for the customer's language), whether they were identified, why the bot handed over. Never invented.
import type { CallbackRequest, HandoffReason, SlotValues } from '../core/types.ts';
import type { IntentModel } from '../model/schema.ts';
import { maskPersonalData } from '../privacy/mask.ts';
import type { HandoffWords } from './words.ts';

export interface SummaryInput {
  locale: string;
  /** the designer's words for this locale; null falls back to plain English with intent names */
  words: HandoffWords | null;
  /** for slot entity types and custom entity values; may be null (then values are shown as stored) */
  model: IntentModel | null;
  /** in the order they came up, with unmasked slot values: the summary is masked as a whole at the end */
  intents: readonly { intent: string; slots: SlotValues }[];
  verified: boolean;
  reason: HandoffReason;
  callback?: CallbackRequest | null;
  /** the code of the earlier handoff the customer phoned back about */
  continuedFromCode?: string | null;
}

const FALLBACK_WORDS: HandoffWords = {
  summary: {
    wants: 'Customer wants {wants}',
    unknown: 'Customer has not said what it is about yet',
    and: 'and',
    verified: 'identity verified',
    notVerified: 'identity not verified',
    callback: 'wants a callback {moment}',
    continued: 'called back about code {code}',
    reasons: {
      'asked-for-person': "transferred at the customer's request",
      'no-match': 'the bot did not understand the customer',
      frustration: 'the customer is frustrated',
      policy: 'this needs a colleague',
      'verification-failed': 'identification failed',
      error: 'technical error',
    },
    moments: {
      asap: 'as soon as possible',
      date: 'on {date}',
      morning: '{date} in the morning',
      afternoon: '{date} in the afternoon',
      evening: '{date} in the evening',
      anyMorning: 'in the morning',
      anyAfternoon: 'in the afternoon',
      anyEvening: 'in the evening',
    },
  },
  intents: {},
};

const dayMonthFormatters = new Map<string, Intl.DateTimeFormat>();

/** "1 december" / "December 1": a reader's date, without the weekday a spoken reply would add. */
export function formatDayMonth(isoDate: string, locale: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate) || Number.isNaN(date.getTime())) return isoDate;
  let formatter = dayMonthFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' });
    dayMonthFormatters.set(locale, formatter);
  }
  return formatter.format(date);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** `[ ... ]` parts are kept only when every placeholder in them has a value. */
function fillWithOptionalParts(template: string, values: Record<string, string>): string {
  const kept = template.replace(/\[([^\]]*)\]/g, (_, part: string) => {
    const names = [...part.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
    return names.every((name) => values[name]) ? part : '';
  });
  return fill(kept, values)
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function readableSlotValues(
  intentName: string,
  slots: SlotValues,
  model: IntentModel | null,
  locale: string,
): Record<string, string> {
  const definition = model?.intents[intentName];
  const entities = model?.locales[locale]?.entities ?? {};
  const readable: Record<string, string> = {};
  for (const [name, value] of Object.entries(slots)) {
    const entity = definition?.slots.find((slot) => slot.name === name)?.entity;
    const custom = entity ? entities[entity]?.find((entry) => entry.id === value) : undefined;
    if (custom) readable[name] = custom.value;
    else if (entity === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(value))
      readable[name] = formatDayMonth(value, locale);
    else if (/^\d{4}[A-Z]{2}$/.test(value)) readable[name] = `${value.slice(0, 4)} ${value.slice(4)}`;
    else readable[name] = value;
  }
  return readable;
}

function describeWant(
  entry: { intent: string; slots: SlotValues },
  words: HandoffWords,
  model: IntentModel | null,
  locale: string,
): string {
  const template = words.intents[entry.intent]?.wants;
  const values = readableSlotValues(entry.intent, entry.slots, model, locale);
  if (template) return fillWithOptionalParts(template, values);
  const slotText = Object.entries(values).map(([name, value]) => `${name} ${value}`);
  return slotText.length ? `${entry.intent} (${slotText.join(', ')})` : entry.intent;
}

function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

/** "zo snel mogelijk", "1 december in de ochtend": the moment a customer would like to be called back. */
export function describeMoment(
  moment: CallbackRequest['preferredMoment'],
  words: HandoffWords | null,
  locale: string,
): string {
  const { moments } = (words ?? FALLBACK_WORDS).summary;
  if (moment.asap || (!moment.date && !moment.dayPart)) return moments.asap;
  const date = moment.date ? formatDayMonth(moment.date, locale) : '';
  if (!moment.dayPart) return fill(moments.date, { date });
  if (!date) {
    const key =
      moment.dayPart === 'morning'
        ? 'anyMorning'
        : moment.dayPart === 'afternoon'
          ? 'anyAfternoon'
          : 'anyEvening';
    return moments[key];
  }
  return fill(moments[moment.dayPart], { date });
}

export function summarizeHandoff(input: SummaryInput): string {
  const words = input.words ?? FALLBACK_WORDS;
  const { summary } = words;
  // The same intent twice in a row (asked, detoured, resumed) is one want.
  const distinct = input.intents.filter(
    (entry, index) => index === 0 || input.intents[index - 1]?.intent !== entry.intent,
  );
  const wants = distinct.map((entry) => describeWant(entry, words, input.model, input.locale));
  const parts = [
    wants.length ? fill(summary.wants, { wants: joinList(wants, summary.and) }) : summary.unknown,
    input.verified ? summary.verified : summary.notVerified,
    summary.reasons[input.reason],
  ];
  if (input.callback) {
    parts.push(
      fill(summary.callback, { moment: describeMoment(input.callback.preferredMoment, words, input.locale) }),
    );
  }
  if (input.continuedFromCode) parts.push(fill(summary.continued, { code: input.continuedFromCode }));
  return maskPersonalData(`${parts.join('; ')}.`);
}

/** A clause added to a summary after the handoff: a callback the customer asked for, or a call back with the code. */
export function summaryClause(
  kind: 'callback' | 'continued',
  params: { moment?: CallbackRequest['preferredMoment']; code?: string },
  words: HandoffWords | null,
  locale: string,
): string {
  const { summary } = words ?? FALLBACK_WORDS;
  return kind === 'callback'
    ? fill(summary.callback, {
        moment: describeMoment(params.moment ?? { asap: true, date: null, dayPart: null }, words, locale),
      })
    : fill(summary.continued, { code: params.code ?? '' });
}

/** The summary with one clause added before its full stop (once), or with `replacing` swapped for it. */
export function appendToSummary(summary: string, clause: string, replacing: string | null = null): string {
  let base = summary.replace(/\.\s*$/, '');
  if (replacing) base = base.replace(`; ${replacing}`, '');
  if (base.split('; ').includes(clause)) return `${base}.`;
  return maskPersonalData(`${base}; ${clause}.`);
}
