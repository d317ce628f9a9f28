// What the dialogue engine decides for one turn: which prompts to say, what it now expects, and whether to end or hand over.
import type { Expectation, HandoffReason, Session, Understanding } from '../core/types.ts';
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
  understood: Understanding;
  session: Session;
}

export function prompt(key: string, params?: Utterance['params']): Utterance {
  return params ? { key, params } : { key };
}

export function asUtterance(ref: PromptRef): Utterance {
  return ref.params ? { key: ref.key, params: ref.params } : { key: ref.key };
}
