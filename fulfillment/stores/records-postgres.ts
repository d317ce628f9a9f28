// The production records store: transcripts and handoff packages in Postgres, migrated at start-up. Same contract as
// the SQLite store (fulfillment/stores/records-sqlite.ts), so the rest of Loket cannot tell them apart.
import { userInfo } from 'node:os';
import pg from 'pg';
import type { HandoffPackage } from '../core/types.ts';
import { migratePostgres, quoteIdentifier } from './migrations/postgres.ts';
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
  DEFAULT_HANDOFF_LIST_LIMIT,
  type HandoffUpdateOutcome,
  type RecordsStore,
  type TranscriptRecord,
} from './records-store.ts';

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

// The customer's sessions: their links, plus sessions only their handoff packages name (from before links existed).
const SELECT_CUSTOMER_SESSIONS = `
  SELECT session_id, linked_at FROM session_customers WHERE customer_id = $1
  UNION ALL
  SELECT package->>'sessionId', min(created_at) FROM handoffs
  WHERE package->'customer'->>'id' = $1
    AND package->>'sessionId' NOT IN (SELECT session_id FROM session_customers WHERE customer_id = $1)
  GROUP BY 1
  ORDER BY 2, 1`;
/** $1 the customer id, $2 their session ids */
const CUSTOMER_HANDOFFS = `package->'customer'->>'id' = $1 OR package->>'sessionId' = ANY($2::text[])`;

/** Like libpq, a URL without a user name connects as PGUSER or the operating-system user. */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username);
  return parsed.toString();
}

function upsertHandoff(db: pg.ClientBase | pg.Pool, valid: HandoffPackage) {
  return db.query(
    `INSERT INTO handoffs (id, code, status, created_at, package) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET
       code = excluded.code, status = excluded.status, created_at = excluded.created_at, package = excluded.package`,
    [valid.id, valid.code, valid.status, sortableTimestamp(valid.createdAt), JSON.stringify(valid)],
  );
}

export async function createPostgresRecordsStore(
  options: PostgresRecordsStoreOptions,
): Promise<RecordsStore> {
  const schema = options.schema ?? 'public';
  const pool = new pg.Pool({
    connectionString: withDefaultUser(options.url),
    max: options.poolSize ?? 10,
    // A turn must not hang on a database that is away: fail fast, so the outbox (records-outbox.ts) takes over.
    connectionTimeoutMillis: 3_000,
    query_timeout: 15_000,
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
      await upsertHandoff(pool, validHandoffPackage(pkg));
    },
    async updateHandoff(id, change) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // FOR UPDATE: a second instance changing the same package waits here until this transaction ends, then reads
        // the version this one wrote.
        const result = await client.query<HandoffRow>(
          'SELECT id, package FROM handoffs WHERE id = $1 FOR UPDATE',
          [id],
        );
        const row = result.rows[0];
        let outcome: HandoffUpdateOutcome | null = null;
        if (row) {
          const before = toHandoffPackage(row.id, row.package);
          const next = change(before);
          const after = next ? validHandoffPackage(next) : null;
          if (after) await upsertHandoff(client, after);
          outcome = { before, after };
        }
        await client.query('COMMIT');
        return outcome;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
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
      const conditions: string[] = [];
      const values: unknown[] = [];
      if (query.status) {
        values.push(query.status);
        conditions.push(`status = $${values.length}`);
      }
      if (query.createdBefore !== undefined) {
        values.push(sortableTimestamp(query.createdBefore));
        conditions.push(`created_at < $${values.length}`);
      }
      values.push(limit);
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const result = await pool.query<HandoffRow>(
        `SELECT id, package FROM handoffs ${where} ORDER BY created_at DESC, seq DESC LIMIT $${values.length}`,
        values,
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
    async linkCustomer(sessionId, customerId, at) {
      await pool.query(
        `INSERT INTO session_customers (session_id, customer_id, linked_at) VALUES ($1, $2, $3)
         ON CONFLICT (session_id, customer_id) DO NOTHING`,
        [sessionId, customerId, sortableTimestamp(at)],
      );
    },
    async exportCustomer(customerId) {
      const sessions = (
        await pool.query<CustomerSessionRow>(SELECT_CUSTOMER_SESSIONS, [customerId])
      ).rows.map(toCustomerSession);
      const sessionIds = sessions.map((session) => session.sessionId);
      const transcripts = await pool.query<TranscriptRow>(
        `SELECT session_id, turn_id, channel, locale, speaker, text, intent, confidence, at
         FROM transcripts WHERE session_id = ANY($1::text[]) ORDER BY seq`,
        [sessionIds],
      );
      const handoffs = await pool.query<HandoffRow>(
        `SELECT id, package FROM handoffs WHERE ${CUSTOMER_HANDOFFS} ORDER BY created_at, seq`,
        [customerId, sessionIds],
      );
      return {
        customerId,
        sessions,
        transcripts: transcripts.rows.map(toTranscriptRecord),
        // An access request must be complete: a package that no longer parses fails it, naming the package.
        handoffs: handoffs.rows.map((row) => toHandoffPackage(row.id, row.package)),
      };
    },
    async eraseCustomer(customerId) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const sessions = await client.query<CustomerSessionRow>(SELECT_CUSTOMER_SESSIONS, [customerId]);
        const sessionIds = sessions.rows.map((row) => row.session_id);
        const transcripts = await client.query('DELETE FROM transcripts WHERE session_id = ANY($1::text[])', [
          sessionIds,
        ]);
        const handoffs = await client.query(`DELETE FROM handoffs WHERE ${CUSTOMER_HANDOFFS}`, [
          customerId,
          sessionIds,
        ]);
        await client.query('DELETE FROM session_customers WHERE customer_id = $1', [customerId]);
        await client.query('COMMIT');
        return {
          sessions: sessionIds.length,
          transcripts: transcripts.rowCount ?? 0,
          handoffs: handoffs.rowCount ?? 0,
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async applyRetention(before) {
      const cutoff = sortableTimestamp(before);
      const transcripts = await pool.query('DELETE FROM transcripts WHERE at < $1', [cutoff]);
      // Only packages that still hold something to remove, so a second run changes (and counts) nothing.
      const scrubbed = await pool.query(
        `UPDATE handoffs SET package = package || '{"transcript": [], "callback": null}'::jsonb
         WHERE created_at < $1 AND status <> 'waiting'
           AND (package->'transcript' <> '[]'::jsonb OR coalesce(jsonb_typeof(package->'callback'), 'null') <> 'null')`,
        [cutoff],
      );
      const links = await pool.query(
        `DELETE FROM session_customers AS link WHERE linked_at < $1
           AND NOT EXISTS (SELECT 1 FROM transcripts WHERE transcripts.session_id = link.session_id)`,
        [cutoff],
      );
      return {
        transcripts: transcripts.rowCount ?? 0,
        handoffsScrubbed: scrubbed.rowCount ?? 0,
        sessionLinks: links.rowCount ?? 0,
      };
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
