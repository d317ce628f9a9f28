// Retention settings, read from the environment at start-up with one message per bad value: how long transcripts are
// kept, how often the retention job runs, and how long a handoff may wait before it expires.
import { z } from 'zod';
import { parseEnvironment } from '../config/settings.ts';

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

const retentionSettingsSchema = z.object({
  LOKET_RETENTION_DAYS: wholeNumber(1, 3650)
    .default(90)
    .describe(
      'transcripts older than this are deleted; older handoff packages lose their transcript and number',
    ),
  LOKET_RETENTION_INTERVAL_MINUTES: wholeNumber(1, 10_080)
    .default(60)
    .describe('how often the retention job runs (the first run comes shortly after start-up)'),
  LOKET_HANDOFF_EXPIRE_HOURS: wholeNumber(1, 8760)
    .default(72)
    .describe('a handoff still waiting after this long moves to expired'),
});

export interface RetentionSettings {
  retentionDays: number;
  intervalMinutes: number;
  handoffExpireHours: number;
}

export function readRetentionSettings(env: Readonly<Record<string, string | undefined>>): RetentionSettings {
  const data = parseEnvironment(retentionSettingsSchema, env);
  return {
    retentionDays: data.LOKET_RETENTION_DAYS,
    intervalMinutes: data.LOKET_RETENTION_INTERVAL_MINUTES,
    handoffExpireHours: data.LOKET_HANDOFF_EXPIRE_HOURS,
  };
}
