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
  /** only packages created before this moment (ISO): the retention job's expiry reads the old waiting ones */
  createdBefore?: string;
  /** default 100 */
  limit?: number;
}

/** Everything Loket keeps about one customer (GDPR access request): `loket privacy export --customer <id>`. */
export interface CustomerRecords {
  customerId: string;
  /**
   * the conversations known to be this customer's: linked when the customer was identified, or named by one of their
   * handoff packages (stored before links existed; `linkedAt` is then the package's creation time)
   */
  sessions: { sessionId: string; linkedAt: string }[];
  transcripts: TranscriptRecord[];
  handoffs: HandoffPackage[];
}

/** How much an erasure removed: `loket privacy erase --customer <id>`. */
export interface ErasureReport {
  sessions: number;
  transcripts: number;
  handoffs: number;
}

/** What one retention run removed or changed. */
export interface RetentionReport {
  transcripts: number;
  /** old handoff packages whose transcript and callback number were removed */
  handoffsScrubbed: number;
  /** old session-to-customer links whose session has no transcript left (the packages keep their customer) */
  sessionLinks: number;
}

/** A change to one stored package: the new version, or null to leave it as it is. Pure: a store may run it again. */
export type HandoffUpdate = (current: HandoffPackage) => HandoffPackage | null;

export interface HandoffUpdateOutcome {
  before: HandoffPackage;
  /** what was stored, or null when the change stored nothing */
  after: HandoffPackage | null;
}

export interface RecordsStore {
  /** all records in one transaction: a turn's transcript is stored completely or not at all */
  appendTranscript(records: readonly TranscriptRecord[]): Promise<void>;
  /** in the order they were appended; with `since` (ISO time), only records from then on */
  listTranscript(sessionId: string, since?: string): Promise<TranscriptRecord[]>;
  /** insert or replace by id; rejects a package that does not parse with handoffPackageSchema */
  saveHandoff(pkg: HandoffPackage): Promise<void>;
  getHandoff(id: string): Promise<HandoffPackage | null>;
  /**
   * Reads one package, applies `change` and stores what it returns, as one atomic step across instances (a row lock in
   * Postgres, an immediate transaction in SQLite): two agents on two instances accepting at once are served one after
   * the other, and the second sees the first's change. `change` returns null to store nothing. Null when there is no
   * package with that id.
   */
  updateHandoff(id: string, change: HandoffUpdate): Promise<HandoffUpdateOutcome | null>;
  /** the newest package with that code: codes are short, so an old one may be reused */
  getHandoffByCode(code: string): Promise<HandoffPackage | null>;
  /** newest first */
  listHandoffs(query?: HandoffQuery): Promise<HandoffPackage[]>;
  /** resolves when the store can take work (for /readyz); optional: without it, readiness lists one handoff */
  ping?: () => Promise<void>;
  /**
   * why the store serves in a degraded way right now, or null (for /readyz): the database is away and writes wait in
   * the outbox. Degraded is still ready.
   */
  degradation?: () => string | null;
  /**
   * Waiting handoffs of one caller (their `callerKey`) created at or after `since` (ISO), newest first: how the phone
   * line recognises a returning caller. Optional: without it, fulfillment/handoff/continuity.ts scans listHandoffs.
   */
  findWaitingByCallerKey?: (callerKey: string, since: string) => Promise<HandoffPackage[]>;
  /**
   * GDPR: remember that a session turned out to be this customer's (once identified), so that an access or erasure
   * request finds the whole conversation, including the turns before identification. Idempotent.
   */
  linkCustomer(sessionId: string, customerId: string, at: string): Promise<void>;
  exportCustomer(customerId: string): Promise<CustomerRecords>;
  /** deletes the customer's transcripts, handoff packages and session links; returns the counts */
  eraseCustomer(customerId: string): Promise<ErasureReport>;
  /**
   * retention: removes transcript records from before `before` (ISO), and the transcript and callback number of
   * packages created before it that are no longer waiting; idempotent (a second run finds nothing left to do)
   */
  applyRetention(before: string): Promise<RetentionReport>;
  close(): Promise<void>;
}

export const DEFAULT_HANDOFF_LIST_LIMIT = 100;
