// Settings of the handoff layer, read from the environment and validated at start-up like every other setting:
// where records live (Postgres or SQLite), the contact-centre webhook, and whether callbacks are offered.
import { z } from 'zod';
import { SettingsError } from '../config/settings.ts';

const onOff = z.enum(['on', 'off', 'true', 'false']).transform((value) => value === 'on' || value === 'true');

export const handoffSettingsSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      // Parsing it later would throw Node's "Invalid URL" error, which carries the whole URL (password included).
      .refine((url) => URL.canParse(url), 'must be a URL such as postgres://user:password@host:5432/database')
      .optional()
      .describe('keep transcripts and handoffs in Postgres instead of SQLite'),
    LOKET_POSTGRES_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'use lower-case letters, digits and _ (a Postgres identifier)')
      .default('public'),
    LOKET_HANDOFF_WEBHOOK_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      // fetch refuses such a URL with an error that repeats it, password included, on every attempt.
      .refine(
        (url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password),
        'must not hold a user name or password: deliveries are signed with LOKET_HANDOFF_WEBHOOK_SECRET',
      )
      .optional()
      .describe('each handoff package is POSTed here, signed'),
    LOKET_HANDOFF_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    LOKET_HANDOFF_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    LOKET_HANDOFF_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
    LOKET_HANDOFF_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    LOKET_CALLBACKS: onOff.default(true).describe('offer a callback where a call cannot be transferred'),
    LOKET_AGENT_HEARTBEAT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(15_000)
      .describe("a comment on the agents' event stream this often, so proxies keep it open"),
  })
  .refine((settings) => !settings.LOKET_HANDOFF_WEBHOOK_URL || settings.LOKET_HANDOFF_WEBHOOK_SECRET, {
    message: 'is required with LOKET_HANDOFF_WEBHOOK_URL: every delivery is signed',
    path: ['LOKET_HANDOFF_WEBHOOK_SECRET'],
  });

export type HandoffSettings = z.infer<typeof handoffSettingsSchema>;

const SECRET_NAMES = new Set(['LOKET_HANDOFF_WEBHOOK_SECRET', 'DATABASE_URL']);

export function readHandoffSettings(env: Readonly<Record<string, string | undefined>>): HandoffSettings {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = handoffSettingsSchema.safeParse(present);
  if (result.success) return result.data;
  throw new SettingsError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      // Secrets (and URLs that may hold a password) are never echoed.
      const value = env[name] ?? '';
      const shown = SECRET_NAMES.has(name) || value.includes('@') ? '' : ` (got ${JSON.stringify(value)})`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}
