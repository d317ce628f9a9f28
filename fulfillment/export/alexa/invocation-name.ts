// Checks an invocation name against Alexa's requirements before Alexa does.
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/choose-the-invocation-name-for-a-custom-skill.html

/** Wake words and launch words Alexa does not allow in an invocation name (English, Dutch and German). */
const FORBIDDEN_WORDS: ReadonlySet<string> = new Set([
  'alexa',
  'amazon',
  'echo',
  'computer',
  'skill',
  'app',
  'ask',
  'tell',
  'open',
  'launch',
  'start',
  'begin',
  'load',
  'run',
  'resume',
  'use',
  'play',
  'enable',
  'vraag',
  'vertel',
  'zeg',
  'speel',
  'frage',
  'sage',
  'öffne',
  'starte',
]);

/** In a two-word name these make Alexa hear a sentence, not a name. */
const CONNECTING_WORDS: ReadonlySet<string> = new Set([
  'the',
  'a',
  'an',
  'for',
  'to',
  'of',
  'de',
  'het',
  'een',
]);

/** Problems with an invocation name; empty when Alexa should accept it. */
export function invocationNameProblems(name: string, brand: string): string[] {
  const problems: string[] = [];
  if (name.length < 2 || name.length > 50) problems.push('must be 2 to 50 characters long');
  if (name !== name.toLocaleLowerCase()) problems.push('must be lower case');
  if (/\d/.test(name)) problems.push('must spell numbers out ("twenty one")');
  const other = [...new Set([...name].filter((character) => !/[\p{L}\p{M} .']/u.test(character)))];
  if (other.length > 0) {
    problems.push(
      `may contain only letters, spaces, apostrophes and periods, not ${other.map((c) => `'${c}'`).join(' ')}`,
    );
  }
  const words = name.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const forbidden = words.filter((word) => FORBIDDEN_WORDS.has(word));
  if (forbidden.length > 0) {
    problems.push(`must not contain the wake or launch word(s) ${forbidden.map((w) => `'${w}'`).join(', ')}`);
  }
  if (words.length === 1 && words[0] !== brand.toLocaleLowerCase()) {
    problems.push(
      `a one-word invocation name must be the brand ('${brand.toLocaleLowerCase()}'); use two words`,
    );
  }
  if (words.length === 2 && words.some((word) => CONNECTING_WORDS.has(word))) {
    problems.push('a two-word invocation name must not contain words like "the", "a", "for", "to" or "of"');
  }
  return problems;
}
