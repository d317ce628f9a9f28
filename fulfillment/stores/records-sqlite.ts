// The embedded records store: transcripts and handoff packages in one SQLite file, versioned with migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HandoffPackage } from '../core/types.ts';
import {
  type CustomerSessionRow,
  sortableTimestamp,
  type TranscriptRow,
  toCustomerSession,
  toHandoffPackage,
  toTranscriptRecord,
  validHandoffPackage,
} from './records-rows.ts';
import {
  type CustomerRecords,
  DEFAULT_HANDOFF_LIST_LIMIT,
  type HandoffUpdate,
  type HandoffUpdateOutcome,
  type RecordsStore,
  type TranscriptRecord,
} from './records-store.ts';

export interface SqliteRecordsStoreOptions {
  /** path of the database file; its directory is created when missing */
  file: string;
  /**
   * Write-behind for transcripts: records within this many milliseconds are written in one transaction (0 = at
   * once). Reads flush first, and `close` flushes; a crash loses at most this window. Handoffs are always written at once.
   */
  writeBatchMs?: number;
  /** a failed batch write (disk full, ...) */
  onWriteError?: (error: unknown) => void;
  /** a stored package that no longer parses: listHandoffs leaves it out instead of failing the whole list */
  onCorruptHandoff?: (id: string, error: unknown) => void;
}

/** Each entry moves the schema one version up; append new ones, never edit old ones (files in the field have them). */
export const RECORDS_SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE transcripts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    turn_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    locale TEXT NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('customer', 'bot')),
    text TEXT NOT NULL,
    intent TEXT,
    confidence REAL,
    at TEXT NOT NULL
  );
  CREATE INDEX transcripts_session ON transcripts (session_id, seq);
  CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    package TEXT NOT NULL
  );
  CREATE INDEX handoffs_code ON handoffs (code, created_at);
  CREATE INDEX handoffs_status ON handoffs (status, created_at);
  CREATE INDEX handoffs_created_at ON handoffs (created_at);
  `,
  // GDPR: which sessions turned out to be whose, so an access or erasure request finds the turns before
  // identification too; and an index on `at` so the retention job does not scan every transcript row.
  `
  CREATE TABLE session_customers (
    session_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (session_id, customer_id)
  );
  CREATE INDEX session_customers_customer ON session_customers (customer_id);
  CREATE INDEX transcripts_at ON transcripts (at);
  `,
];

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const latest = RECORDS_SQLITE_MIGRATIONS.length;
  // IMMEDIATE takes the write lock before the version is read: a second process opening the same file (the CLI next
  // to the server) waits here and then finds nothing left to do, instead of applying the same migration twice.
  const applyPending = db.transaction(() => {
    const current =
      db.prepare<[], { version: number }>('SELECT version FROM schema_version').get()?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `records database is at schema version ${current}, newer than this release knows (${latest})`,
      );
    }
    if (current === latest) return;
    for (const migration of RECORDS_SQLITE_MIGRATIONS.slice(current)) db.exec(migration);
    db.exec('DELETE FROM schema_version');
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(latest);
  });
  applyPending.immediate();
}

export function createSqliteRecordsStore(options: SqliteRecordsStoreOptions): RecordsStore {
  if (options.file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  }
  const db = new Database(options.file);
  // WAL lets the agent console read while turns write; busy_timeout covers a second process on the same file.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const insertTranscript = db.prepare<[TranscriptRow]>(
    `INSERT INTO transcripts (session_id, turn_id, channel, locale, speaker, text, intent, confidence, at)
     VALUES (@session_id, @turn_id, @channel, @locale, @speaker, @text, @intent, @confidence, @at)`,
  );
  // `at` is always UTC ISO text from one clock, so text order is time order.
  const selectTranscript = db.prepare<[string, string], TranscriptRow>(
    `SELECT session_id, turn_id, channel, locale, speaker, text, intent, confidence, at
     FROM transcripts WHERE session_id = ? AND at >= ? ORDER BY seq`,
  );
  const upsertHandoff = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO handoffs (id, code, status, created_at, package) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       code = excluded.code, status = excluded.status, created_at = excluded.created_at, package = excluded.package`,
  );
  type HandoffRow = { id: string; package: string };
  const selectHandoff = db.prepare<[string], HandoffRow>('SELECT id, package FROM handoffs WHERE id = ?');
  // rowid breaks ties between packages created in the same millisecond: the later insert is the newer one.
  const selectNewestByCode = db.prepare<[string], HandoffRow>(
    'SELECT id, package FROM handoffs WHERE code = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  );
  const selectNewest = db.prepare<[number], HandoffRow>(
    'SELECT id, package FROM handoffs ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const selectNewestByStatus = db.prepare<[string, number], HandoffRow>(
    'SELECT id, package FROM handoffs WHERE status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const selectNewestBefore = db.prepare<[string, number], HandoffRow>(
    'SELECT id, package FROM handoffs WHERE created_at < ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const selectNewestByStatusBefore = db.prepare<[string, string, number], HandoffRow>(
    `SELECT id, package FROM handoffs WHERE status = ? AND created_at < ?
     ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  // The status index narrows it to today's waiting rows; only those are read as JSON, and only matches parsed.
  const selectWaitingByCallerKey = db.prepare<[string, string], HandoffRow>(
    `SELECT id, package FROM handoffs WHERE status = 'waiting' AND created_at >= ?
       AND json_extract(package, '$.callerKey') = ? ORDER BY created_at DESC, rowid DESC LIMIT 20`,
  );

  /** A field of a stored package; NULL in a row that is not valid JSON, so one damaged row cannot fail a query. */
  const packageField = (jsonPath: string) =>
    `CASE WHEN json_valid(package) THEN json_extract(package, '${jsonPath}') END`;
  const insertLink = db.prepare<[string, string, string]>(
    `INSERT INTO session_customers (session_id, customer_id, linked_at) VALUES (?, ?, ?)
     ON CONFLICT (session_id, customer_id) DO NOTHING`,
  );
  // The customer's sessions: their links, plus sessions only their handoff packages name (from before links existed).
  const selectCustomerSessions = db.prepare<[{ customer: string }], CustomerSessionRow>(
    `SELECT session_id, linked_at FROM session_customers WHERE customer_id = @customer
     UNION ALL
     SELECT ${packageField('$.sessionId')}, min(created_at) FROM handoffs
     WHERE ${packageField('$.customer.id')} = @customer
       AND ${packageField('$.sessionId')} NOT IN
         (SELECT session_id FROM session_customers WHERE customer_id = @customer)
     GROUP BY 1
     ORDER BY 2, 1`,
  );
  // Session ids go in as one JSON array: json_each turns it into a list without building SQL per call.
  const selectTranscriptsOfSessions = db.prepare<[string], TranscriptRow>(
    `SELECT session_id, turn_id, channel, locale, speaker, text, intent, confidence, at
     FROM transcripts WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  );
  const customerHandoffs = `${packageField('$.customer.id')} = @customer
    OR ${packageField('$.sessionId')} IN (SELECT value FROM json_each(@sessions))`;
  const selectCustomerHandoffs = db.prepare<[{ customer: string; sessions: string }], HandoffRow>(
    `SELECT id, package FROM handoffs WHERE ${customerHandoffs} ORDER BY created_at, rowid`,
  );
  const deleteTranscriptsOfSessions = db.prepare<[string]>(
    'DELETE FROM transcripts WHERE session_id IN (SELECT value FROM json_each(?))',
  );
  const deleteCustomerHandoffs = db.prepare<[{ customer: string; sessions: string }]>(
    `DELETE FROM handoffs WHERE ${customerHandoffs}`,
  );
  const deleteCustomerLinks = db.prepare<[string]>('DELETE FROM session_customers WHERE customer_id = ?');
  const deleteTranscriptsBefore = db.prepare<[string]>('DELETE FROM transcripts WHERE at < ?');
  // Only packages that still hold something to remove, so a second run changes (and counts) nothing.
  const scrubHandoffsBefore = db.prepare<[string]>(
    `UPDATE handoffs SET package = json_set(package, '$.transcript', json('[]'), '$.callback', NULL)
     WHERE created_at < ? AND status <> 'waiting'
       AND CASE WHEN json_valid(package)
             THEN json_array_length(package, '$.transcript') > 0
                  OR coalesce(json_type(package, '$.callback'), 'null') <> 'null'
             ELSE 0 END`,
  );
  const deleteLinksBefore = db.prepare<[string]>(
    `DELETE FROM session_customers WHERE linked_at < ?
       AND NOT EXISTS (SELECT 1 FROM transcripts WHERE transcripts.session_id = session_customers.session_id)`,
  );

  const readCustomer = (customerId: string): CustomerRecords => {
    const sessions = selectCustomerSessions.all({ customer: customerId }).map(toCustomerSession);
    const sessionIds = JSON.stringify(sessions.map((session) => session.sessionId));
    return {
      customerId,
      sessions,
      transcripts: selectTranscriptsOfSessions.all(sessionIds).map(toTranscriptRecord),
      // An access request must be complete: a package that no longer parses fails it, naming the package.
      handoffs: selectCustomerHandoffs
        .all({ customer: customerId, sessions: sessionIds })
        .map((row) => toHandoffPackage(row.id, JSON.parse(row.package))),
    };
  };
  const writeHandoff = (valid: HandoffPackage) =>
    upsertHandoff.run(
      valid.id,
      valid.code,
      valid.status,
      sortableTimestamp(valid.createdAt),
      JSON.stringify(valid),
    );
  // IMMEDIATE takes the write lock before the read: another process on the same file waits (busy_timeout) instead of
  // changing the package between this read and this write.
  const updateInTransaction = db.transaction(
    (id: string, change: HandoffUpdate): HandoffUpdateOutcome | null => {
      const row = selectHandoff.get(id);
      if (!row) return null;
      const before = toHandoffPackage(row.id, JSON.parse(row.package));
      const next = change(before);
      if (!next) return { before, after: null };
      const after = validHandoffPackage(next);
      writeHandoff(after);
      return { before, after };
    },
  );
  const updateAtomically = (id: string, change: HandoffUpdate) => updateInTransaction.immediate(id, change);
  const eraseAll = db.transaction((customerId: string) => {
    const sessions = selectCustomerSessions.all({ customer: customerId });
    const sessionIds = JSON.stringify(sessions.map((session) => session.session_id));
    const transcripts = deleteTranscriptsOfSessions.run(sessionIds).changes;
    const handoffs = deleteCustomerHandoffs.run({ customer: customerId, sessions: sessionIds }).changes;
    deleteCustomerLinks.run(customerId);
    return { sessions: sessions.length, transcripts, handoffs };
  });
  const retainAll = db.transaction((before: string) => ({
    transcripts: deleteTranscriptsBefore.run(before).changes,
    handoffsScrubbed: scrubHandoffsBefore.run(before).changes,
    sessionLinks: deleteLinksBefore.run(before).changes,
  }));

  const appendAll = db.transaction((records: readonly TranscriptRecord[]) => {
    for (const record of records) {
      insertTranscript.run({
        session_id: record.sessionId,
        turn_id: record.turnId,
        channel: record.channel,
        locale: record.locale,
        speaker: record.speaker,
        text: record.text,
        intent: record.intent,
        confidence: record.confidence,
        at: record.at,
      });
    }
  });

  let pending: TranscriptRecord[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.length === 0 || !db.open) return;
    const batch = pending;
    pending = [];
    try {
      appendAll(batch);
    } catch (error) {
      options.onWriteError?.(error);
    }
  };

  return {
    async appendTranscript(records) {
      if (records.length === 0) return;
      if (!options.writeBatchMs) {
        appendAll(records);
        return;
      }
      pending.push(...records);
      flushTimer ??= setTimeout(flush, options.writeBatchMs);
    },
    async listTranscript(sessionId, since = '') {
      flush();
      return selectTranscript.all(sessionId, since).map(toTranscriptRecord);
    },
    async saveHandoff(pkg) {
      writeHandoff(validHandoffPackage(pkg));
    },
    async updateHandoff(id, change) {
      return updateAtomically(id, change);
    },
    async getHandoff(id) {
      const row = selectHandoff.get(id);
      return row ? toHandoffPackage(row.id, JSON.parse(row.package)) : null;
    },
    async getHandoffByCode(code) {
      const row = selectNewestByCode.get(code);
      return row ? toHandoffPackage(row.id, JSON.parse(row.package)) : null;
    },
    async listHandoffs(query = {}) {
      const limit = Math.max(1, Math.floor(query.limit ?? DEFAULT_HANDOFF_LIST_LIMIT));
      const before = query.createdBefore === undefined ? null : sortableTimestamp(query.createdBefore);
      const rows =
        before === null
          ? query.status
            ? selectNewestByStatus.all(query.status, limit)
            : selectNewest.all(limit)
          : query.status
            ? selectNewestByStatusBefore.all(query.status, before, limit)
            : selectNewestBefore.all(before, limit);
      // One unreadable row must not take the agents' whole queue down with it.
      return rows.flatMap((row) => {
        try {
          return [toHandoffPackage(row.id, JSON.parse(row.package))];
        } catch (error) {
          options.onCorruptHandoff?.(row.id, error);
          return [];
        }
      });
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async findWaitingByCallerKey(callerKey, since) {
      return selectWaitingByCallerKey.all(sortableTimestamp(since), callerKey).flatMap((row) => {
        try {
          return [toHandoffPackage(row.id, JSON.parse(row.package))];
        } catch (error) {
          options.onCorruptHandoff?.(row.id, error);
          return [];
        }
      });
    },
    async linkCustomer(sessionId, customerId, at) {
      insertLink.run(sessionId, customerId, sortableTimestamp(at));
    },
    async exportCustomer(customerId) {
      flush();
      return readCustomer(customerId);
    },
    async eraseCustomer(customerId) {
      // Transcripts still in the write-behind buffer belong to the erasure too.
      flush();
      return eraseAll.immediate(customerId);
    },
    async applyRetention(before) {
      flush();
      return retainAll.immediate(sortableTimestamp(before));
    },
    async close() {
      flush();
      if (db.open) db.close();
    },
  };
}
