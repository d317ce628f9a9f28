// The phone line's settings (Twilio webhooks, locales and voices per number, the agent transfer, the media stream and
// its speech provider), parsed from the environment. See docs/phone.md.
import { z } from 'zod';
import { SettingsError } from '../../config/settings.ts';
import type { AzureVoice } from '../../speech/azure.ts';

const booleanFlag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((value) => value === 'true');

/** `key=value,key=value`, each pair checked by `pair`. */
const pairList = <T>(pair: z.ZodType<T, [string, string]>) =>
  z
    .string()
    .transform((value, context) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const at = part.indexOf('=');
          if (at <= 0) {
            context.addIssue({ code: 'custom', message: `"${part}" is not key=value` });
            return ['', ''] as [string, string];
          }
          return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as [string, string];
        }),
    )
    .pipe(z.array(pair).min(1, 'give at least one key=value pair'));

const LOCALE = /^[a-z]{2,3}-[A-Z]{2}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export const telephonySettingsSchema = z.object({
  LOKET_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://loket.example.com' })
    .optional(),
  LOKET_TWILIO_AUTH_TOKEN: z
    .string()
    .min(16, 'must be your Twilio auth token (32 characters, from the Twilio console)')
    .max(256, 'must be at most 256 characters')
    .optional(),
  LOKET_TWILIO_VERIFY: booleanFlag.default(true),
  LOKET_PHONE_LOCALES: pairList(
    z.tuple([
      z.string().regex(E164, 'the called number must be E.164, such as +31201234567'),
      z.string().regex(LOCALE, 'the locale must look like nl-NL'),
    ]),
  ).optional(),
  LOKET_PHONE_DEFAULT_LOCALE: z.string().regex(LOCALE, 'must be a model locale such as nl-NL').optional(),
  LOKET_PHONE_VOICES: pairList(
    z.tuple([
      z.string().regex(LOCALE, 'the locale must look like nl-NL'),
      z
        .string()
        .regex(
          /^(Polly\.[A-Za-z\u00C0-\u017F]+(-Neural|-Generative)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9]+-[A-Za-z0-9]+(-[A-Za-z]+)?)$/,
          'the voice must be a Twilio <Say> voice such as Polly.Laura-Neural or Google.nl-NL-Wavenet-B',
        ),
    ]),
  ).optional(),
  LOKET_AGENT_SIP_URI: z
    .string()
    .regex(
      /^sips?:[^@\s?]+@[^\s?]+$/,
      'must be a SIP URI without headers, such as sip:agents@pbx.example.com (Loket adds the handoff header)',
    )
    .optional(),
  LOKET_AGENT_SIP_UUI: booleanFlag.default(false),
  LOKET_FLEX_WORKFLOW_SID: z
    .string()
    .regex(/^WW[0-9a-f]{32}$/, 'must be a TaskRouter workflow SID (WW followed by 32 hex characters)')
    .optional(),
  LOKET_PHONE_STREAM: booleanFlag.default(false),
  LOKET_PHONE_NO_INPUT_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(2, 'must be between 2 and 30')
    .max(30, 'must be between 2 and 30')
    .default(8),
  LOKET_AZURE_SPEECH_KEY: z.string().min(16, 'must be an Azure Speech resource key').optional(),
  LOKET_AZURE_SPEECH_REGION: z
    .string()
    .regex(/^[a-z0-9]+$/, 'must be an Azure region name such as westeurope')
    .optional(),
  LOKET_AZURE_SPEECH_VOICES: pairList(
    z.tuple([
      z.string().regex(LOCALE, 'the locale must look like nl-NL'),
      z
        .string()
        .regex(
          /^[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9]+Neural(:[a-z-]+)?$/,
          'the voice must be an Azure neural voice, optionally with a style: en-US-JennyNeural:customerservice',
        ),
    ]),
  ).optional(),
});

const SECRET_NAMES = new Set(['LOKET_TWILIO_AUTH_TOKEN', 'LOKET_AZURE_SPEECH_KEY']);

/** Twilio voices that sound natural on a phone line and exist for Loket's first-class locales. */
export const DEFAULT_PHONE_VOICES: Readonly<Record<string, string>> = {
  'nl-NL': 'Polly.Laura-Neural',
  'en-US': 'Polly.Joanna-Neural',
};

export interface TelephonySettings {
  /** without a trailing slash */
  publicUrl: string | null;
  authToken: string | null;
  verify: boolean;
  /** called number (E.164) -> model locale */
  numberLocales: ReadonlyMap<string, string>;
  /** the locale for a number not in numberLocales; null: let the caller choose when the model has several */
  defaultLocale: string | null;
  /** locale -> Twilio <Say> voice */
  voices: Readonly<Record<string, string>>;
  agentSipUri: string | null;
  sipUserToUser: boolean;
  flexWorkflowSid: string | null;
  stream: boolean;
  /** how long the caller may stay silent (and pause between keys) before a patient reprompt */
  noInputSeconds: number;
  azure: { key: string; region: string; voices: Record<string, AzureVoice> | null } | null;
}

const NAMES = Object.keys(telephonySettingsSchema.shape);

function pairingProblems(present: Record<string, string>): string[] {
  const problems: string[] = [];
  if (present.LOKET_AZURE_SPEECH_KEY && !present.LOKET_AZURE_SPEECH_REGION) {
    problems.push('LOKET_AZURE_SPEECH_REGION: required with LOKET_AZURE_SPEECH_KEY, e.g. westeurope');
  }
  if (present.LOKET_AZURE_SPEECH_REGION && !present.LOKET_AZURE_SPEECH_KEY) {
    problems.push('LOKET_AZURE_SPEECH_KEY: required with LOKET_AZURE_SPEECH_REGION');
  }
  if (present.LOKET_AGENT_SIP_URI && present.LOKET_FLEX_WORKFLOW_SID) {
    problems.push(
      'LOKET_FLEX_WORKFLOW_SID: set either LOKET_AGENT_SIP_URI (transfer by SIP) or LOKET_FLEX_WORKFLOW_SID (Twilio Flex), not both',
    );
  }
  return problems;
}

/** Parses the phone line's settings; `locales` are the model's, so a number cannot point at a locale nobody wrote. */
export function readTelephonySettings(
  env: Readonly<Record<string, string | undefined>>,
  locales: readonly string[],
): TelephonySettings {
  // An empty variable means "not set", as in readSettings().
  const present = Object.fromEntries(
    NAMES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])),
  ) as Record<string, string>;
  const result = telephonySettingsSchema.safeParse(present);
  const problems = [
    ...(result.error?.issues ?? []).map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const shown = SECRET_NAMES.has(name) ? '(hidden)' : JSON.stringify(env[name] ?? '');
      return `${name}: ${issue.message} (got ${shown})`;
    }),
    ...pairingProblems(present),
  ];
  if (result.success) {
    const defaultLocale = result.data.LOKET_PHONE_DEFAULT_LOCALE;
    if (defaultLocale && !locales.includes(defaultLocale)) {
      problems.push(
        `LOKET_PHONE_DEFAULT_LOCALE: the model has no locale ${defaultLocale} (it has ${locales.join(', ')})`,
      );
    }
    for (const [number, locale] of result.data.LOKET_PHONE_LOCALES ?? []) {
      if (!locales.includes(locale)) {
        problems.push(
          `LOKET_PHONE_LOCALES: ${number} points at ${locale}, which the model does not have (it has ${locales.join(', ')})`,
        );
      }
    }
  }
  if (!result.success || problems.length) throw new SettingsError(problems);
  const settings = result.data;
  const azureVoices = settings.LOKET_AZURE_SPEECH_VOICES
    ? Object.fromEntries(
        settings.LOKET_AZURE_SPEECH_VOICES.map(([locale, voice]) => {
          const [name = voice, style] = voice.split(':');
          return [locale, style ? { name, style } : { name }];
        }),
      )
    : null;
  return {
    publicUrl: settings.LOKET_PUBLIC_URL ? settings.LOKET_PUBLIC_URL.replace(/\/+$/, '') : null,
    authToken: settings.LOKET_TWILIO_AUTH_TOKEN ?? null,
    verify: settings.LOKET_TWILIO_VERIFY,
    numberLocales: new Map(settings.LOKET_PHONE_LOCALES ?? []),
    defaultLocale: settings.LOKET_PHONE_DEFAULT_LOCALE ?? null,
    voices: { ...DEFAULT_PHONE_VOICES, ...Object.fromEntries(settings.LOKET_PHONE_VOICES ?? []) },
    agentSipUri: settings.LOKET_AGENT_SIP_URI ?? null,
    sipUserToUser: settings.LOKET_AGENT_SIP_UUI,
    flexWorkflowSid: settings.LOKET_FLEX_WORKFLOW_SID ?? null,
    stream: settings.LOKET_PHONE_STREAM,
    noInputSeconds: settings.LOKET_PHONE_NO_INPUT_SECONDS,
    azure:
      settings.LOKET_AZURE_SPEECH_KEY && settings.LOKET_AZURE_SPEECH_REGION
        ? {
            key: settings.LOKET_AZURE_SPEECH_KEY,
            region: settings.LOKET_AZURE_SPEECH_REGION,
            voices: azureVoices,
          }
        : null,
  };
}

/** Whether a handoff can move the call to a person at all. */
export function canTransfer(settings: TelephonySettings): boolean {
  return settings.agentSipUri !== null || settings.flexWorkflowSid !== null;
}

/** What an operator should know at start-up: why the endpoints refuse everything, or what does not work yet. */
export function telephonyStartupWarnings(settings: TelephonySettings, offlineVoiceWorks: boolean): string[] {
  const warnings: string[] = [];
  if (!settings.verify) {
    warnings.push(
      'LOKET_TWILIO_VERIFY=false: /telephony accepts requests without a Twilio signature; use this for local development only',
    );
  } else if (!settings.authToken) {
    warnings.push(
      '/telephony answers 403 to every request: set LOKET_TWILIO_AUTH_TOKEN (and LOKET_PUBLIC_URL) so Twilio signatures can be checked (see docs/phone.md)',
    );
  } else if (!settings.publicUrl) {
    warnings.push(
      '/telephony answers 403 to every request: set LOKET_PUBLIC_URL to the https address Twilio calls, because the signature covers the full URL',
    );
  }
  if (!canTransfer(settings)) {
    warnings.push(
      'no LOKET_AGENT_SIP_URI or LOKET_FLEX_WORKFLOW_SID: on a handoff the caller hears the service number and a handoff code instead of being transferred',
    );
  }
  if (settings.stream && !settings.azure) {
    warnings.push(
      'LOKET_PHONE_STREAM=true without LOKET_AZURE_SPEECH_KEY: the media stream speaks with espeak-ng and listens to the keypad only',
    );
  }
  if (settings.stream && !settings.azure && !offlineVoiceWorks) {
    warnings.push(
      'espeak-ng is not installed: the offline voice of the media stream cannot speak (apt-get install espeak-ng)',
    );
  }
  return warnings;
}
