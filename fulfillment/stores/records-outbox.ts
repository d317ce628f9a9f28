// The outbox in front of the production records store. When Postgres is unreachable, transcripts, handoff packages
// and customer links wait in a small SQLite file on this instance's disk and are written, in order, once it answers
// again. Customers keep talking and agents keep getting handoffs through an outage; nothing is lost, and a restart of
// this process while records wait finds them in the file.
//
// While anything waits, every new write queues behind it, so the database receives changes in the order they were
// made (a package is never overwritten by an older version of itself). Reads see what waits: a handoff still in the
// outbox is found by id and code, and a conversation's transcript comes from a small memory of recent turns.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { messageOf } from '../core/error-message.ts';
import type { HandoffPackage } from '../core/types.ts';
import { validHandoffPackage } from './records-rows.ts';
import type {
  CustomerRecords,
  ErasureReport,
  HandoffQuery,
  RecordsStore,
  RetentionReport,
  TranscriptRecord,
} from './records-store.ts';
import { DEFAULT_HANDOFF_LIST_LIMIT } from './records-store.ts';
import { isStoreUnavailable } from './store-unavailable.ts';

export type OutboxWrite =
  | { kind: 'transcript'; records: TranscriptRecord[] }
  | { kind: 'handoff'; pkg: HandoffPackage }
  | { kind: 'link'; sessionId: string; customerId: string; at: string };

type QueuedWrite = OutboxWrite & { seq: number; refusals: number };

export interface RecordsOutboxEvents {
  /** the database stopped answering; records now wait in the outbox */
  unavailable?: (error: unknown, pending: number) => void;
  /** a round of writing what waited ended: how many were written, how many still wait */
  flushed?: (written: number, pending: number) => void;
  /** the database refused one write `maxRefusals` times: it is set aside in the file (kept, not lost) */
  parked?: (write: { kind: OutboxWrite['kind']; seq: number }, error: unknown) => void;
}

export interface RecordsOutboxOptions {
  inner: RecordsStore;
  /** the SQLite file records wait in; its directory is created when missing */
  file: string;
  clock?: () => Date;
  /** the first retry after a failure waits this long, each next one twice as long up to maxRetryMs */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** a write the database refuses (rather than cannot take) this many times is parked */
  maxRefusals?: number;
  /** conversations whose recent transcript is kept in memory for reads during an outage */
  recentSessions?: number;
  events?: RecordsOutboxEvents;
}

export interface RecordsOutbox extends RecordsStore {
  /** writes waiting for the database */
  pending(): number;
  /** write what waits now, in order; resolves with how many were written */
  flush(): Promise<number>;
}

const RECENT_RECORDS_PER_SESSION = 400;

function transcriptKey(record: TranscriptRecord): string {
  return `${record.turnId}\u0000${record.speaker}\u0000${record.at}`;
}

/** Records from two sources (database and outbox) in time order, each once. */
export function mergeTranscripts(
  stored: readonly TranscriptRecord[],
  waiting: readonly TranscriptRecord[],
): TranscriptRecord[] {
  if (waiting.length === 0) return [...stored];
  const seen = new Set(stored.map(transcriptKey));
  const merged = [...stored, ...waiting.filter((record) => !seen.has(transcriptKey(record)))];
  // ISO UTC text sorts as time; the sort is stable, so records of one moment keep their order.
  return merged.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The database's list with the waiting versions laid over it: newest first, filtered and cut like the store's. */
export function mergeHandoffs(
  stored: readonly HandoffPackage[],
  waiting: readonly HandoffPackage[],
  query: HandoffQuery,
): HandoffPackage[] {
  const byId = new Map(stored.map((pkg) => [pkg.id, pkg]));
  for (const pkg of waiting) byId.set(pkg.id, pkg);
  const limit = Math.max(1, Math.floor(query.limit ?? DEFAULT_HANDOFF_LIST_LIMIT));
  return [...byId.values()]
    .filter((pkg) => !query.status || pkg.status === query.status)
    .filter((pkg) => query.createdBefore === undefined || pkg.createdAt < query.createdBefore)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, limit);
}

export function createRecordsOutbox(options: RecordsOutboxOptions): RecordsOutbox {
  const { inner, events = {} } = options;
  const clock = options.clock ?? (() => new Date());
  const firstRetryMs = options.firstRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const maxRefusals = options.maxRefusals ?? 5;
  const recentSessionLimit = options.recentSessions ?? 2000;

  fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  // Every queued write is on disk before the turn that made it answers: that is the point of the file.
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      payload TEXT NOT NULL,
      queued_at TEXT NOT NULL,
      refusals INTEGER NOT NULL DEFAULT 0,
      parked_at TEXT,
      last_error TEXT
    )`);
  const insertRow = db.prepare<[string, string, string]>(
    'INSERT INTO outbox (kind, payload, queued_at) VALUES (?, ?, ?)',
  );
  const deleteRow = db.prepare<[number]>('DELETE FROM outbox WHERE seq = ?');
  const refuseRow = db.prepare<[string, number]>(
    'UPDATE outbox SET refusals = refusals + 1, last_error = ? WHERE seq = ?',
  );
  const parkRow = db.prepare<[string, string, number]>(
    'UPDATE outbox SET parked_at = ?, last_error = ? WHERE seq = ?',
  );

  // What waits, in order: the file's rows from an earlier run first.
  const queue: QueuedWrite[] = db
    .prepare<[], { seq: number; payload: string; refusals: number }>(
      'SELECT seq, payload, refusals FROM outbox WHERE parked_at IS NULL ORDER BY seq',
    )
    .all()
    .map((row) => ({ ...(JSON.parse(row.payload) as OutboxWrite), seq: row.seq, refusals: row.refusals }));

  // Recent transcript records per conversation, least recently written first: what a turn reads back for a handoff
  // package when the database cannot answer.
  const recent = new Map<string, TranscriptRecord[]>();
  function remember(records: readonly TranscriptRecord[]) {
    for (const record of records) {
      const list = recent.get(record.sessionId) ?? [];
      recent.delete(record.sessionId);
      list.push(record);
      if (list.length > RECENT_RECORDS_PER_SESSION) list.splice(0, list.length - RECENT_RECORDS_PER_SESSION);
      recent.set(record.sessionId, list);
    }
    while (recent.size > recentSessionLimit) {
      const oldest = recent.keys().next().value;
      if (oldest === undefined) break;
      recent.delete(oldest);
    }
  }

  let closed = false;
  let retryDelayMs = firstRetryMs;
  let retryTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<number> | null = null;
  let reportedUnavailable = false;
  /** the last unreachability seen by a ping, for readiness */
  let lastUnavailable: string | null = null;

  function scheduleRetry() {
    if (retryTimer || closed || queue.length === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void flush();
    }, retryDelayMs);
    retryTimer.unref();
    retryDelayMs = Math.min(retryDelayMs * 2, maxRetryMs);
  }

  function noteUnavailable(error: unknown) {
    if (reportedUnavailable) return;
    reportedUnavailable = true;
    events.unavailable?.(error, queue.length);
  }

  function enqueue(write: OutboxWrite) {
    const result = insertRow.run(write.kind, JSON.stringify(write), clock().toISOString());
    queue.push({ ...write, seq: Number(result.lastInsertRowid), refusals: 0 });
    scheduleRetry();
  }

  function writeThrough(write: OutboxWrite): Promise<void> {
    switch (write.kind) {
      case 'transcript':
        return inner.appendTranscript(write.records);
      case 'handoff':
        return inner.saveHandoff(write.pkg);
      case 'link':
        return inner.linkCustomer(write.sessionId, write.customerId, write.at);
    }
  }

  /** Straight to the database when nothing waits; into the outbox when something does or the database is away. */
  async function write(next: OutboxWrite): Promise<void> {
    if (queue.length === 0) {
      try {
        await writeThrough(next);
        return;
      } catch (error) {
        // A refusal (a bad package, a constraint) is the caller's to hear; only unreachability is ours to absorb.
        if (!isStoreUnavailable(error)) throw error;
        noteUnavailable(error);
      }
    }
    enqueue(next);
  }

  async function drain(): Promise<number> {
    let written = 0;
    while (queue.length > 0 && !closed) {
      const next = queue[0] as QueuedWrite;
      try {
        await writeThrough(next);
      } catch (error) {
        if (isStoreUnavailable(error)) {
          noteUnavailable(error);
          events.flushed?.(written, queue.length);
          scheduleRetry();
          return written;
        }
        next.refusals += 1;
        refuseRow.run(messageOf(error), next.seq);
        if (next.refusals < maxRefusals) {
          scheduleRetry();
          return written;
        }
        // Kept in the file for an operator, out of the way of everything queued behind it.
        parkRow.run(clock().toISOString(), messageOf(error), next.seq);
        queue.shift();
        events.parked?.({ kind: next.kind, seq: next.seq }, error);
        continue;
      }
      deleteRow.run(next.seq);
      queue.shift();
      written += 1;
    }
    retryDelayMs = firstRetryMs;
    if (written > 0 || reportedUnavailable) events.flushed?.(written, queue.length);
    reportedUnavailable = false;
    return written;
  }

  function flush(): Promise<number> {
    if (!flushing) {
      flushing = drain().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  }

  const waitingHandoffs = (): HandoffPackage[] => {
    const latest = new Map<string, HandoffPackage>();
    for (const write of queue) if (write.kind === 'handoff') latest.set(write.pkg.id, write.pkg);
    return [...latest.values()];
  };
  const waitingTranscript = (sessionId: string, since: string): TranscriptRecord[] =>
    queue.flatMap((write) =>
      write.kind === 'transcript'
        ? write.records.filter((record) => record.sessionId === sessionId && record.at >= since)
        : [],
    );

  if (queue.length > 0) void flush();

  return {
    async appendTranscript(records) {
      if (records.length === 0) return;
      remember(records);
      await write({ kind: 'transcript', records: [...records] });
    },
    async listTranscript(sessionId, since = '') {
      try {
        return mergeTranscripts(
          await inner.listTranscript(sessionId, since),
          waitingTranscript(sessionId, since),
        );
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        noteUnavailable(error);
        // What this instance saw of the conversation, which includes everything waiting in the outbox.
        return (recent.get(sessionId) ?? []).filter((record) => record.at >= since);
      }
    },
    async saveHandoff(pkg) {
      // Refused here, to the caller, rather than parked later: a package that does not parse never will.
      await write({ kind: 'handoff', pkg: validHandoffPackage(pkg) });
    },
    async updateHandoff(id, change) {
      if (queue.length === 0) {
        try {
          return await inner.updateHandoff(id, change);
        } catch (error) {
          if (!isStoreUnavailable(error)) throw error;
          noteUnavailable(error);
        }
      }
      // The database is away or writes wait: change the newest version this instance knows and queue it. Without the
      // row lock, two instances changing one package meanwhile fall back to "the last write wins".
      const before = waitingHandoffs().find((pkg) => pkg.id === id) ?? (await inner.getHandoff(id));
      if (!before) return null;
      const next = change(before);
      const after = next ? validHandoffPackage(next) : null;
      if (after) await write({ kind: 'handoff', pkg: after });
      return { before, after };
    },
    async getHandoff(id) {
      // A waiting version is newer than anything the database has.
      const waiting = waitingHandoffs().find((pkg) => pkg.id === id);
      return waiting ?? inner.getHandoff(id);
    },
    async getHandoffByCode(code) {
      const waiting = waitingHandoffs()
        .filter((pkg) => pkg.code === code)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
      let stored: HandoffPackage | null;
      try {
        stored = await inner.getHandoffByCode(code);
      } catch (error) {
        if (waiting && isStoreUnavailable(error)) return waiting;
        throw error;
      }
      if (!waiting) return stored;
      return stored && stored.createdAt > waiting.createdAt ? stored : waiting;
    },
    async listHandoffs(query = {}) {
      return mergeHandoffs(await inner.listHandoffs(query), waitingHandoffs(), query);
    },
    async findWaitingByCallerKey(callerKey, since) {
      const waiting = waitingHandoffs().filter(
        (pkg) => pkg.status === 'waiting' && pkg.callerKey === callerKey && pkg.createdAt >= since,
      );
      let stored: HandoffPackage[] = [];
      try {
        stored = inner.findWaitingByCallerKey
          ? await inner.findWaitingByCallerKey(callerKey, since)
          : (await inner.listHandoffs({ status: 'waiting' })).filter(
              (pkg) => pkg.callerKey === callerKey && pkg.createdAt >= since,
            );
      } catch (error) {
        // Recognising a returning caller is a nicety: an outage must not fail their turn over it.
        if (!isStoreUnavailable(error)) throw error;
      }
      return mergeHandoffs(stored, waiting, { status: 'waiting', limit: 20 });
    },
    async linkCustomer(sessionId, customerId, at) {
      await write({ kind: 'link', sessionId, customerId, at });
    },
    exportCustomer(customerId): Promise<CustomerRecords> {
      return inner.exportCustomer(customerId);
    },
    eraseCustomer(customerId): Promise<ErasureReport> {
      return inner.eraseCustomer(customerId);
    },
    applyRetention(before): Promise<RetentionReport> {
      return inner.applyRetention(before);
    },
    async ping() {
      try {
        await (inner.ping ? inner.ping() : inner.listHandoffs({ limit: 1 }));
        lastUnavailable = null;
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        // Still ready: turns and handoffs go on through the outbox. Taking every instance out of the load balancer
        // because the database is away would turn a records outage into a full one. `degradation` says why.
        lastUnavailable = messageOf(error);
      }
    },
    degradation() {
      if (lastUnavailable) return `${lastUnavailable}; ${queue.length} write(s) waiting in the outbox`;
      return queue.length > 0 ? `${queue.length} write(s) waiting in the outbox` : null;
    },
    pending: () => queue.length,
    flush,
    async close() {
      if (queue.length > 0 && !closed) {
        // One last try, bounded: what is still waiting stays in the file for the next start.
        await Promise.race([flush(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      }
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await flushing?.catch(() => undefined);
      db.close();
      await inner.close();
    },
  };
}
