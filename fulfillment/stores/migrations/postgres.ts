// Runs numbered SQL migrations against Postgres at start-up, once, even when several instances start together.
import type { ClientBase } from 'pg';

export interface PostgresMigrationOptions {
  /** the schema the tables live in; created when missing */
  schema: string;
  /** each entry moves the schema one version up; append new ones, never edit old ones */
  migrations: readonly string[];
}

/** Double-quoted, so any schema name is one identifier and never SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Returns the version the schema is at afterwards. Refuses a schema newer than the migrations it knows. */
export async function migratePostgres(
  client: ClientBase,
  options: PostgresMigrationOptions,
): Promise<number> {
  const schema = quoteIdentifier(options.schema);
  await client.query('BEGIN');
  try {
    // A transaction-scoped lock per schema: a second instance waits here and then finds nothing left to do.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`loket-migrate:${options.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_version (version INTEGER NOT NULL)`);
    const result = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_version`);
    const current = result.rows[0]?.version ?? 0;
    if (current > options.migrations.length) {
      throw new Error(
        `records database schema ${options.schema} is at version ${current}, newer than this release knows (${options.migrations.length})`,
      );
    }
    if (current < options.migrations.length) {
      await client.query(`SET LOCAL search_path TO ${schema}`);
      for (const migration of options.migrations.slice(current)) await client.query(migration);
      await client.query(`DELETE FROM ${schema}.schema_version`);
      await client.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [
        options.migrations.length,
      ]);
    }
    await client.query('COMMIT');
    return Math.max(current, options.migrations.length);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
