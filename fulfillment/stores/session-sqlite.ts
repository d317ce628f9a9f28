// The embedded default session store: one SQLite file (./data by default), so a conversation survives a restart.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  assertValidTtl,
  parseStoredSession,
  type SessionStore,
  type SessionStoreOptions,
} from './session-store.ts';

export interface SqliteSessionStoreOptions extends SessionStoreOptions {
  /** path of the database file; its directory is created when missing */
  file: string;
  /**
   * Write-behind: saves within this many milliseconds go to disk in one transaction (0 = at once). One commit per
   * batch instead of per turn is most of SQLite's cost under load; a crash loses at most this window, and `close`
   * flushes, so a restart keeps every conversation.
   */
  writeBatchMs?: number;
  /** a failed batch write (disk full, ...) */
  onWriteError?: (error: unknown) => void;
}

/** Expired rows are purged at most this often, on a save, so a busy server does not scan the table every turn. */
const PURGE_INTERVAL_MS = 60_000;

export function createSqliteSessionStore(options: SqliteSessionStoreOptions): SessionStore {
  assertValidTtl(options.ttlSeconds);
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlSeconds * 1000;

  if (options.file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  }
  const db = new Database(options.file);
  // WAL lets readers and the writer work at the same time; busy_timeout covers a second process on the same file.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      data TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
  `);

  const selectSession = db.prepare<[string], { data: string; expires_at: number }>(
    'SELECT data, expires_at FROM sessions WHERE id = ?',
  );
  const upsertSession = db.prepare<[string, string, number]>(
    `INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
  );
  const deleteSession = db.prepare<[string]>('DELETE FROM sessions WHERE id = ?');
  const deleteExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  const countUnexpired = db.prepare<[number], { active: number }>(
    'SELECT count(*) AS active FROM sessions WHERE expires_at > ?',
  );

  const pending = new Map<string, { data: string; expiresAt: number }>();
  let flushTimer: NodeJS.Timeout | null = null;
  const writeAll = db.transaction((entries: [string, { data: string; expiresAt: number }][]) => {
    for (const [id, entry] of entries) upsertSession.run(id, entry.data, entry.expiresAt);
  });
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.size === 0 || !db.open) return;
    const entries = [...pending];
    pending.clear();
    try {
      writeAll(entries);
    } catch (error) {
      options.onWriteError?.(error);
    }
  };

  let lastPurgeMs = 0;
  const purgeExpiredNowAndThen = (nowMs: number) => {
    if (nowMs - lastPurgeMs < PURGE_INTERVAL_MS) return;
    lastPurgeMs = nowMs;
    deleteExpired.run(nowMs);
  };

  return {
    async load(id) {
      const waiting = pending.get(id);
      const row = waiting ? { data: waiting.data, expires_at: waiting.expiresAt } : selectSession.get(id);
      if (!row) return null;
      if (row.expires_at <= now().getTime()) {
        pending.delete(id);
        deleteSession.run(id);
        return null;
      }
      return parseStoredSession(id, row.data, options.onCorrupt);
    },
    async save(session) {
      const nowMs = now().getTime();
      if (options.writeBatchMs) {
        pending.set(session.id, { data: JSON.stringify(session), expiresAt: nowMs + ttlMs });
        flushTimer ??= setTimeout(flush, options.writeBatchMs);
      } else {
        upsertSession.run(session.id, JSON.stringify(session), nowMs + ttlMs);
      }
      purgeExpiredNowAndThen(nowMs);
    },
    async delete(id) {
      pending.delete(id);
      deleteSession.run(id);
    },
    async countActive() {
      flush();
      return countUnexpired.get(now().getTime())?.active ?? 0;
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      flush();
      if (db.open) db.close();
    },
  };
}
