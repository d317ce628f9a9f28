// OpeningHours: when the phone line is staffed, whether it is right now, and that the assistant never closes.
import type { Skill } from '../fulfillment/dialogue/skill-api.ts';

interface OpeningSpan {
  opensAtMinute: number;
  closesAtMinute: number;
}

/** Phone line hours in Amsterdam time; keep in sync with `openingHours.hours` in locales/<locale>/prompts.yaml. */
const PHONE_LINE_HOURS: Readonly<Record<string, OpeningSpan>> = {
  Mon: { opensAtMinute: 8 * 60, closesAtMinute: 20 * 60 },
  Tue: { opensAtMinute: 8 * 60, closesAtMinute: 20 * 60 },
  Wed: { opensAtMinute: 8 * 60, closesAtMinute: 20 * 60 },
  Thu: { opensAtMinute: 8 * 60, closesAtMinute: 20 * 60 },
  Fri: { opensAtMinute: 8 * 60, closesAtMinute: 20 * 60 },
  Sat: { opensAtMinute: 9 * 60, closesAtMinute: 17 * 60 },
};

const AMSTERDAM_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Whether the phone line is staffed at this moment, judged by the clock in Amsterdam (summer time included). */
export function isPhoneLineOpen(now: Date): boolean {
  const parts = AMSTERDAM_CLOCK.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((candidate) => candidate.type === type)?.value;
  const span = PHONE_LINE_HOURS[part('weekday') ?? ''];
  if (!span) {
    return false;
  }
  const minuteOfDay = Number(part('hour')) * 60 + Number(part('minute'));
  return minuteOfDay >= span.opensAtMinute && minuteOfDay < span.closesAtMinute;
}

export const openingHours: Skill = {
  intent: 'OpeningHours',
  promptKeys: ['openingHours.hours', 'openingHours.openNow', 'openingHours.closedNow'],
  async run({ now }) {
    const status = isPhoneLineOpen(now) ? 'openingHours.openNow' : 'openingHours.closedNow';
    return { kind: 'answer', prompts: [{ key: 'openingHours.hours' }, { key: status }] };
  },
};
