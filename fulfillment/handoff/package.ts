// Builds the HandoffPackage a person gets: who, what they wanted, what the bot tried, the masked transcript and a
// summary in the customer's language, so nobody has to tell their story twice.
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Channel, HandoffPackage, Session, TranscriptEntry } from '../core/types.ts';
import type { HandoffDecision } from '../dialogue/decision.ts';
import type { IntentModel } from '../model/schema.ts';
import { maskDeep, maskPersonalData } from '../privacy/mask.ts';
import { summarizeHandoff } from './summary.ts';
import type { HandoffWords } from './words.ts';

export interface PackageInput {
  session: Session;
  decision: HandoffDecision;
  channel: Channel;
  transcript: readonly TranscriptEntry[];
  now: Date;
  /** the designer's summary words for the session's locale; null gives plain English with intent names */
  words?: HandoffWords | null;
  /** for readable slot values in the summary (entity values, dates) */
  model?: IntentModel | null;
  /** the channel puts the call through now (phone); otherwise the customer gets a callback or a code */
  transferred?: boolean;
}

const MAX_TRANSCRIPT_ENTRIES = 200;

function sentimentOf(scores: readonly number[]): HandoffPackage['sentiment'] {
  const score = scores.length ? scores.reduce((sum, value) => sum + value, 0) / scores.length : 0;
  const rounded = Math.round(score * 100) / 100;
  return { score: rounded, label: rounded <= -0.2 ? 'negative' : rounded >= 0.2 ? 'positive' : 'neutral' };
}

/**
 * A stable pseudonym of a phone number (E.164 when it parses), so a later call from the same number finds the
 * handoff while the package itself never holds the number. It links calls; it is no protection against someone who
 * can read the database and try every number.
 */
export function callerKeyOf(callerId: string): string {
  const parsed = parsePhoneNumberFromString(callerId, 'NL');
  const normalized = parsed?.isValid() ? parsed.number : callerId.replace(/[^\d+]/g, '');
  return createHash('sha256').update(`loket-caller:${normalized}`).digest('hex').slice(0, 32);
}

export function buildHandoffPackage(input: PackageInput): HandoffPackage {
  const { session, decision, now } = input;
  const at = now.toISOString();
  const intents = [
    ...session.history,
    ...session.frames.map((frame) => ({ intent: frame.intent, slots: frame.slots, at: frame.startedAt })),
  ];
  return {
    id: decision.id,
    code: decision.code,
    reason: decision.reason,
    channel: input.channel,
    locale: session.locale,
    sessionId: session.id,
    customer: session.customer,
    callerId: session.callerId ? maskPersonalData(session.callerId) : null,
    intents: intents.map((entry) => maskDeep(entry)),
    tried: [...new Set(session.tried)],
    // The records store holds masked text already; the newest part is what a person reads first.
    transcript: input.transcript.slice(-MAX_TRANSCRIPT_ENTRIES),
    summary: summarizeHandoff({
      locale: session.locale,
      words: input.words ?? null,
      model: input.model ?? null,
      intents,
      verified: session.customer?.verified === true,
      reason: decision.reason,
    }),
    sentiment: sentimentOf(session.sentimentScores),
    queue: decision.queue,
    createdAt: at,
    updatedAt: at,
    status: 'waiting',
    callback: null,
    previousHandoffId: decision.previousHandoffId ?? null,
    callerKey: session.callerId ? callerKeyOf(session.callerId) : null,
    transferred: input.transferred ?? false,
  };
}
