// Settings from environment variables, validated once at start-up with one clear message per bad value.
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export const settingsSchema = z.object({
  PORT: port.default(3000).describe('HTTP port'),
  HOST: z.string().min(1).default('0.0.0.0').describe('interface to listen on'),
  LOKET_DATA_DIR: z.string().min(1).default('./data').describe('embedded storage (SQLite files)'),
  LOKET_MODEL_DIR: z.string().min(1).default('.').describe('folder holding intents/ and locales/'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    // ioredis would throw Node's "Invalid URL" error, which carries the whole URL (password included) as `input`.
    .refine((url) => URL.canParse(url), 'must be a URL such as redis://:password@host:6379')
    .optional()
    .describe('sessions in Redis instead of SQLite (several instances)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOKET_SESSION_TTL_SECONDS: z.coerce.number().int().min(60, 'must be at least 60').default(1800),
  LOKET_TIME_ZONE: z
    .string()
    .default('Europe/Amsterdam')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Amsterdam'),
  LOKET_NLU_THRESHOLD: z.coerce.number().min(0).max(1).default(0.4),
  LOKET_BACKEND_LATENCY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30_000)
    .default(0)
    .describe('simulated latency of the sample backend, to see progressive responses and timeouts'),
  LOKET_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(65_536),
});

export type Settings = z.infer<typeof settingsSchema> & {
  dataDir: string;
  modelDir: string;
  /** the raw environment, so each channel can validate its own settings (fulfillment/channels/<name>/settings.ts) */
  env: Readonly<Record<string, string | undefined>>;
};

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/**
 * Parse the variables a schema names from the environment, with one `NAME: problem (got "value")` line per bad value.
 * An empty variable means "not set", as in most shells' `FOO= cmd`. Every settings module of Loket reads through here.
 */
export function parseEnvironment<T extends z.ZodObject>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<T> {
  const names = new Set(Object.keys(schema.shape));
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => names.has(name) && value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new SettingsError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const value = env[name] ?? '';
        // A URL with an @ may hold a password (REDIS_URL): never echoed into logs.
        const shown =
          name.endsWith('_URL') && value.includes('@')
            ? 'a URL with credentials, not shown'
            : JSON.stringify(value);
        return `${name}: ${issue.message} (got ${shown})`;
      }),
    );
  }
  return result.data;
}

export function readSettings(env: Record<string, string | undefined> = process.env): Settings {
  const data = parseEnvironment(settingsSchema, env);
  return {
    ...data,
    dataDir: resolve(data.LOKET_DATA_DIR),
    modelDir: resolve(data.LOKET_MODEL_DIR),
    env: { ...env },
  };
}
