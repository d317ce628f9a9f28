// Several instances run the retention job: on a shared Postgres only one of them runs a round at a time, through a
// session-level advisory lock that is tried, never waited for. Each round is idempotent anyway (see job.ts); the lock
// only saves every instance doing the same work at the same moment. Without Postgres there is one instance: no lock.

import pg from 'pg';
import type { Logger } from 'pino';
import type { HandoffSettings } from '../handoff/settings.ts';
import { withDefaultUser } from '../stores/records-postgres.ts';

export interface RoundLock {
  /** runs `work` unless another instance holds the lock; resolves to null when one did */
  runExclusive<T>(work: () => Promise<T>): Promise<{ value: T } | null>;
  close(): Promise<void>;
}

export const noRoundLock: RoundLock = {
  async runExclusive(work) {
    return { value: await work() };
  },
  async close() {},
};

export function createPostgresRoundLock(options: {
  url: string;
  /** one lock per schema: instances of another Loket on the same server do not hold this one up */
  key: string;
  onPoolError?: (error: unknown) => void;
}): RoundLock {
  // One connection, opened for a round and closed when idle, so an hourly job holds no connection in between.
  const pool = new pg.Pool({
    connectionString: withDefaultUser(options.url),
    max: 1,
    idleTimeoutMillis: 5000,
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  return {
    async runExclusive(work) {
      const client = await pool.connect();
      // A connection that could not unlock is closed instead of reused: closing it releases the lock.
      let broken: Error | undefined;
      try {
        const locked = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
          [options.key],
        );
        if (!locked.rows[0]?.locked) return null;
        try {
          return { value: await work() };
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [options.key]).catch((error) => {
            broken = error instanceof Error ? error : new Error(String(error));
          });
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** The lock the server uses: Postgres's when records live there, else none. */
export function roundLockFor(settings: HandoffSettings, logger: Logger): RoundLock {
  if (!settings.DATABASE_URL) return noRoundLock;
  return createPostgresRoundLock({
    url: settings.DATABASE_URL,
    key: `loket-retention:${settings.LOKET_POSTGRES_SCHEMA}`,
    onPoolError: (error) => logger.warn({ err: error }, 'the retention lock connection failed'),
  });
}
