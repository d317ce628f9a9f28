// Which Twilio <Say> voice speaks a locale, and which SSML that voice takes. Polly neural voices have no <emphasis>,
// Google Chirp 3 HD voices take plain text only; an unsupported tag makes <Say> fail, so it is left out.
// https://docs.aws.amazon.com/polly/latest/dg/supportedtags.html · https://www.twilio.com/docs/voice/twiml/say
import { renderSsml, type SsmlDialect } from '../../compose/render.ts';
import type { Speech } from '../../core/types.ts';

export interface SsmlSupport {
  dialect: SsmlDialect;
  breaks: boolean;
  emphasis: boolean;
  prosody: boolean;
  sayAs: boolean;
}

const PLAIN: SsmlSupport = {
  dialect: 'generic',
  breaks: false,
  emphasis: false,
  prosody: false,
  sayAs: false,
};

export function ssmlSupportOf(voice: string): SsmlSupport {
  if (voice.startsWith('Polly.')) {
    if (voice.endsWith('-Generative')) return { ...PLAIN, dialect: 'polly', breaks: true, sayAs: true };
    if (voice.endsWith('-Neural'))
      return { ...PLAIN, dialect: 'polly', breaks: true, prosody: true, sayAs: true };
    return { dialect: 'polly', breaks: true, emphasis: true, prosody: true, sayAs: true };
  }
  if (voice.startsWith('Google.')) {
    if (voice.includes('-Chirp')) return PLAIN;
    return { dialect: 'google', breaks: true, emphasis: true, prosody: true, sayAs: true };
  }
  // man, woman, alice: Twilio's basic voices read text.
  return PLAIN;
}

function unwrap(markup: string, tag: string): string {
  return markup.replace(new RegExp(`</?${tag}(\\s[^>]*)?>`, 'g'), '');
}

/** The inside of a <Say>: Loket's speech as the SSML this voice supports, without the <speak> root Twilio adds itself. */
export function sayMarkup(speech: Speech, voice: string, slow: boolean): string {
  const support = ssmlSupportOf(voice);
  let markup = renderSsml(speech, { dialect: support.dialect, slow: slow && support.prosody }).replace(
    /^<speak>|<\/speak>$/g,
    '',
  );
  if (!support.breaks) markup = markup.replace(/<break[^>]*\/>/g, ' ');
  if (!support.emphasis) markup = unwrap(markup, 'emphasis');
  if (!support.prosody) markup = unwrap(markup, 'prosody');
  if (!support.sayAs) markup = unwrap(markup, 'say-as');
  return markup.replace(/\s+/g, ' ').trim();
}

export function voiceFor(voices: Readonly<Record<string, string>>, locale: string): string {
  const language = locale.split('-')[0];
  return (
    voices[locale] ??
    Object.entries(voices).find(([key]) => key.split('-')[0] === language)?.[1] ??
    'Polly.Joanna-Neural'
  );
}
