// The Alexa endpoint's own settings, read from the environment at start-up with one message per bad value.
import { z } from 'zod';
import { parseEnvironment } from '../../config/settings.ts';

const alexaSettingsSchema = z.object({
  LOKET_ALEXA_VERIFY: z
    .string()
    .toLowerCase()
    .pipe(z.enum(['true', 'false'], { message: 'must be true or false' }))
    .default('true')
    .transform((value) => value === 'true')
    .describe('check the request signature and timestamp; false only for local development'),
  LOKET_ALEXA_SKILL_ID: z
    .string()
    .regex(/^amzn1\.ask\.skill\.[A-Za-z0-9-]+$/, 'must look like amzn1.ask.skill.<id>')
    .optional()
    .describe('refuse requests for any other skill'),
  LOKET_ALEXA_PROGRESSIVE_AFTER_MS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(100, 'must be between 100 and 7000')
    .max(7000, 'must be between 100 and 7000')
    .default(1000)
    .describe('a backend call slower than this gets a progressive response'),
});

export type AlexaSettings = {
  verify: boolean;
  skillId: string | null;
  progressiveAfterMs: number;
};

export function readAlexaSettings(env: Readonly<Record<string, string | undefined>>): AlexaSettings {
  const data = parseEnvironment(alexaSettingsSchema, env);
  return {
    verify: data.LOKET_ALEXA_VERIFY,
    skillId: data.LOKET_ALEXA_SKILL_ID ?? null,
    progressiveAfterMs: data.LOKET_ALEXA_PROGRESSIVE_AFTER_MS,
  };
}
