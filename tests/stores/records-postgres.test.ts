// The Postgres records store against the machine's real Postgres: the same contract as the SQLite store, migrations
// at start-up (also with two instances starting at once), and a corrupt row that does not break the list.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import type { HandoffPackage } from '../../fulfillment/core/types.ts';
import { readHandoffSettings } from '../../fulfillment/handoff/settings.ts';
import { migratePostgres } from '../../fulfillment/stores/migrations/postgres.ts';
import {
  createPostgresRecordsStore,
  RECORDS_POSTGRES_MIGRATIONS,
  withDefaultUser,
} from '../../fulfillment/stores/records-postgres.ts';
import type { RecordsStore, TranscriptRecord } from '../../fulfillment/stores/records-store.ts';
import { converse, startTestServer } from '../helpers/server.ts';

const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
/** one schema per test run, dropped afterwards, so runs never see each other's rows */
const RUN = `loket_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];
let admin: pg.Client;
let store: RecordsStore | null = null;

function freshSchema(name: string): string {
  const schema = `${RUN}_${name}`;
  schemas.push(schema);
  return schema;
}

function makeTranscriptRecord(overrides: Partial<TranscriptRecord> = {}): TranscriptRecord {
  return {
    sessionId: 'session-1',
    turnId: 'turn-1',
    channel: 'phone',
    locale: 'nl-NL',
    speaker: 'customer',
    text: 'Waar is mijn bestelling?',
    intent: 'OrderStatus',
    confidence: 0.93,
    at: '2025-03-14T09:30:00.000Z',
    ...overrides,
  };
}

function makeHandoff(overrides: Partial<HandoffPackage> = {}): HandoffPackage {
  return {
    id: 'handoff-1',
    code: '482913',
    reason: 'asked-for-person',
    channel: 'alexa',
    locale: 'nl-NL',
    sessionId: 'session-1',
    customer: {
      id: 'cust-1',
      name: 'Jan de Vries',
      firstName: 'Jan',
      verified: true,
      method: 'account-link',
    },
    callerId: null,
    intents: [{ intent: 'ExplainBill', slots: { month: '03' }, at: '2025-03-14T09:30:00.000Z' }],
    tried: ['skill:ExplainBill'],
    transcript: [
      { at: '2025-03-14T09:30:00.000Z', speaker: 'customer', text: 'Waarom is mijn rekening hoger?' },
      {
        at: '2025-03-14T09:30:09.000Z',
        speaker: 'customer',
        text: 'Ik wil een medewerker.',
        intent: 'SpeakToAgent',
      },
    ],
    summary:
      'Klant wil uitleg over de rekening van maart; identiteit gecontroleerd; doorverbonden op verzoek.',
    sentiment: { score: -0.3, label: 'negative' },
    queue: 'billing',
    createdAt: '2025-03-14T09:30:10.000Z',
    updatedAt: '2025-03-14T09:30:10.000Z',
    status: 'waiting',
    ...overrides,
  };
}

async function open(schema: string, onCorruptHandoff?: (id: string) => void): Promise<RecordsStore> {
  store = await createPostgresRecordsStore({
    url: DATABASE_URL,
    schema,
    poolSize: 3,
    ...(onCorruptHandoff ? { onCorruptHandoff } : {}),
  });
  return store;
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: withDefaultUser(DATABASE_URL) });
  await admin.connect();
});
afterEach(async () => {
  await store?.close();
  store = null;
});
afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

describe('postgres records store: transcripts', () => {
  it('lists a session transcript in the order it was appended, across calls and since a time', async () => {
    const records = await open(freshSchema('order'));
    await records.appendTranscript([
      makeTranscriptRecord({ turnId: 't1', text: 'Hallo' }),
      makeTranscriptRecord({
        turnId: 't1',
        speaker: 'bot',
        text: 'Goedemorgen!',
        intent: null,
        confidence: null,
      }),
    ]);
    await records.appendTranscript([makeTranscriptRecord({ sessionId: 'other', text: 'Hi' })]);
    await records.appendTranscript([
      makeTranscriptRecord({
        turnId: 't2',
        text: 'Waar is bestelling [order]?',
        at: '2025-03-14T09:31:00.000Z',
      }),
    ]);
    await records.appendTranscript([]);

    const transcript = await records.listTranscript('session-1');
    expect(transcript.map((record) => record.text)).toEqual([
      'Hallo',
      'Goedemorgen!',
      'Waar is bestelling [order]?',
    ]);
    expect(transcript[1]).toEqual(
      makeTranscriptRecord({
        turnId: 't1',
        speaker: 'bot',
        text: 'Goedemorgen!',
        intent: null,
        confidence: null,
      }),
    );
    expect(transcript[0]?.confidence).toBe(0.93);
    expect(
      (await records.listTranscript('session-1', '2025-03-14T09:31:00.000Z')).map((r) => r.turnId),
    ).toEqual(['t2']);
    expect(await records.listTranscript('nobody')).toEqual([]);
  });

  it('stores a batch completely or not at all', async () => {
    const records = await open(freshSchema('atomic'));
    const badSpeaker = makeTranscriptRecord({ speaker: 'agent' as TranscriptRecord['speaker'] });
    await expect(
      records.appendTranscript([makeTranscriptRecord({ text: 'first' }), badSpeaker]),
    ).rejects.toThrow(/check constraint/i);
    expect(await records.listTranscript('session-1')).toEqual([]);
  });
});

describe('postgres records store: handoffs', () => {
  it('saves, gets and updates a package by id, with the optional fields kept', async () => {
    const records = await open(freshSchema('upsert'));
    const waiting = makeHandoff();
    await records.saveHandoff(waiting);
    expect(await records.getHandoff('handoff-1')).toEqual(waiting);

    const accepted = makeHandoff({
      status: 'accepted',
      updatedAt: '2025-03-14T09:31:00.000Z',
      agent: {
        acceptedBy: 'sanne',
        acceptedAt: '2025-03-14T09:31:00.000Z',
        resolvedBy: null,
        resolvedAt: null,
        note: null,
      },
      callback: {
        phone: '+31612345678',
        preferredMoment: { asap: false, date: '2025-03-15', dayPart: 'morning' },
        requestedAt: '2025-03-14T09:30:30.000Z',
      },
    });
    await records.saveHandoff(accepted);
    expect(await records.getHandoff('handoff-1')).toEqual(accepted);
    expect(await records.listHandoffs()).toHaveLength(1);
    expect(await records.getHandoff('missing')).toBeNull();
  });

  it('finds the newest package with a spoken code', async () => {
    const records = await open(freshSchema('code'));
    await records.saveHandoff(
      makeHandoff({ id: 'old', code: '111222', createdAt: '2025-03-10T08:00:00.000Z' }),
    );
    // The offset is normalised, so this one (07:00Z) is still older than 'newest' even though its text sorts later.
    await records.saveHandoff(
      makeHandoff({ id: 'offset', code: '111222', createdAt: '2025-03-14T09:00:00+02:00' }),
    );
    await records.saveHandoff(
      makeHandoff({ id: 'newest', code: '111222', createdAt: '2025-03-14T08:00:00.000Z' }),
    );
    await records.saveHandoff(
      makeHandoff({ id: 'same-ms', code: '333444', createdAt: '2025-03-14T08:00:00.000Z' }),
    );
    await records.saveHandoff(
      makeHandoff({ id: 'same-ms-later', code: '333444', createdAt: '2025-03-14T08:00:00.000Z' }),
    );
    expect((await records.getHandoffByCode('111222'))?.id).toBe('newest');
    expect((await records.getHandoffByCode('333444'))?.id).toBe('same-ms-later');
    expect(await records.getHandoffByCode('000000')).toBeNull();
  });

  it('lists newest first, filtered by status and limited', async () => {
    const records = await open(freshSchema('list'));
    const packages = [
      makeHandoff({ id: 'h1', createdAt: '2025-03-14T09:00:00.000Z', status: 'resolved' }),
      makeHandoff({ id: 'h2', createdAt: '2025-03-14T09:05:00.000Z', status: 'waiting' }),
      makeHandoff({ id: 'h3', createdAt: '2025-03-14T09:10:00.000Z', status: 'accepted' }),
      makeHandoff({ id: 'h4', createdAt: '2025-03-14T09:15:00.000Z', status: 'waiting' }),
    ];
    for (const pkg of packages) await records.saveHandoff(pkg);
    expect((await records.listHandoffs()).map((pkg) => pkg.id)).toEqual(['h4', 'h3', 'h2', 'h1']);
    expect((await records.listHandoffs({ status: 'waiting' })).map((pkg) => pkg.id)).toEqual(['h4', 'h2']);
    expect(await records.listHandoffs({ status: 'expired' })).toEqual([]);
    expect((await records.listHandoffs({ limit: 2 })).map((pkg) => pkg.id)).toEqual(['h4', 'h3']);
    await records.saveHandoff({ ...(packages[1] as HandoffPackage), status: 'accepted' });
    expect((await records.listHandoffs({ status: 'waiting' })).map((pkg) => pkg.id)).toEqual(['h4']);
  });

  it('finds the waiting handoffs of one caller since a moment, through the caller-key index', async () => {
    const records = await open(freshSchema('caller'));
    const base = { callerKey: 'key-a', status: 'waiting' as const };
    await records.saveHandoff(makeHandoff({ ...base, id: 'old', createdAt: '2025-03-13T09:00:00.000Z' }));
    await records.saveHandoff(makeHandoff({ ...base, id: 'recent', createdAt: '2025-03-14T09:00:00.000Z' }));
    await records.saveHandoff(makeHandoff({ ...base, id: 'newest', createdAt: '2025-03-14T10:00:00.000Z' }));
    await records.saveHandoff(
      makeHandoff({ ...base, id: 'taken', status: 'accepted', createdAt: '2025-03-14T10:00:00.000Z' }),
    );
    await records.saveHandoff(
      makeHandoff({ ...base, id: 'other', callerKey: 'key-b', createdAt: '2025-03-14T10:00:00.000Z' }),
    );
    const found = await records.findWaitingByCallerKey?.('key-a', '2025-03-14T08:00:00.000Z');
    expect(found?.map((pkg) => pkg.id)).toEqual(['newest', 'recent']);
    const plan = await admin.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname = 'handoffs_waiting_caller'`,
      [`${RUN}_caller`],
    );
    expect(plan.rows).toHaveLength(1);
  });

  it('rejects an invalid package and stores nothing', async () => {
    const records = await open(freshSchema('invalid'));
    await expect(records.saveHandoff(makeHandoff({ id: 'bad-code', code: '12AB' }))).rejects.toThrow(
      /invalid handoff package bad-code/,
    );
    expect(await records.listHandoffs()).toEqual([]);
  });

  it('leaves a corrupt row out of the list and reports it, instead of failing the whole queue', async () => {
    const schema = freshSchema('corrupt');
    const corrupt: string[] = [];
    const records = await open(schema, (id) => corrupt.push(id));
    await records.saveHandoff(makeHandoff({ id: 'good-1', createdAt: '2025-03-14T09:00:00.000Z' }));
    await records.saveHandoff(makeHandoff({ id: 'broken', createdAt: '2025-03-14T09:01:00.000Z' }));
    await records.saveHandoff(makeHandoff({ id: 'good-2', createdAt: '2025-03-14T09:02:00.000Z' }));
    await admin.query(
      `UPDATE "${schema}".handoffs SET package = '{"id":"broken","code":"x"}' WHERE id = 'broken'`,
    );

    expect((await records.listHandoffs()).map((pkg) => pkg.id)).toEqual(['good-2', 'good-1']);
    expect(corrupt).toEqual(['broken']);
    await expect(records.getHandoff('broken')).rejects.toThrow(/stored handoff package broken is invalid/);
  });
});

describe('postgres records store: migrations', () => {
  it('keeps data across close and reopen, at the latest schema version', async () => {
    const schema = freshSchema('reopen');
    let records = await open(schema);
    await records.appendTranscript([
      makeTranscriptRecord({ text: 'eerst' }),
      makeTranscriptRecord({ text: 'dan' }),
    ]);
    await records.saveHandoff(makeHandoff());
    await records.close();
    store = null;

    records = await open(schema);
    expect((await records.listTranscript('session-1')).map((record) => record.text)).toEqual([
      'eerst',
      'dan',
    ]);
    expect(await records.getHandoffByCode('482913')).toEqual(makeHandoff());
    const version = await admin.query(`SELECT version FROM "${schema}".schema_version`);
    expect(version.rows).toEqual([{ version: RECORDS_POSTGRES_MIGRATIONS.length }]);
  });

  it('migrates once when two instances start at the same time', async () => {
    const schema = freshSchema('race');
    const [first, second] = await Promise.all([
      createPostgresRecordsStore({ url: DATABASE_URL, schema, poolSize: 1 }),
      createPostgresRecordsStore({ url: DATABASE_URL, schema, poolSize: 1 }),
    ]);
    await first.saveHandoff(makeHandoff());
    expect(await second.getHandoff('handoff-1')).toEqual(makeHandoff());
    await Promise.all([first.close(), second.close()]);
    const version = await admin.query(`SELECT version FROM "${schema}".schema_version`);
    expect(version.rows).toEqual([{ version: RECORDS_POSTGRES_MIGRATIONS.length }]);
  });

  it('applies only the pending migrations, and refuses a schema from a newer release', async () => {
    const schema = freshSchema('runner');
    const pool = new pg.Pool({ connectionString: withDefaultUser(DATABASE_URL), max: 1 });
    const client = await pool.connect();
    try {
      const one = ['CREATE TABLE things (id INTEGER PRIMARY KEY)'];
      expect(await migratePostgres(client, { schema, migrations: one })).toBe(1);
      const two = [...one, 'ALTER TABLE things ADD COLUMN name TEXT'];
      expect(await migratePostgres(client, { schema, migrations: two })).toBe(2);
      expect(await migratePostgres(client, { schema, migrations: two })).toBe(2);
      await client.query(`INSERT INTO "${schema}".things (id, name) VALUES (1, 'a')`);
      await expect(migratePostgres(client, { schema, migrations: one })).rejects.toThrow(
        /at version 2, newer than this release knows \(1\)/,
      );
      // A failing migration leaves the schema as it was.
      const broken = [...two, 'ALTER TABLE things ADD COLUMN name TEXT'];
      await expect(migratePostgres(client, { schema, migrations: broken })).rejects.toThrow(/already exists/);
      const version = await client.query(`SELECT version FROM "${schema}".schema_version`);
      expect(version.rows).toEqual([{ version: 2 }]);
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('says clearly when the database cannot be reached', async () => {
    await expect(
      createPostgresRecordsStore({ url: 'postgres://127.0.0.1:1/none', schema: freshSchema('unreachable') }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

describe('Loket on Postgres', () => {
  it('keeps transcripts and handoffs in Postgres when DATABASE_URL is set, and agents read them from there', async () => {
    const schema = freshSchema('server');
    const token = 'sanne-token-0123456789abcdef';
    const server = await startTestServer({
      DATABASE_URL,
      LOKET_POSTGRES_SCHEMA: schema,
      LOKET_AGENT_TOKENS: `sanne:${token}`,
    });
    try {
      const { json } = await converse(server.url, {
        sessionId: 'pg-1',
        locale: 'nl-NL',
        text: 'ik wil een klacht indienen, bel me op 06 12345678',
      });
      expect(json.handoff).toMatchObject({ queue: 'complaints' });
      const rows = await admin.query(`SELECT id, status, package FROM "${schema}".handoffs`);
      expect(rows.rows).toEqual([expect.objectContaining({ id: json.handoff.id, status: 'waiting' })]);
      expect(JSON.stringify(rows.rows[0].package)).not.toContain('12345678');
      const transcript = await admin.query(`SELECT speaker, text FROM "${schema}".transcripts ORDER BY seq`);
      expect(transcript.rows[0]).toEqual({
        speaker: 'customer',
        text: 'ik wil een klacht indienen, bel me op [phone]',
      });

      const list = await fetch(`${server.url}/agent/handoffs?status=waiting`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await list.json()) as { handoffs: { id: string }[] }).handoffs.map((pkg) => pkg.id)).toEqual([
        json.handoff.id,
      ]);
      const ready = await fetch(`${server.url}/readyz`).catch(() => null);
      if (ready && ready.status !== 404) expect(ready.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses a DATABASE_URL that is not a Postgres URL, without echoing it', () => {
    try {
      readHandoffSettings({ DATABASE_URL: 'mysql://user:secret@db/loket' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems).toEqual([
        'DATABASE_URL: must start with postgres:// or postgresql://',
      ]);
    }
  });
});
