// What the conversation shell needs from the handoff layer on a turn: store a new package (linking a continued one),
// attach a callback, and find an earlier handoff a caller may be phoning about.
import type { HandoffPackage } from '../core/types.ts';
import type { CallbackDecision, ResumableHandoff } from '../dialogue/decision.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import { attachCallback } from './callbacks.ts';
import { findResumableHandoff, type ResumableQuery, storeContinuedHandoff } from './continuity.ts';
import type { HandoffDesk } from './desk.ts';
import type { HandoffWords } from './words.ts';

export interface TurnHandoffHooks {
  /** whether the engine may offer a callback where a call cannot be transferred (LOKET_CALLBACKS) */
  offerCallbacks: boolean;
  /** store the package a turn built; one that continues an earlier handoff takes that package along */
  saveNew(pkg: HandoffPackage, now: Date): Promise<HandoffPackage>;
  attachCallback(callback: CallbackDecision, now: Date): Promise<void>;
  findResumable(query: ResumableQuery, now: Date): Promise<ResumableHandoff | null>;
}

export function createTurnHandoffHooks(options: {
  desk: HandoffDesk;
  records: RecordsStore;
  wordsFor: (locale: string) => HandoffWords | null;
  offerCallbacks: boolean;
}): TurnHandoffHooks {
  const { desk, records, wordsFor } = options;
  return {
    offerCallbacks: options.offerCallbacks,
    saveNew: (pkg, now) =>
      pkg.previousHandoffId ? storeContinuedHandoff(desk, records, pkg, wordsFor, now) : desk.create(pkg),
    async attachCallback(callback, now) {
      const result = await attachCallback(desk, callback, wordsFor, now);
      if (!result.ok)
        throw new Error(`could not attach the callback to handoff ${callback.handoffId}: ${result.message}`);
    },
    findResumable: (query, now) => findResumableHandoff(records, query, wordsFor, now),
  };
}
