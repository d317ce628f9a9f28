// Speech markup as Alexa speaks it in a given locale: the conversational style and emotions only where the locale has
// them, nothing a locale does not support, and always under Alexa's 8,000-character limit.
import { renderSsml } from '../../compose/render.ts';
import type { Speech, SpeechSegment } from '../../core/types.ts';
import { CONVERSATIONAL_STYLE_LOCALES, EMOTION_LOCALES } from './locales.ts';

/**
 * "The text string must be less than 8000 characters" (outputSpeech and reprompt each):
 * https://developer.amazon.com/en-US/docs/alexa/custom-skills/best-practice-text-response.html
 */
export const MAX_SPEECH_CHARACTERS = 7999;

/** empathetic: the engine answered frustration; Alexa's "disappointed" emotion is its empathetic tone. */
export type Tone = 'neutral' | 'empathetic';

export interface AlexaSpeechOptions {
  locale: string;
  slow: boolean;
  tone?: Tone;
}

/** Tags kept only where the locale supports them; their text stays. */
function withoutTag(ssml: string, tag: string): string {
  return ssml.replace(new RegExp(`</?${tag}(\\s[^>]*)?>`, 'g'), '');
}

/**
 * The last line of defence: whatever markup reached this point, a locale without the conversational style or
 * emotions gets neither (Alexa rejects the whole response otherwise).
 */
export function fitSsmlToLocale(ssml: string, locale: string): string {
  let fitted = ssml;
  if (!CONVERSATIONAL_STYLE_LOCALES.has(locale)) fitted = withoutTag(fitted, 'amazon:domain');
  if (!EMOTION_LOCALES.has(locale)) fitted = withoutTag(fitted, 'amazon:emotion');
  return fitted;
}

function styled(speech: Speech, options: AlexaSpeechOptions): string {
  const body = renderSsml(speech, { dialect: 'alexa', slow: options.slow }).replace(
    /^<speak>|<\/speak>$/g,
    '',
  );
  // The conversational style and the emotions do not combine with each other, with <emphasis> or with prosody
  // changes, so a slowed-down reply keeps the plain voice.
  // https://developer.amazon.com/en-US/docs/alexa/custom-skills/speech-synthesis-markup-language-ssml-reference.html
  if (options.slow) return `<speak>${body}</speak>`;
  if (options.tone === 'empathetic' && EMOTION_LOCALES.has(options.locale)) {
    return `<speak><amazon:emotion name="disappointed" intensity="low">${withoutTag(body, 'emphasis')}</amazon:emotion></speak>`;
  }
  if (CONVERSATIONAL_STYLE_LOCALES.has(options.locale)) {
    return `<speak><amazon:domain name="conversational">${withoutTag(body, 'emphasis')}</amazon:domain></speak>`;
  }
  return `<speak>${body}</speak>`;
}

/** Cut the speech at its last sentence end before the limit: a long answer loses its tail, never its markup. */
function shortened(speech: Speech): Speech {
  const segments = [...speech];
  const last = segments.pop();
  if (last?.kind !== 'text') return segments;
  const cut = last.text.slice(0, -1).search(/[.!?][^.!?]*$/);
  if (cut > 0) segments.push({ kind: 'text', text: last.text.slice(0, cut + 1) } satisfies SpeechSegment);
  else if (last.text.length > 200)
    segments.push({ kind: 'text', text: last.text.slice(0, last.text.length / 2) });
  return segments;
}

export function alexaSsml(speech: Speech, options: AlexaSpeechOptions): string {
  let current = speech;
  let ssml = fitSsmlToLocale(styled(current, options), options.locale);
  while (ssml.length > MAX_SPEECH_CHARACTERS && current.length > 0) {
    current = shortened(current);
    ssml = fitSsmlToLocale(styled(current, options), options.locale);
  }
  return ssml;
}
