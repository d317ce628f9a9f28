// The Google channel's settings (webhook auth, the agent's phone number, the public URL), parsed from the environment.
import { z } from 'zod';
import { SettingsError } from '../../config/settings.ts';

const commaSeparated = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1, 'give at least one value'));

export const googleSettingsSchema = z.object({
  LOKET_GOOGLE_AUTH: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  LOKET_GOOGLE_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters (for example `openssl rand -hex 24`)')
    .max(512, 'must be at most 512 characters')
    .optional(),
  LOKET_GOOGLE_AUDIENCE: commaSeparated(z.string().min(1)).optional(),
  LOKET_GOOGLE_SERVICE_ACCOUNTS: commaSeparated(
    z.email({ message: 'must be comma-separated e-mail addresses of service accounts' }),
  ).optional(),
  LOKET_AGENT_PHONE_NUMBER: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +31201234567')
    .optional(),
  LOKET_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://loket.example.com' })
    .optional(),
});

/** Settings that only make sense together, checked on what was given even when other values are bad. */
function pairingProblems(present: Record<string, string>): string[] {
  // Anyone can mint a Google ID token for any audience, so the audience alone proves nothing: the signer must be one
  // of ours too. https://cloud.google.com/docs/authentication/token-types#id
  if (present.LOKET_GOOGLE_AUDIENCE && !present.LOKET_GOOGLE_SERVICE_ACCOUNTS) {
    return [
      'LOKET_GOOGLE_SERVICE_ACCOUNTS: required with LOKET_GOOGLE_AUDIENCE: name the service account(s) whose ID tokens are accepted, e.g. service-<project-number>@gcp-sa-dialogflow.iam.gserviceaccount.com',
    ];
  }
  if (present.LOKET_GOOGLE_SERVICE_ACCOUNTS && !present.LOKET_GOOGLE_AUDIENCE) {
    return [
      'LOKET_GOOGLE_AUDIENCE: required with LOKET_GOOGLE_SERVICE_ACCOUNTS: the audience (aud) the ID tokens carry',
    ];
  }
  return [];
}

export interface GoogleSettings {
  auth: 'on' | 'off';
  secret: string | null;
  idToken: { audiences: string[]; serviceAccounts: string[] } | null;
  /** E.164, the number a phone-gateway call is transferred to on a handoff */
  agentPhoneNumber: string | null;
  /** without a trailing slash */
  publicUrl: string | null;
}

const NAMES = Object.keys(googleSettingsSchema.shape);

export function readGoogleSettings(env: Readonly<Record<string, string | undefined>>): GoogleSettings {
  // An empty variable means "not set", as in readSettings().
  const present = Object.fromEntries(
    NAMES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])),
  ) as Record<string, string>;
  const result = googleSettingsSchema.safeParse(present);
  const problems = [
    ...(result.error?.issues ?? []).map((issue) => {
      const name = String(issue.path[0] ?? '?');
      // Never echo a secret back into logs.
      const shown = name === 'LOKET_GOOGLE_SECRET' ? '(hidden)' : JSON.stringify(env[name] ?? '');
      return `${name}: ${issue.message} (got ${shown})`;
    }),
    ...pairingProblems(present),
  ];
  if (!result.success || problems.length) throw new SettingsError(problems);
  const settings = result.data;
  return {
    auth: settings.LOKET_GOOGLE_AUTH,
    secret: settings.LOKET_GOOGLE_SECRET ?? null,
    idToken:
      settings.LOKET_GOOGLE_AUDIENCE && settings.LOKET_GOOGLE_SERVICE_ACCOUNTS
        ? {
            audiences: settings.LOKET_GOOGLE_AUDIENCE,
            serviceAccounts: settings.LOKET_GOOGLE_SERVICE_ACCOUNTS.map((email) => email.toLowerCase()),
          }
        : null,
    agentPhoneNumber: settings.LOKET_AGENT_PHONE_NUMBER ?? null,
    publicUrl: settings.LOKET_PUBLIC_URL ? settings.LOKET_PUBLIC_URL.replace(/\/+$/, '') : null,
  };
}

/** What an operator should know at start-up: why the endpoints refuse everything, or that they accept anything. */
export function googleStartupWarnings(settings: GoogleSettings): string[] {
  if (settings.auth === 'off') {
    return [
      'LOKET_GOOGLE_AUTH=off: /google/cx and /google/es accept requests without credentials; use this for local development only',
    ];
  }
  if (!settings.secret && !settings.idToken) {
    return [
      '/google/cx and /google/es answer 401 to every request: set LOKET_GOOGLE_SECRET, or LOKET_GOOGLE_AUDIENCE with LOKET_GOOGLE_SERVICE_ACCOUNTS (see docs/google.md)',
    ];
  }
  return [];
}
