// What the dialogue engine decides for one turn: which prompts to say, what it now expects, and whether to end or hand over.
import type { CallbackRequest, Expectation, HandoffReason, Session, Understanding } from '../core/types.ts';
import type { PromptParam, PromptRef } from './skill-api.ts';

/** A prompt whose parameters may themselves be prompts (e.g. `noInput.first` with the pending `{question}`). */
export interface Utterance {
  key: string;
  params?: Record<string, PromptParam | { prompt: Utterance }>;
}

export interface HandoffDecision {
  id: string;
  code: string;
  reason: HandoffReason;
  queue: string;
  /** the earlier handoff this one continues: the caller phoned back with its code or from its number */
  previousHandoffId?: string;
  /** no transfer possible: the engine offers a callback instead of closing with the phone number and code */
  offerCallback?: boolean;
}

/** An earlier handoff still waiting for a person, found by its code or the caller's number (cross-channel continuity). */
export interface ResumableHandoff {
  id: string;
  code: string;
  reason: HandoffReason;
  queue: string;
  /** the designer's name for what it was about, spoken to the customer ("uw verhuizing"); null when unknown */
  topic: string | null;
}

/** A callback the customer arranged on this turn: the shell stores it with the handoff's package. */
export interface CallbackDecision {
  handoffId: string;
  phone: string;
  preferredMoment: CallbackRequest['preferredMoment'];
}

export interface Decision {
  /** a `repeat` decision says the previous reply again, word for word */
  repeatLastReply: boolean;
  say: Utterance[];
  /** said again as the reprompt when the reply expects an answer */
  question: Utterance | null;
  expecting: Expectation | null;
  end: boolean;
  handoff: HandoffDecision | null;
  /** set on the turn a callback was arranged */
  callback?: CallbackDecision | null;
  understood: Understanding;
  session: Session;
}

export function prompt(key: string, params?: Utterance['params']): Utterance {
  return params ? { key, params } : { key };
}

export function asUtterance(ref: PromptRef): Utterance {
  return ref.params ? { key: ref.key, params: ref.params } : { key: ref.key };
}
