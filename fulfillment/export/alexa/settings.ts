// Settings of `loket export alexa`, from the environment, with one message per bad value.
import { z } from 'zod';
import { ALEXA_SKILL_LOCALES } from '../../channels/alexa/locales.ts';
import { SettingsError } from '../../config/settings.ts';

const httpsUrl = z
  .string()
  .url('must be a URL')
  .refine(
    (value) => value.startsWith('https://'),
    'must start with https:// (Alexa calls only HTTPS endpoints)',
  )
  .refine((value) => !/[?#]/.test(value), 'must not have a query or fragment');

const exportSettingsSchema = z.object({
  LOKET_PUBLIC_URL: httpsUrl.describe('where Alexa reaches this Loket; the skill endpoint is <url>/alexa'),
  LOKET_ALEXA_SSL_CERT_TYPE: z
    .enum(['Trusted', 'Wildcard', 'SelfSigned'], { message: 'must be Trusted, Wildcard or SelfSigned' })
    .default('Trusted')
    .describe("the kind of certificate LOKET_PUBLIC_URL's server presents"),
  LOKET_PRIVACY_POLICY_URL: httpsUrl.optional().describe('the privacy policy shown in the skill store'),
  LOKET_ALEXA_LOCALES: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((locale) => locale.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().refine((locale) => ALEXA_SKILL_LOCALES.includes(locale), {
          message: `each must be an Alexa skill locale (${ALEXA_SKILL_LOCALES.join(', ')})`,
        }),
      ),
    )
    .optional()
    .describe('export only these locales (comma-separated)'),
});

export interface AlexaExportSettings {
  /** the skill endpoint: LOKET_PUBLIC_URL + /alexa */
  endpoint: string;
  sslCertificateType: 'Trusted' | 'Wildcard' | 'SelfSigned';
  privacyPolicyUrl: string | null;
  locales: string[] | null;
}

export function readAlexaExportSettings(
  env: Readonly<Record<string, string | undefined>>,
): AlexaExportSettings {
  const names = Object.keys(exportSettingsSchema.shape);
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => names.includes(name) && value),
  );
  const result = exportSettingsSchema.safeParse(present);
  if (!result.success) {
    throw new SettingsError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const got = env[name];
        return got === undefined || got === ''
          ? `${name}: must be set for \`loket export alexa\`: the https address where Alexa reaches this Loket`
          : `${name}: ${issue.message} (got ${JSON.stringify(got)})`;
      }),
    );
  }
  return {
    endpoint: `${result.data.LOKET_PUBLIC_URL.replace(/\/+$/, '')}/alexa`,
    sslCertificateType: result.data.LOKET_ALEXA_SSL_CERT_TYPE,
    privacyPolicyUrl: result.data.LOKET_PRIVACY_POLICY_URL ?? null,
    locales: result.data.LOKET_ALEXA_LOCALES ?? null,
  };
}
