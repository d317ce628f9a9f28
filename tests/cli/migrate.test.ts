// `loket migrate` as a real process against the machine's real Postgres (a schema per run, dropped afterwards), the
// embedded SQLite store, and a Postgres that is not there.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORDS_POSTGRES_MIGRATIONS } from '../../fulfillment/stores/records-postgres.ts';
import { freePort } from '../helpers/free-port.ts';

const bin = join(process.cwd(), 'bin/loket.mjs');
const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `loket_migrate_${process.pid}_${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'loket-migrate-'));

function loket(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, LOG_LEVEL: 'error', LOKET_DATA_DIR: dataDir, DATABASE_URL: '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

afterAll(async () => {
  const client = new pg.Client(DATABASE_URL);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await client.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('loket migrate', () => {
  it('migrates a new Postgres schema, then finds it up to date', async () => {
    const latest = RECORDS_POSTGRES_MIGRATIONS.length;
    const env = { DATABASE_URL, LOKET_POSTGRES_SCHEMA: SCHEMA };
    const first = await loket(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toBe(`records schema "${SCHEMA}" migrated from version 0 to ${latest}`);
    const again = await loket(['migrate'], env);
    expect(again.stdout.trim()).toBe(`records schema "${SCHEMA}" is up to date at version ${latest}`);

    const client = new pg.Client(DATABASE_URL);
    await client.connect();
    const version = await client.query(`SELECT version FROM "${SCHEMA}".schema_version`);
    const tables = await client.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [SCHEMA],
    );
    await client.end();
    expect(version.rows).toEqual([{ version: latest }]);
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['handoffs', 'transcripts']),
    );
  }, 60_000);

  it('opens the embedded store without DATABASE_URL', async () => {
    const result = await loket(['migrate'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is up to date (no DATABASE_URL: the embedded SQLite store)');
    expect(existsSync(join(dataDir, 'records.db'))).toBe(true);
  }, 60_000);

  it('says so when Postgres is not there, without printing the password', async () => {
    const port = await freePort();
    const result = await loket(['migrate'], {
      DATABASE_URL: `postgres://loket:hunter2secret@127.0.0.1:${port}/loket`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot connect to Postgres \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(result.stderr).not.toContain('hunter2secret');
  }, 60_000);
});
