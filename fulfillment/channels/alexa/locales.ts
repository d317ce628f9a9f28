// Which locales Alexa offers to custom skills, which SSML extras each one speaks, and how a request's locale maps
// onto the model's locales. One table, so the endpoint and the exporter never disagree.

/**
 * The languages a custom skill can support, as listed on "Develop Skills in Multiple Languages"
 * (https://developer.amazon.com/en-AU/docs/alexa/custom-skills/develop-skills-in-multiple-languages.html).
 * Dutch (NL) is on that list since Alexa launched in the Netherlands; older copies of the page do not have it.
 */
export const ALEXA_SKILL_LOCALES: readonly string[] = [
  'ar-SA',
  'de-DE',
  'en-AU',
  'en-CA',
  'en-GB',
  'en-IN',
  'en-US',
  'es-ES',
  'es-MX',
  'es-US',
  'fr-CA',
  'fr-FR',
  'hi-IN',
  'it-IT',
  'ja-JP',
  'nl-NL',
  'pt-BR',
];

/**
 * `<amazon:domain name="conversational">` for Alexa's own voice: en-US first, Italian and Japanese since Amazon's
 * announcement of 2020-11-24 ("Alexa Speaking Styles and Emotions Now Available in Additional Languages").
 * https://developer.amazon.com/en-US/docs/alexa/custom-skills/speech-synthesis-markup-language-ssml-reference.html#amazon-domain
 */
export const CONVERSATIONAL_STYLE_LOCALES: ReadonlySet<string> = new Set(['en-US', 'it-IT', 'ja-JP']);

/**
 * `<amazon:emotion>` (excited, disappointed): en-US first, British English and Japanese since the same announcement.
 * https://developer.amazon.com/en-US/docs/alexa/custom-skills/speech-synthesis-markup-language-ssml-reference.html#amazon-emotion
 */
export const EMOTION_LOCALES: ReadonlySet<string> = new Set(['en-US', 'en-GB', 'ja-JP']);

export function isAlexaSkillLocale(locale: string): boolean {
  return ALEXA_SKILL_LOCALES.includes(locale);
}

/**
 * The model locale that answers an Alexa locale: the same one, else the same language (en-GB is answered in en-US),
 * else en-US, else the first the model has. Alexa only sends the locales a skill was published in, so the last two
 * steps only matter for a skill configured with more locales than the model has.
 */
export function modelLocaleFor(requested: string, supported: readonly string[]): string | null {
  const lower = requested.toLowerCase();
  const language = lower.split('-')[0];
  return (
    supported.find((locale) => locale.toLowerCase() === lower) ??
    supported.find((locale) => locale.toLowerCase().split('-')[0] === language) ??
    supported.find((locale) => locale === 'en-US') ??
    supported[0] ??
    null
  );
}
