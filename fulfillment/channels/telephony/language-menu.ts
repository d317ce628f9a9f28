// The caller's choice of language, for a number that does not decide it: "Voor Nederlands, toets 1. For English,
// press 2." Each line is spoken in its own language and voice; a key or the language's name picks it.
import type { IntentModel } from '../../model/schema.ts';
import { promptSpeech } from './prompt-speech.ts';
import { say } from './reply-twiml.ts';
import { element } from './twiml.ts';
import { voiceFor } from './voices.ts';

const MENU_SECONDS = 6;

/** The words a caller may say for a locale: its name in its own language and in English ("Nederlands", "Dutch"). */
export function languageNames(locale: string): string[] {
  const language = locale.split('-')[0] ?? locale;
  const names = new Set<string>();
  for (const display of [locale, 'en']) {
    try {
      const name = new Intl.DisplayNames([display], { type: 'language' }).of(language);
      if (name) names.add(name.toLowerCase());
    } catch {
      // A runtime without that locale's data still has the English name.
    }
  }
  return [...names];
}

/** The locale a key ("2") or a spoken name ("English please") picks, or null. */
export function chosenLocale(
  locales: readonly string[],
  digits: string | undefined,
  words: string | undefined,
): string | null {
  const key = digits?.replace(/#+$/, '');
  if (key && /^[1-9]$/.test(key)) return locales[Number(key) - 1] ?? null;
  const said = words?.toLowerCase() ?? '';
  if (!said) return null;
  return locales.find((locale) => languageNames(locale).some((name) => said.includes(name))) ?? null;
}

export function languageMenuVerb(
  model: IntentModel,
  locales: readonly string[],
  voices: Readonly<Record<string, string>>,
  action: string,
  random: () => number,
): string {
  const lines = locales.flatMap((locale, index) => {
    const localeModel = model.locales[locale];
    if (!localeModel) return [];
    const digit = String(index + 1);
    const speech = promptSpeech(
      localeModel,
      'language.choose',
      { digit: [{ kind: 'text', text: digit }] },
      random,
    );
    return [say(speech, voiceFor(voices, locale), locale)];
  });
  const first = locales[0] ?? 'en-US';
  return element(
    'Gather',
    {
      input: 'dtmf speech',
      action,
      method: 'POST',
      numDigits: 1,
      timeout: MENU_SECONDS,
      language: first,
      hints: locales.flatMap(languageNames).join(','),
      actionOnEmptyResult: true,
    },
    lines.join(''),
  );
}
