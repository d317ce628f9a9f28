// The production records store: transcripts and handoff packages in Postgres, migrated at start-up. Same contract as
// the SQLite store (fulfillment/stores/records-sqlite.ts), so the rest of Loket cannot tell them apart.
import { userInfo } from 'node:os';
import pg from 'pg';
import { z } from 'zod';
import { handoffPackageSchema } from '../core/types.ts';
import { migratePostgres, quoteIdentifier } from './migrations/postgres.ts';
import {
  sortableTimestamp,
  type TranscriptRow,
  toHandoffPackage,
  toTranscriptRecord,
} from './records-rows.ts';
import { DEFAULT_HANDOFF_LIST_LIMIT, type RecordsStore, type TranscriptRecord } from './records-store.ts';

export interface PostgresRecordsStoreOptions {
  /** postgres://user:password@host:5432/database */
  url: string;
  /** the schema for Loket's tables, created when missing (default: public) */
  schema?: string;
  /** connections in the pool (default 10) */
  poolSize?: number;
  /** a stored package that no longer parses: listHandoffs leaves it out instead of failing the whole list */
  onCorruptHandoff?: (id: string, error: unknown) => void;
  /** an idle connection failed (the server restarted, ...); the pool replaces it */
  onPoolError?: (error: unknown) => void;
}

/** Each entry moves the schema one version up; append new ones, never edit old ones (databases in the field have them). */
export const RECORDS_POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE transcripts (
    seq BIGSERIAL PRIMARY KEY,
    session_id TEXT NOT NULL,
    turn_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    locale TEXT NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('customer', 'bot')),
    text TEXT NOT NULL,
    intent TEXT,
    confidence DOUBLE PRECISION,
    at TEXT NOT NULL
  );
  CREATE INDEX transcripts_session ON transcripts (session_id, seq);
  CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    package JSONB NOT NULL
  );
  CREATE INDEX handoffs_code ON handoffs (code, created_at);
  CREATE INDEX handoffs_status ON handoffs (status, created_at);
  CREATE INDEX handoffs_created_at ON handoffs (created_at);
  `,
  // A returning caller is looked up by the pseudonym of their number, among waiting handoffs only.
  `CREATE INDEX handoffs_waiting_caller ON handoffs ((package->>'callerKey'), created_at) WHERE status = 'waiting';`,
];

/** Like libpq, a URL without a user name connects as PGUSER or the operating-system user. */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username);
  return parsed.toString();
}

export async function createPostgresRecordsStore(
  options: PostgresRecordsStoreOptions,
): Promise<RecordsStore> {
  const schema = options.schema ?? 'public';
  const pool = new pg.Pool({
    connectionString: withDefaultUser(options.url),
    max: options.poolSize ?? 10,
    // Every connection resolves Loket's table names in its own schema, whatever the server's default is.
    options: `-c search_path=${quoteIdentifier(schema)}`,
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  // pg returns DOUBLE PRECISION as a number already; BIGSERIAL stays a string, which is fine for ordering only.
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, { schema, migrations: RECORDS_POSTGRES_MIGRATIONS });
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  type HandoffRow = { id: string; package: unknown };
  const readRows = (rows: readonly HandoffRow[]) =>
    // One unreadable row must not take the agents' whole queue down with it.
    rows.flatMap((row) => {
      try {
        return [toHandoffPackage(row.id, row.package)];
      } catch (error) {
        options.onCorruptHandoff?.(row.id, error);
        return [];
      }
    });

  return {
    async appendTranscript(records: readonly TranscriptRecord[]) {
      if (records.length === 0) return;
      // One statement over arrays: the batch is stored completely or not at all, in one round trip.
      await pool.query(
        `INSERT INTO transcripts (session_id, turn_id, channel, locale, speaker, text, intent, confidence, at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::double precision[], $9::text[])`,
        [
          records.map((record) => record.sessionId),
          records.map((record) => record.turnId),
          records.map((record) => record.channel),
          records.map((record) => record.locale),
          records.map((record) => record.speaker),
          records.map((record) => record.text),
          records.map((record) => record.intent),
          records.map((record) => record.confidence),
          records.map((record) => record.at),
        ],
      );
    },
    async listTranscript(sessionId, since = '') {
      // `at` is always UTC ISO text from one clock, so text order is time order.
      const result = await pool.query<TranscriptRow>(
        `SELECT session_id, turn_id, channel, locale, speaker, text, intent, confidence, at
         FROM transcripts WHERE session_id = $1 AND at >= $2 ORDER BY seq`,
        [sessionId, since],
      );
      return result.rows.map(toTranscriptRecord);
    },
    async saveHandoff(pkg) {
      const parsed = handoffPackageSchema.safeParse(pkg);
      if (!parsed.success) {
        throw new Error(`invalid handoff package ${String(pkg?.id)}: ${z.prettifyError(parsed.error)}`, {
          cause: parsed.error,
        });
      }
      const valid = parsed.data;
      await pool.query(
        `INSERT INTO handoffs (id, code, status, created_at, package) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET
           code = excluded.code, status = excluded.status, created_at = excluded.created_at, package = excluded.package`,
        [valid.id, valid.code, valid.status, sortableTimestamp(valid.createdAt), JSON.stringify(valid)],
      );
    },
    async getHandoff(id) {
      const result = await pool.query<HandoffRow>('SELECT id, package FROM handoffs WHERE id = $1', [id]);
      const row = result.rows[0];
      return row ? toHandoffPackage(row.id, row.package) : null;
    },
    async getHandoffByCode(code) {
      // seq breaks ties between packages created in the same millisecond: the later insert is the newer one.
      const result = await pool.query<HandoffRow>(
        'SELECT id, package FROM handoffs WHERE code = $1 ORDER BY created_at DESC, seq DESC LIMIT 1',
        [code],
      );
      const row = result.rows[0];
      return row ? toHandoffPackage(row.id, row.package) : null;
    },
    async listHandoffs(query = {}) {
      const limit = Math.max(1, Math.floor(query.limit ?? DEFAULT_HANDOFF_LIST_LIMIT));
      const result = query.status
        ? await pool.query<HandoffRow>(
            'SELECT id, package FROM handoffs WHERE status = $1 ORDER BY created_at DESC, seq DESC LIMIT $2',
            [query.status, limit],
          )
        : await pool.query<HandoffRow>(
            'SELECT id, package FROM handoffs ORDER BY created_at DESC, seq DESC LIMIT $1',
            [limit],
          );
      return readRows(result.rows);
    },
    async findWaitingByCallerKey(callerKey, since) {
      const result = await pool.query<HandoffRow>(
        `SELECT id, package FROM handoffs WHERE status = 'waiting' AND package->>'callerKey' = $1 AND created_at >= $2
         ORDER BY created_at DESC, seq DESC LIMIT 20`,
        [callerKey, sortableTimestamp(since)],
      );
      return readRows(result.rows);
    },
    /** for /readyz: one round trip to the server */
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
