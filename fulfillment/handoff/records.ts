// Chooses the records store: Postgres when DATABASE_URL is set (production, several instances), else the embedded
// SQLite file in the data folder.
import { join } from 'node:path';
import type { Logger } from 'pino';
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
    return store;
  }
  return createSqliteRecordsStore({
    file: join(options.dataDir, 'records.db'),
    writeBatchMs: options.writeBatchMs,
    onWriteError: options.onWriteError,
    onCorruptHandoff,
  });
}
