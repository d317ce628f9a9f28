// `loket privacy` as a real process next to a running Loket: a customer identified in a conversation through
// /v1/converse is exported (with the turns before identification), erased only with --yes (without it, a dry run),
// and exported empty afterwards, while another customer stays; the same on Postgres; bad arguments exit 2.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../fulfillment/config/settings.ts';
import { createApp } from '../../fulfillment/server/app.ts';
import { type Runtime, startRuntime } from '../../fulfillment/server/runtime.ts';
import { withDefaultUser } from '../../fulfillment/stores/records-postgres.ts';
import { converse } from '../helpers/server.ts';

const bin = join(process.cwd(), 'bin/loket.mjs');
const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Served {
  url: string;
  runtime: Runtime;
  dataDir: string;
  env: Record<string, string>;
}

/** Loket in this process, on a data folder (and Postgres schema) the CLI is pointed at too. */
async function serve(extraEnv: Record<string, string> = {}): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-privacy-cli-'));
  const env = { LOG_LEVEL: 'error', LOKET_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', ...extraEnv };
  const runtime = await startRuntime(readSettings(env), { logger: pino({ level: 'error' }) });
  const server: Server = await new Promise((resolve) => {
    const listening = createApp(runtime).listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.push(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    runtime,
    dataDir,
    env,
  };
}

/** The CLI as a child process; async, so the server in this process keeps serving meanwhile. */
function loket(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Jan asks about opening hours before anyone knows who he is, is identified by customer number, postcode and house
 * number, and asks for a person. Sam is recognised by his number.
 */
async function talk(url: string, janSession: string, samSession: string): Promise<void> {
  const jan = async (text: string) =>
    (await converse(url, { sessionId: janSession, locale: 'en-US', text })).json;
  expect((await jan('when are you open')).understood.intent).toBe('OpeningHours');
  expect((await jan("i don't understand my bill")).expecting).toMatchObject({ step: 'customerNumber' });
  await jan('one two three four five six');
  await jan('twelve thirty four a b');
  expect((await jan('five')).reply.text).toMatch(/Jan/);
  expect((await jan('can i just talk to a human')).handoff).toMatchObject({ reason: 'asked-for-person' });

  await converse(url, { sessionId: samSession, locale: 'en-US', event: 'launch', callerId: '+15555550123' });
  const sam = await converse(url, {
    sessionId: samSession,
    locale: 'en-US',
    text: 'why did my bill go up this month',
  });
  expect(sam.json.reply.text).toMatch(/55\.00/);
}

const parse = (stdout: string) => JSON.parse(stdout) as any;

describe('loket privacy on SQLite', () => {
  it('exports, dry-runs, erases and then exports nothing, leaving other customers alone', async () => {
    const served = await serve();
    await talk(served.url, 'privacy-jan', 'privacy-sam');
    const { env } = served;

    // Reads only, so at once: the export, the export to a file, and the dry run.
    const file = join(served.dataDir, 'jan.json');
    const [exported, toFile, dryRun] = await Promise.all([
      loket(['privacy', 'export', '--customer', 'cust-1'], env),
      loket(['privacy', 'export', '--customer', 'cust-1', '--out', file], env),
      loket(['privacy', 'erase', '--customer', 'cust-1'], env),
    ]);
    expect(exported.status).toBe(0);
    const document = parse(exported.stdout);
    expect(document).toMatchObject({ customerId: 'cust-1', sessions: [{ sessionId: 'privacy-jan' }] });
    expect(Date.parse(document.generatedAt)).not.toBeNaN();
    expect(document.transcripts[0]).toMatchObject({ sessionId: 'privacy-jan', text: 'when are you open' });
    expect(document.transcripts.length).toBeGreaterThanOrEqual(12);
    expect(document.handoffs).toEqual([
      expect.objectContaining({
        sessionId: 'privacy-jan',
        customer: expect.objectContaining({ id: 'cust-1' }),
      }),
    ]);
    expect(exported.stderr).not.toMatch(/no records/);

    expect(toFile.status).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(toFile.stderr).toMatch(
      /wrote .*jan\.json: 1 session\(s\), \d+ transcript record\(s\), 1 handoff package\(s\)/,
    );
    expect(parse(readFileSync(file, 'utf8')).transcripts).toHaveLength(document.transcripts.length);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toContain(
      `would erase for customer cust-1: 1 session(s), ${document.transcripts.length} transcript record(s), 1 handoff package(s), 1 live session(s)`,
    );
    expect(dryRun.stdout).toMatch(/add --yes to erase/);
    expect(await served.runtime.deps.records.listTranscript('privacy-jan')).toHaveLength(
      document.transcripts.length,
    );

    const erased = await loket(['privacy', 'erase', '--customer', 'cust-1', '--yes'], env);
    expect(erased.status).toBe(0);
    expect(erased.stdout).toContain(
      `erased customer cust-1: 1 session(s), ${document.transcripts.length} transcript record(s), 1 handoff package(s), 1 live session(s)`,
    );
    expect(await served.runtime.deps.sessions.load('privacy-jan')).toBeNull();
    expect(await served.runtime.deps.records.listTranscript('privacy-jan')).toEqual([]);

    const after = await loket(['privacy', 'export', '--customer', 'cust-1'], env);
    expect(after.status).toBe(0);
    expect(parse(after.stdout)).toMatchObject({
      customerId: 'cust-1',
      sessions: [],
      transcripts: [],
      handoffs: [],
    });
    expect(after.stderr).toMatch(/no records for customer cust-1/);

    const [again, samExport] = await Promise.all([
      loket(['privacy', 'erase', '--customer', 'cust-1', '--yes'], env),
      loket(['privacy', 'export', '--customer', 'cust-3'], env),
    ]);
    expect(again).toMatchObject({ status: 0, stdout: 'nothing to erase for customer cust-1\n' });
    const sam = parse(samExport.stdout);
    expect(sam.sessions).toEqual([expect.objectContaining({ sessionId: 'privacy-sam' })]);
    expect(sam.transcripts.map((record: { text: string }) => record.text)).toContain(
      'why did my bill go up this month',
    );
    expect(await served.runtime.deps.sessions.load('privacy-sam')).not.toBeNull();
  }, 180_000);

  it('runs the retention once and prints the counts', async () => {
    const served = await serve();
    await converse(served.url, { sessionId: 'retention-1', locale: 'en-US', text: 'when are you open' });
    const result = await loket(['privacy', 'retention', '--days', '30'], served.env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^retention \(30 days, before \d{4}-\d\d-\d\dT[\d:.]+Z\): 0 transcript record\(s\) deleted, 0 handoff package\(s\) scrubbed, 0 session link\(s\) removed$/m,
    );
    const defaults = await loket(['privacy', 'retention'], { ...served.env, LOKET_RETENTION_DAYS: '7' });
    expect(defaults.stdout).toMatch(/^retention \(7 days, /);
    expect(await served.runtime.deps.records.listTranscript('retention-1')).toHaveLength(2);
  }, 120_000);

  it('answers bad arguments with exit 2 and a clear message, and a wrong data folder with exit 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'loket-privacy-empty-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    const env = { LOKET_DATA_DIR: empty, REDIS_URL: '', DATABASE_URL: '' };
    const [missing, blank, days, unknownOption, wrongDir, badSetting] = await Promise.all([
      loket(['privacy', 'export'], env),
      loket(['privacy', 'erase', '--customer', '  ', '--yes'], env),
      loket(['privacy', 'retention', '--days', 'zero'], env),
      loket(['privacy', 'erase', '--customer', 'cust-1', '--force'], env),
      loket(['privacy', 'export', '--customer', 'cust-1'], env),
      loket(['privacy', 'retention'], { ...env, LOKET_RETENTION_DAYS: '0' }),
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/required option '--customer <id>' not specified/);
    expect(blank).toMatchObject({ status: 2, stderr: expect.stringMatching(/--customer must not be empty/) });
    expect(days).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--days must be a number \(got "zero"\)/),
    });
    expect(unknownOption).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/unknown option '--force'/),
    });
    expect(wrongDir.status).toBe(1);
    expect(wrongDir.stderr).toMatch(
      /no records database at .*records\.db \(check LOKET_DATA_DIR or DATABASE_URL\)/,
    );
    expect(wrongDir.stdout).toBe('');
    expect(badSetting.status).toBe(2);
    expect(badSetting.stderr).toMatch(/LOKET_RETENTION_DAYS: must be between 1 and 3650 \(got "0"\)/);
  }, 120_000);
});

describe('loket privacy on Postgres', () => {
  it('finds and erases a customer in the database the server writes to', async () => {
    const schema = `loket_privacy_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
    cleanups.push(async () => {
      const admin = new pg.Client({ connectionString: withDefaultUser(DATABASE_URL) });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    });
    const served = await serve({ DATABASE_URL, LOKET_POSTGRES_SCHEMA: schema });
    await talk(served.url, 'pg-jan', 'pg-sam');
    const env = { ...served.env };

    const document = parse((await loket(['privacy', 'export', '--customer', 'cust-1'], env)).stdout);
    expect(document.transcripts[0]).toMatchObject({ sessionId: 'pg-jan', text: 'when are you open' });
    expect(document.handoffs).toHaveLength(1);

    const erased = await loket(['privacy', 'erase', '--customer', 'cust-1', '--yes'], env);
    expect(erased.status).toBe(0);
    expect(erased.stdout).toContain(
      `erased customer cust-1: 1 session(s), ${document.transcripts.length} transcript record(s), 1 handoff package(s), 1 live session(s)`,
    );
    const after = await loket(['privacy', 'export', '--customer', 'cust-1'], env);
    expect(parse(after.stdout)).toMatchObject({ sessions: [], transcripts: [], handoffs: [] });
    const sam = parse((await loket(['privacy', 'export', '--customer', 'cust-3'], env)).stdout);
    expect(sam.transcripts.map((record: { text: string }) => record.text)).toContain(
      'why did my bill go up this month',
    );
  }, 180_000);
});
