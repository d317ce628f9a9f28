// Finds e-mail addresses, typed (jan@example.nl) or spoken ("jan punt devries apenstaartje example punt nl").
import type { Finding } from './finding.ts';
import { gapBetween, type Token, type TokenAvailability } from './tokens.ts';

const TYPED_EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

export const AT_WORDS: ReadonlySet<string> = new Set([
  'at',
  'apenstaartje',
  'apestaartje',
  'apenstaart',
  'apestaart',
]);
const DOT_WORDS = new Set(['punt', 'dot']);
// Said between the parts of a user name: "jan punt de vries", "jan streepje devries", "jan liggend streepje …".
const NAME_JOIN_WORDS = new Set([
  'punt',
  'dot',
  'streepje',
  'liggend',
  'laag',
  'underscore',
  'dash',
  'hyphen',
  'koppelteken',
]);
// A spoken address must end in a known top-level domain, otherwise "I'm at home dot …" would count.
const TOP_LEVEL_DOMAINS = new Set([
  'nl',
  'be',
  'com',
  'net',
  'org',
  'eu',
  'de',
  'fr',
  'uk',
  'io',
  'co',
  'info',
  'biz',
  'edu',
  'gov',
  'us',
  'me',
  'nu',
  'online',
  'app',
  'dev',
  'email',
  'mail',
  'live',
]);
// Words before a spoken English "at" that say where someone is, not whose mailbox it is: "I am at home dot com".
const NOT_A_USER_NAME = new Set([
  'i',
  'am',
  'is',
  'are',
  'was',
  'were',
  'be',
  'me',
  'us',
  'we',
  'you',
  'him',
  'her',
  'them',
  'it',
  'still',
  'here',
  'there',
  'now',
  'not',
  'and',
  'or',
  'but',
  'the',
  'a',
  'an',
  'mail',
  'email',
  'e',
]);
const SPACED_AT = /^[ \t]*@[ \t]*$/;
const WRITTEN_DOT = /^\.$/;
const WRITTEN_NAME_JOIN = /^[._-]$/;
const SPACES = /^[ \t]+$/;

interface Context {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly available: TokenAvailability;
}

function isLabel(context: Context, index: number): boolean {
  const token = context.tokens[index];
  return (
    token !== undefined &&
    context.available(index) &&
    !AT_WORDS.has(token.word) &&
    !NAME_JOIN_WORDS.has(token.word)
  );
}

/** The index of the next domain label after label `index` ("example punt nl", "example.nl"), if any. */
function nextDomainLabel(context: Context, index: number): number | undefined {
  const { text, tokens } = context;
  const gap = gapBetween(text, tokens[index], tokens[index + 1]);
  if (WRITTEN_DOT.test(gap) && isLabel(context, index + 1)) return index + 1;
  const spokenDot = tokens[index + 1];
  if (
    spokenDot &&
    context.available(index + 1) &&
    DOT_WORDS.has(spokenDot.word) &&
    SPACES.test(gap) &&
    SPACES.test(gapBetween(text, spokenDot, tokens[index + 2])) &&
    isLabel(context, index + 2)
  ) {
    return index + 2;
  }
  return undefined;
}

/** The last token of the domain starting at `index`: the furthest label that is a top-level domain after a dot. */
function domainEnd(context: Context, index: number): number | undefined {
  if (!isLabel(context, index)) return undefined;
  const labels = [index];
  for (
    let next = nextDomainLabel(context, index);
    next !== undefined;
    next = nextDomainLabel(context, next)
  ) {
    labels.push(next);
  }
  return labels
    .slice(1)
    .reverse()
    .find((label) => TOP_LEVEL_DOMAINS.has(context.tokens[label]?.word ?? ''));
}

/** Whether token `position` is an available join word ("punt", "streepje") followed by spaces. */
function isJoinWord(context: Context, position: number): boolean {
  const { text, tokens } = context;
  return (
    position >= 0 &&
    context.available(position) &&
    NAME_JOIN_WORDS.has(tokens[position]?.word ?? '') &&
    SPACES.test(gapBetween(text, tokens[position], tokens[position + 1]))
  );
}

/** How many join words ("punt", "liggend streepje") stand right before token `index`: 0, 1 or 2. */
function joinWordsBefore(context: Context, index: number): number {
  if (!isJoinWord(context, index - 1)) return 0;
  return isJoinWord(context, index - 2) ? 2 : 1;
}

/** The first token of the user name ending at `index`, following joins such as "punt" backwards. */
function nameStart(context: Context, index: number): number {
  const { text, tokens } = context;
  if (
    WRITTEN_NAME_JOIN.test(gapBetween(text, tokens[index - 1], tokens[index])) &&
    isLabel(context, index - 1)
  ) {
    return nameStart(context, index - 1);
  }
  const joinWords = joinWordsBefore(context, index);
  const previousPart = index - joinWords - 1;
  return joinWords > 0 && isLabel(context, previousPart) ? nameStart(context, previousPart) : index;
}

function findSpoken(context: Context): Finding[] {
  const { text, tokens } = context;
  const findings: Finding[] = [];
  // A written "@" can only stand in a gap when the text has one; otherwise only a said "at" can start an address.
  const hasAtSign = text.includes('@');
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    const saidAt = AT_WORDS.has(token.word) && context.available(index);
    if (!saidAt && !hasAtSign) continue;
    const writtenAt = SPACED_AT.test(gapBetween(text, tokens[index - 1], token));
    const nameEnd = saidAt || writtenAt ? index - 1 : undefined;
    const domainStart = saidAt ? index + 1 : index;
    if (nameEnd === undefined || !isLabel(context, nameEnd)) continue;
    if (NOT_A_USER_NAME.has(tokens[nameEnd]?.word ?? '')) continue;
    const end = domainEnd(context, domainStart);
    const first = tokens[nameStart(context, nameEnd)];
    const last = end === undefined ? undefined : tokens[end];
    if (first && last) findings.push({ kind: 'email', start: first.start, end: last.end });
  }
  return findings;
}

export function findTypedEmails(text: string): Finding[] {
  // Every typed address has an "@": without one the pattern need not scan the text.
  if (!text.includes('@')) return [];
  return [...text.matchAll(TYPED_EMAIL)].map((match) => ({
    kind: 'email' as const,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export function findSpokenEmails(
  text: string,
  tokens: readonly Token[],
  available: TokenAvailability,
): Finding[] {
  return findSpoken({ text, tokens, available });
}
