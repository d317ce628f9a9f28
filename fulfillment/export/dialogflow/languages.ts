// Dialogflow language tags for the model's locales, shared by the CX and ES exports.

export interface DialogflowLanguage {
  /** the model's locale, e.g. "nl-NL" */
  locale: string;
  /** Dialogflow's tag for it: the bare language ("nl") unless two locales share that language ("en-us", "en-gb") */
  code: string;
}

/**
 * Sorted by locale; the first is the agent's default language. Dialogflow supports "nl" and "en" and a few regional
 * English variants: https://cloud.google.com/dialogflow/cx/docs/reference/language
 */
export function dialogflowLanguages(locales: readonly string[]): DialogflowLanguage[] {
  const sorted = [...locales].sort();
  const language = (locale: string) => locale.split('-')[0]?.toLowerCase() ?? locale.toLowerCase();
  return sorted.map((locale) => ({
    locale,
    code:
      sorted.filter((other) => language(other) === language(locale)).length > 1
        ? locale.toLowerCase()
        : language(locale),
  }));
}
