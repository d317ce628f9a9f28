// The customers of `loket bench load`: scripted conversations of 3 to 8 turns in Dutch and English, opened with
// utterances from the bench's turn pool, each turn with cheap checks that fail when a session was lost between turns.
import {
  type BenchLocale,
  MAX_TURNS_PER_CONVERSATION,
  MIN_TURNS_PER_CONVERSATION,
  pick,
  seededRandom,
} from './bench.ts';

/** What the answer to one turn must show. Only a session that kept its state passes the stateful ones. */
export interface TurnCheck {
  intent: string;
  slots?: Readonly<Record<string, string>>;
  /** `slot:<name>`, `verification:<step>`, `confirmation:<about>` or `none`, as in the YAML conversation tests */
  expecting: string;
  /** the handoff reason, when this turn hands over */
  handoff?: string;
  /** the goodbye ends the conversation only after an answer was given; a fresh session would ask what it can do */
  ended?: boolean;
  /** "say that again" gives the previous answer again only when the session kept it */
  repeatsPrevious?: boolean;
}

export interface ScriptedTurn {
  text: string;
  check: TurnCheck;
}

export interface ScriptedConversation {
  /** counts the conversations of one source from 0; decides which instance takes each turn */
  serial: number;
  sessionId: string;
  locale: BenchLocale;
  turns: readonly ScriptedTurn[];
}

type Said = Readonly<Record<BenchLocale, string>>;

interface Step {
  said: Said;
  check: TurnCheck;
}

// Identification step by step: a session that forgot where it was would not take "five" as a house number.
const IDENTIFYING_TASK: readonly Step[] = [
  {
    said: { 'nl-NL': 'waarom is mijn rekening zo hoog', 'en-US': 'why is my bill so high' },
    check: { intent: 'ExplainBill', expecting: 'verification:customerNumber' },
  },
  {
    said: { 'nl-NL': 'een twee drie vier vijf zes', 'en-US': 'one two three four five six' },
    check: {
      intent: 'Verification',
      slots: { customerNumber: '123456' },
      expecting: 'verification:postcode',
    },
  },
  {
    said: { 'nl-NL': 'twaalf vierendertig a b', 'en-US': 'one two three four a b' },
    check: { intent: 'Verification', slots: { postcode: '1234AB' }, expecting: 'verification:houseNumber' },
  },
  {
    said: { 'nl-NL': 'vijf', 'en-US': 'five' },
    check: { intent: 'Verification', slots: { houseNumber: '5' }, expecting: 'none' },
  },
];

/** One thing a customer comes for, in the order they would say it. A conversation does each at most once. */
const TASKS: readonly (readonly Step[])[] = [
  [
    {
      said: { 'nl-NL': 'waar blijft mijn bestelling', 'en-US': 'where is my order' },
      check: { intent: 'OrderStatus', expecting: 'slot:orderNumber' },
    },
    {
      said: { 'nl-NL': 'vier vijf een twee drie', 'en-US': 'four five one two three' },
      check: { intent: 'OrderStatus', slots: { orderNumber: '45123' }, expecting: 'none' },
    },
  ],
  [
    {
      said: { 'nl-NL': 'is er een storing in mijn buurt', 'en-US': 'is there an outage' },
      check: { intent: 'CheckOutage', expecting: 'slot:postcode' },
    },
    {
      said: { 'nl-NL': 'twaalf vierendertig a b', 'en-US': 'one two three four a b' },
      check: { intent: 'CheckOutage', slots: { postcode: '1234AB' }, expecting: 'none' },
    },
  ],
  IDENTIFYING_TASK,
  [
    {
      said: { 'nl-NL': 'hoe laat zijn jullie open', 'en-US': 'what are your opening hours' },
      check: { intent: 'OpeningHours', expecting: 'none' },
    },
    {
      said: { 'nl-NL': 'kun je dat herhalen', 'en-US': 'could you say that again' },
      check: { intent: 'Repeat', expecting: 'none', repeatsPrevious: true },
    },
  ],
  [
    {
      said: { 'nl-NL': 'mijn internet doet het niet', 'en-US': 'my internet is not working' },
      check: { intent: 'TechnicalProblem', expecting: 'none' },
    },
  ],
];

/** Fills a conversation that has room left after its tasks. */
const THANKS: Step = {
  said: { 'nl-NL': 'dank je wel', 'en-US': 'thank you' },
  check: { intent: 'Thanks', expecting: 'none' },
};

const GOODBYE: readonly Step[] = [
  {
    said: { 'nl-NL': 'nee hoor', 'en-US': 'no thanks' },
    check: { intent: 'No', expecting: 'none', ended: true },
  },
];

/** Some customers end by asking for a person or cancelling: a handoff package, stored in the records store. */
function handoffEnding(said: Said, intent: string, reason: string): readonly Step[] {
  return [
    { said, check: { intent, expecting: 'confirmation:callback', handoff: reason } },
    {
      // No callback, thanks: Loket gives the code to quote when calling, and the conversation ends.
      said: { 'nl-NL': 'nee', 'en-US': 'no' },
      check: { intent: 'No', expecting: 'none', ended: true },
    },
  ];
}

/** Four in six say goodbye, one asks for a person, one cancels. */
const ENDINGS: readonly (readonly Step[])[] = [
  GOODBYE,
  GOODBYE,
  GOODBYE,
  GOODBYE,
  handoffEnding(
    { 'nl-NL': 'mag ik een medewerker spreken', 'en-US': 'can I talk to a person' },
    'SpeakToAgent',
    'asked-for-person',
  ),
  handoffEnding(
    { 'nl-NL': 'ik wil mijn abonnement opzeggen', 'en-US': 'I want to cancel my subscription' },
    'CancelSubscription',
    'policy',
  ),
];

/** Every utterance that opens a task or an ending: they come from the pool `loket bench` draws its turns from. */
export const OPENERS: Readonly<Record<BenchLocale, readonly string[]>> = {
  'nl-NL': [...TASKS, ...ENDINGS].map((steps) => steps[0]?.said['nl-NL'] ?? ''),
  'en-US': [...TASKS, ...ENDINGS].map((steps) => steps[0]?.said['en-US'] ?? ''),
};

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/**
 * An endless, deterministic stream of new conversations: the same seed gives the same scripts, so every phase of
 * the bench sees the same customers; `idPrefix` keeps each phase's sessions apart. Even serials speak Dutch.
 */
export function createConversationSource(seed: number, idPrefix: string): () => ScriptedConversation {
  const random = seededRandom(seed);
  let serial = 0;
  return () => {
    const locale: BenchLocale = serial % 2 === 0 ? 'nl-NL' : 'en-US';
    const length =
      MIN_TURNS_PER_CONVERSATION +
      Math.floor(random() * (MAX_TURNS_PER_CONVERSATION - MIN_TURNS_PER_CONVERSATION + 1));
    const ending = pick(ENDINGS, random);
    let room = length - ending.length;
    const chosen: (readonly Step[])[] = [];
    for (const task of shuffled(TASKS, random)) {
      if (task.length > room) continue;
      chosen.push(task);
      room -= task.length;
    }
    // Identification goes last: once the customer is known, Loket no longer asks for a postcode it already has.
    chosen.sort((left, right) => Number(left === IDENTIFYING_TASK) - Number(right === IDENTIFYING_TASK));
    const steps: Step[] = chosen.flat();
    for (; room > 0; room -= 1) steps.push(THANKS);
    steps.push(...ending);
    const conversation: ScriptedConversation = {
      serial,
      sessionId: `${idPrefix}-${serial}`,
      locale,
      turns: steps.map((step) => ({ text: step.said[locale], check: step.check })),
    };
    serial += 1;
    return conversation;
  };
}

/** The parts of a /v1/converse answer the checks read; anything else in it is not looked at. */
interface ConverseAnswer {
  reply?: { text?: unknown };
  understood?: { intent?: unknown; slots?: Record<string, unknown> };
  expecting?: { type?: unknown; slot?: unknown; step?: unknown; about?: unknown } | null;
  handoff?: { reason?: unknown } | null;
  ended?: unknown;
}

function describeExpecting(expecting: ConverseAnswer['expecting']): string {
  if (!expecting) return 'none';
  const detail = expecting.slot ?? expecting.step ?? expecting.about;
  return `${String(expecting.type)}:${String(detail)}`;
}

/**
 * Checks one answer against its script. Returns the answer's reply text (for the next turn's repeat check) and,
 * when the answer does not fit the conversation, what was wrong.
 */
export function checkConverseAnswer(
  body: string,
  check: TurnCheck,
  previousReply: string | null,
): { replyText: string | null; problem: string | null } {
  let answer: ConverseAnswer;
  try {
    answer = JSON.parse(body) as ConverseAnswer;
  } catch {
    return { replyText: null, problem: 'the answer is not JSON' };
  }
  const replyText = typeof answer.reply?.text === 'string' ? answer.reply.text : null;
  const problems: string[] = [];
  const intent = answer.understood?.intent;
  if (intent !== check.intent) problems.push(`intent ${String(intent)} instead of ${check.intent}`);
  for (const [slot, value] of Object.entries(check.slots ?? {})) {
    const got = answer.understood?.slots?.[slot];
    if (got !== value) problems.push(`slot ${slot} ${String(got)} instead of ${value}`);
  }
  const expecting = describeExpecting(answer.expecting);
  if (expecting !== check.expecting) problems.push(`expecting ${expecting} instead of ${check.expecting}`);
  const handoff = answer.handoff?.reason;
  if ((handoff ?? undefined) !== check.handoff) {
    problems.push(`handoff ${String(handoff ?? 'none')} instead of ${check.handoff ?? 'none'}`);
  }
  if (answer.ended !== (check.ended ?? false)) problems.push(`ended ${String(answer.ended)}`);
  if (check.repeatsPrevious && replyText !== previousReply)
    problems.push('did not repeat the previous answer');
  if (replyText === null) problems.push('no reply text');
  return { replyText, problem: problems.length > 0 ? problems.join('; ') : null };
}
