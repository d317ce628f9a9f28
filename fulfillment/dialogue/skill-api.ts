// The API a skill sees: a skill is one intent's fulfilment, a plain async function from context to result.
// Skills never produce literal text: they name prompt keys from locales/<locale>/prompts.yaml, so designers own the words.
import type { Backend, Customer } from '../backend/backend.ts';
import type { HandoffReason, SlotValues } from '../core/types.ts';

/** A typed parameter: the composer renders it per locale and channel (digits read one by one, amounts in euros, ...). */
export type PromptParam =
  | string
  | number
  | { sayAs: 'digits' | 'telephone' | 'postcode' | 'spell'; value: string }
  | { sayAs: 'date'; value: string /* YYYY-MM-DD */ }
  | { sayAs: 'time'; value: string /* ISO datetime */ }
  | { sayAs: 'month'; value: string /* YYYY-MM */ }
  | { sayAs: 'amount'; cents: number };

export interface PromptRef {
  key: string;
  params?: Record<string, PromptParam>;
}

export interface SkillContext {
  intent: string;
  /** canonical slot values (entity ids, ISO dates, E.164 numbers, digit strings) */
  slots: Readonly<SlotValues>;
  /** the identified customer (verified when the intent requires it), or null */
  customer: Customer | null;
  backend: Backend;
  locale: string;
  now: Date;
}

export type SkillResult =
  /** answer; unless `end` is set the engine adds a short "anything else?" */
  | { kind: 'answer'; prompts: PromptRef[]; end?: boolean }
  /** the slot value does not work (an unknown order number): say the hint and ask for the slot again */
  | { kind: 'reject-slot'; slot: string; hint: PromptRef }
  /** ask for an optional slot the skill turns out to need after all (no postcode given and no account to take it from) */
  | { kind: 'ask-slot'; slot: string }
  /** hand over to a person, saying these prompts first (the engine adds how the handoff happens) */
  | { kind: 'handoff'; prompts: PromptRef[]; reason?: HandoffReason; queue?: string };

export interface Skill {
  intent: string;
  /** prompt keys this skill may use: `loket validate` checks that every locale has them */
  promptKeys: readonly string[];
  run(context: SkillContext): Promise<SkillResult>;
}
