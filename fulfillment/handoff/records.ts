// Chooses the records store: Postgres when DATABASE_URL is set (production, several instances), else the embedded
// SQLite file in the data folder.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createRecordsOutbox } from '../stores/records-outbox.ts';
import { createPostgresRecordsStore } from '../stores/records-postgres.ts';
import { createSqliteRecordsStore } from '../stores/records-sqlite.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import type { HandoffSettings } from './settings.ts';

export async function openRecordsStore(options: {
  settings: HandoffSettings;
  dataDir: string;
  logger: Logger;
  /** SQLite write-behind for transcripts */
  writeBatchMs: number;
  onWriteError: (error: unknown) => void;
}): Promise<RecordsStore> {
  const { settings, logger } = options;
  const onCorruptHandoff = (id: string, error: unknown) =>
    logger.error({ handoffId: id, err: error }, 'stored handoff package unreadable: left out of the list');
  if (settings.DATABASE_URL) {
    const store = await createPostgresRecordsStore({
      url: settings.DATABASE_URL,
      schema: settings.LOKET_POSTGRES_SCHEMA,
      onCorruptHandoff,
      onPoolError: (error) => logger.error({ err: error }, 'a Postgres connection failed'),
    });
    logger.info({ schema: settings.LOKET_POSTGRES_SCHEMA }, 'records in Postgres');
    // Postgres can go away (failover, maintenance); turns and handoffs must not. See records-outbox.ts.
    return createRecordsOutbox({
      inner: store,
      file: join(options.dataDir, 'records-outbox.db'),
      events: {
        unavailable: (error, pending) =>
          logger.warn(
            { err: error, pending },
            'Postgres unreachable: records wait in the outbox until it is back',
          ),
        flushed: (written, pending) =>
          logger.info(
            { written, pending },
            pending === 0 ? 'outbox written to Postgres' : 'outbox partly written',
          ),
        parked: (write, error) =>
          logger.error(
            { err: error, kind: write.kind, seq: write.seq },
            'Postgres refused a record from the outbox repeatedly: set aside in records-outbox.db',
          ),
      },
    });
  }
  return createSqliteRecordsStore({
    file: join(options.dataDir, 'records.db'),
    writeBatchMs: options.writeBatchMs,
    onWriteError: options.onWriteError,
    onCorruptHandoff,
  });
}
