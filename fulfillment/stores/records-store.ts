// The records store contract: what must outlive a session, namely transcripts and the handoff packages agents pick up.
import type { HandoffPackage } from '../core/types.ts';

export interface TranscriptRecord {
  sessionId: string;
  turnId: string;
  channel: string;
  locale: string;
  speaker: 'customer' | 'bot';
  /** already masked by the caller: the store never sees personal data in the clear */
  text: string;
  intent: string | null;
  confidence: number | null;
  /** ISO datetime */
  at: string;
}

export interface HandoffQuery {
  status?: HandoffPackage['status'];
  /** default 100 */
  limit?: number;
}

export interface RecordsStore {
  /** all records in one transaction: a turn's transcript is stored completely or not at all */
  appendTranscript(records: readonly TranscriptRecord[]): Promise<void>;
  /** in the order they were appended; with `since` (ISO time), only records from then on */
  listTranscript(sessionId: string, since?: string): Promise<TranscriptRecord[]>;
  /** insert or replace by id; rejects a package that does not parse with handoffPackageSchema */
  saveHandoff(pkg: HandoffPackage): Promise<void>;
  getHandoff(id: string): Promise<HandoffPackage | null>;
  /** the newest package with that code: codes are short, so an old one may be reused */
  getHandoffByCode(code: string): Promise<HandoffPackage | null>;
  /** newest first */
  listHandoffs(query?: HandoffQuery): Promise<HandoffPackage[]>;
  /** resolves when the store answers (for /readyz); optional: without it, readiness lists one handoff */
  ping?: () => Promise<void>;
  /**
   * Waiting handoffs of one caller (their `callerKey`) created at or after `since` (ISO), newest first: how the phone
   * line recognises a returning caller. Optional: without it, fulfillment/handoff/continuity.ts scans listHandoffs.
   */
  findWaitingByCallerKey?: (callerKey: string, since: string) => Promise<HandoffPackage[]>;
  close(): Promise<void>;
}

export const DEFAULT_HANDOFF_LIST_LIMIT = 100;
