// `loket migrate`: brings the records database up to this release's schema and says where it stands, for operators
// who migrate before they roll out (a Helm pre-upgrade job, a deploy script) rather than at the first start-up. The
// server runs the same migrations at start-up; both take the same lock, so running them twice is harmless.

import { join } from 'node:path';
import pg from 'pg';
import { readSettings } from '../config/settings.ts';
import { messageOf } from '../core/error-message.ts';
import { readHandoffSettings } from '../handoff/settings.ts';
import { migratePostgres, quoteIdentifier } from '../stores/migrations/postgres.ts';
import { RECORDS_POSTGRES_MIGRATIONS, withDefaultUser } from '../stores/records-postgres.ts';
import { createSqliteRecordsStore } from '../stores/records-sqlite.ts';

export async function migrate(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const settings = readSettings(env);
  const handoff = readHandoffSettings(env);
  if (!handoff.DATABASE_URL) {
    // The embedded store migrates when it opens; opening and closing it is the whole job.
    const file = join(settings.dataDir, 'records.db');
    const store = createSqliteRecordsStore({ file });
    await store.close();
    console.log(`records database ${file} is up to date (no DATABASE_URL: the embedded SQLite store)`);
    return 0;
  }
  const schema = handoff.LOKET_POSTGRES_SCHEMA;
  const client = new pg.Client({
    connectionString: withDefaultUser(handoff.DATABASE_URL),
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (error) {
    // The URL holds the password: name the schema, never the URL.
    console.error(`loket migrate: cannot connect to Postgres (DATABASE_URL): ${messageOf(error)}`);
    return 1;
  }
  try {
    const before = await currentVersion(client, schema);
    const after = await migratePostgres(client, {
      schema,
      migrations: RECORDS_POSTGRES_MIGRATIONS,
    });
    console.log(
      before === after
        ? `records schema "${schema}" is up to date at version ${after}`
        : `records schema "${schema}" migrated from version ${before} to ${after}`,
    );
    return 0;
  } catch (error) {
    console.error(`loket migrate: ${messageOf(error)}`);
    return 1;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function currentVersion(client: pg.Client, schema: string): Promise<number> {
  const table = await client.query<{ exists: boolean }>(
    "SELECT to_regclass(format('%I.schema_version', $1::text)) IS NOT NULL AS exists",
    [schema],
  );
  if (!table.rows[0]?.exists) return 0;
  const result = await client.query<{ version: number }>(
    `SELECT version FROM ${quoteIdentifier(schema)}.schema_version`,
  );
  return result.rows[0]?.version ?? 0;
}
