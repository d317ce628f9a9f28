// Builds the HandoffPackage a person gets: who, what they wanted, what the bot tried, the masked transcript and a
// summary in the customer's language, so nobody has to tell their story twice.
import type { Channel, HandoffPackage, HandoffReason, Session, TranscriptEntry } from '../core/types.ts';
import type { HandoffDecision } from '../dialogue/decision.ts';
import { maskDeep, maskPersonalData } from '../privacy/mask.ts';

export interface PackageInput {
  session: Session;
  decision: HandoffDecision;
  channel: Channel;
  transcript: readonly TranscriptEntry[];
  now: Date;
}

const MAX_TRANSCRIPT_ENTRIES = 200;

const reasonText: Record<string, Record<HandoffReason, string>> = {
  nl: {
    'asked-for-person': 'doorverbonden op verzoek',
    'no-match': 'bot begreep de klant niet',
    frustration: 'klant is gefrustreerd',
    policy: 'vraag vereist een medewerker',
    'verification-failed': 'identificatie mislukt',
    error: 'technische fout',
  },
  en: {
    'asked-for-person': 'transferred at the customer’s request',
    'no-match': 'the bot did not understand the customer',
    frustration: 'the customer is frustrated',
    policy: 'this needs a person',
    'verification-failed': 'identification failed',
    error: 'technical error',
  },
};

function sentimentOf(scores: readonly number[]): HandoffPackage['sentiment'] {
  const score = scores.length ? scores.reduce((sum, value) => sum + value, 0) / scores.length : 0;
  const rounded = Math.round(score * 100) / 100;
  return { score: rounded, label: rounded <= -0.2 ? 'negative' : rounded >= 0.2 ? 'positive' : 'neutral' };
}

/** Extractive: built from what was recognised, never invented. */
export function summarize(session: Session, reason: HandoffReason, locale: string): string {
  const language = locale.startsWith('nl') ? 'nl' : 'en';
  const intents = [
    ...session.history.map((entry) => entry),
    ...session.frames.map((frame) => ({ intent: frame.intent, slots: frame.slots })),
  ];
  const wants = intents.length
    ? intents
        .map((entry) => {
          const slots = Object.entries(entry.slots).map(([name, value]) => `${name} ${value}`);
          return slots.length ? `${entry.intent} (${slots.join(', ')})` : entry.intent;
        })
        .join(', ')
    : language === 'nl'
      ? 'onbekend'
      : 'unknown';
  const identity = session.customer?.verified
    ? language === 'nl'
      ? 'identiteit gecontroleerd'
      : 'identity verified'
    : language === 'nl'
      ? 'niet geïdentificeerd'
      : 'not identified';
  const lead = language === 'nl' ? 'Klant wil' : 'Customer wants';
  return maskPersonalData(`${lead}: ${wants}; ${identity}; ${reasonText[language]?.[reason] ?? reason}.`);
}

export function buildHandoffPackage(input: PackageInput): HandoffPackage {
  const { session, decision, now } = input;
  const at = now.toISOString();
  return {
    id: decision.id,
    code: decision.code,
    reason: decision.reason,
    channel: input.channel,
    locale: session.locale,
    sessionId: session.id,
    customer: session.customer,
    callerId: session.callerId ? maskPersonalData(session.callerId) : null,
    intents: [
      ...session.history,
      ...session.frames.map((frame) => ({ intent: frame.intent, slots: frame.slots, at: frame.startedAt })),
    ].map((entry) => maskDeep(entry)),
    tried: [...new Set(session.tried)],
    // The records store holds masked text already; the newest part is what a person reads first.
    transcript: input.transcript.slice(-MAX_TRANSCRIPT_ENTRIES),
    summary: summarize(session, decision.reason, session.locale),
    sentiment: sentimentOf(session.sentimentScores),
    queue: decision.queue,
    createdAt: at,
    updatedAt: at,
    status: 'waiting',
  };
}
