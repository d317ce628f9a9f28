// Maps a Dialogflow language code ("nl", "en", "en-us", "nl-NL") onto one of the model's locales.

/** Dialogflow sends lower-case BCP-47 tags, often only the language ("nl"); the model's locales are "nl-NL", "en-US". */
export function matchGoogleLanguage(languageCode: string, supported: readonly string[]): string | null {
  const wanted = languageCode.trim().replace(/_/g, '-').toLowerCase();
  if (!wanted) return null;
  const sorted = [...supported].sort();
  return (
    sorted.find((locale) => locale.toLowerCase() === wanted) ??
    sorted.find((locale) => locale.toLowerCase().split('-')[0] === wanted.split('-')[0]) ??
    null
  );
}
