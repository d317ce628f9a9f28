// GDPR and retention on both records stores, the same tests against a real SQLite file and the machine's real Postgres
// (one schema per run, dropped afterwards): linking a session to a customer, an access request that finds the turns
// before identification, an erasure that removes everything of one customer in one transaction and nothing of anyone
// else, the retention's counts and scrubbing, and the upgrade of a database from the release before.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffPackage } from '../../fulfillment/core/types.ts';
import { migratePostgres } from '../../fulfillment/stores/migrations/postgres.ts';
import {
  createPostgresRecordsStore,
  RECORDS_POSTGRES_MIGRATIONS,
  withDefaultUser,
} from '../../fulfillment/stores/records-postgres.ts';
import {
  createSqliteRecordsStore,
  RECORDS_SQLITE_MIGRATIONS,
} from '../../fulfillment/stores/records-sqlite.ts';
import type { RecordsStore, TranscriptRecord } from '../../fulfillment/stores/records-store.ts';

const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUN = `loket_privacy_${process.pid}_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];
let admin: pg.Client;
let tempDir = '';
const opened: RecordsStore[] = [];

function turn(overrides: Partial<TranscriptRecord> = {}): TranscriptRecord {
  return {
    sessionId: 'session-jan',
    turnId: 'turn-1',
    channel: 'text',
    locale: 'nl-NL',
    speaker: 'customer',
    text: 'Hoe laat zijn jullie open?',
    intent: 'OpeningHours',
    confidence: 0.9,
    at: '2025-03-14T09:30:00.000Z',
    ...overrides,
  };
}

function handoff(overrides: Partial<HandoffPackage> = {}): HandoffPackage {
  return {
    id: 'handoff-jan',
    code: '482913',
    reason: 'asked-for-person',
    channel: 'text',
    locale: 'nl-NL',
    sessionId: 'session-jan',
    customer: {
      id: 'cust-1',
      name: 'Jan de Vries',
      firstName: 'Jan',
      verified: true,
      method: 'customer-number',
    },
    callerId: null,
    intents: [{ intent: 'ExplainBill', slots: {}, at: '2025-03-14T09:31:00.000Z' }],
    tried: ['skill:ExplainBill'],
    transcript: [{ at: '2025-03-14T09:31:00.000Z', speaker: 'customer', text: 'Ik wil een medewerker.' }],
    summary: 'Wil uitleg over de rekening; wil een medewerker.',
    sentiment: { score: -0.2, label: 'negative' },
    queue: 'billing',
    createdAt: '2025-03-14T09:31:10.000Z',
    updatedAt: '2025-03-14T09:31:10.000Z',
    status: 'waiting',
    ...overrides,
  };
}

const callback = {
  phone: '+31612345678',
  preferredMoment: { asap: true, date: null, dayPart: null },
  requestedAt: '2025-03-14T09:31:05.000Z',
};

interface StoreKind {
  name: string;
  /** a fresh, empty store */
  open(): Promise<RecordsStore>;
  /** makes deleting session links fail inside the database, to see an erasure roll back */
  refuseLinkDeletes(): Promise<void>;
  /** damages one stored package behind the store's back, as the agent API's tests do */
  damagePackage(id: string): Promise<void>;
}

let sqliteFile = '';
let postgresSchema = '';
const kinds: StoreKind[] = [
  {
    name: 'sqlite',
    async open() {
      sqliteFile = path.join(tempDir, `records-${randomBytes(4).toString('hex')}.db`);
      const store = createSqliteRecordsStore({ file: sqliteFile, writeBatchMs: 5 });
      opened.push(store);
      return store;
    },
    async refuseLinkDeletes() {
      const db = new Database(sqliteFile);
      db.exec(
        `CREATE TRIGGER refuse BEFORE DELETE ON session_customers BEGIN SELECT RAISE(ABORT, 'refused'); END;`,
      );
      db.close();
    },
    async damagePackage(id) {
      const db = new Database(sqliteFile);
      db.prepare(`UPDATE handoffs SET package = '{"id": "broken' WHERE id = ?`).run(id);
      db.close();
    },
  },
  {
    name: 'postgres',
    async open() {
      postgresSchema = `${RUN}_${schemas.length}`;
      schemas.push(postgresSchema);
      const store = await createPostgresRecordsStore({
        url: DATABASE_URL,
        schema: postgresSchema,
        poolSize: 3,
      });
      opened.push(store);
      return store;
    },
    async refuseLinkDeletes() {
      const schema = `"${postgresSchema}"`;
      await admin.query(
        `CREATE FUNCTION ${schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
      );
      await admin.query(
        `CREATE TRIGGER refuse BEFORE DELETE ON ${schema}.session_customers FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse()`,
      );
    },
    async damagePackage(id) {
      await admin.query(
        `UPDATE "${postgresSchema}".handoffs SET package = '{"unexpected": [1, 2]}'::jsonb WHERE id = $1`,
        [id],
      );
    },
  },
];

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-privacy-'));
  admin = new pg.Client({ connectionString: withDefaultUser(DATABASE_URL) });
  await admin.connect();
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

/**
 * Jan talks first without being known (opening hours), is identified, is handed over; later a second session of his
 * is only named by a handoff package. Emma has her own session and package.
 */
async function seedTwoCustomers(store: RecordsStore): Promise<void> {
  await store.appendTranscript([
    turn({ turnId: 't1', text: 'Hoe laat zijn jullie open?' }),
    turn({ turnId: 't1', speaker: 'bot', text: 'Van 8 tot 20 uur.', intent: null, confidence: null }),
  ]);
  await store.appendTranscript([
    turn({
      turnId: 't2',
      text: 'Mijn klantnummer is [number]',
      intent: 'ExplainBill',
      at: '2025-03-14T09:30:30.000Z',
    }),
  ]);
  await store.linkCustomer('session-jan', 'cust-1', '2025-03-14T09:30:30.000Z');
  await store.saveHandoff(handoff({ callback }));
  // Emma: another customer, another session.
  await store.appendTranscript([
    turn({
      sessionId: 'session-emma',
      turnId: 'e1',
      text: 'Mijn modem doet het niet',
      at: '2025-03-14T10:00:00.000Z',
    }),
  ]);
  await store.linkCustomer('session-emma', 'cust-2', '2025-03-14T10:00:10.000Z');
  await store.saveHandoff(
    handoff({
      id: 'handoff-emma',
      code: '111222',
      sessionId: 'session-emma',
      customer: { id: 'cust-2', name: 'Emma Jansen', firstName: 'Emma', verified: true, method: 'caller-id' },
      createdAt: '2025-03-14T10:01:00.000Z',
      updatedAt: '2025-03-14T10:01:00.000Z',
    }),
  );
  // A session of Jan's that no link names (from before links existed): his handoff package names it.
  await store.appendTranscript([
    turn({ sessionId: 'session-jan-old', turnId: 'o1', text: 'Storing?', at: '2025-03-01T08:00:00.000Z' }),
  ]);
  await store.saveHandoff(
    handoff({
      id: 'handoff-jan-old',
      code: '333444',
      sessionId: 'session-jan-old',
      status: 'resolved',
      createdAt: '2025-03-01T08:01:00.000Z',
      updatedAt: '2025-03-01T09:00:00.000Z',
    }),
  );
}

describe.each(kinds)('$name records store: GDPR', (kind) => {
  it('links a session to a customer once, however often it is told', async () => {
    const store = await kind.open();
    await store.linkCustomer('session-jan', 'cust-1', '2025-03-14T09:30:30.000Z');
    await store.linkCustomer('session-jan', 'cust-1', '2025-03-14T09:45:00.000Z');
    // A time with an offset is stored as UTC, like every other timestamp.
    await store.linkCustomer('session-jan-2', 'cust-1', '2025-03-14T11:00:00+01:00');
    const records = await store.exportCustomer('cust-1');
    expect(records.sessions).toEqual([
      { sessionId: 'session-jan', linkedAt: '2025-03-14T09:30:30.000Z' },
      { sessionId: 'session-jan-2', linkedAt: '2025-03-14T10:00:00.000Z' },
    ]);
  });

  it("exports a customer's whole conversations, including the turns before they were identified", async () => {
    const store = await kind.open();
    await seedTwoCustomers(store);
    const records = await store.exportCustomer('cust-1');
    expect(records.customerId).toBe('cust-1');
    expect(records.sessions).toEqual([
      { sessionId: 'session-jan-old', linkedAt: '2025-03-01T08:01:00.000Z' },
      { sessionId: 'session-jan', linkedAt: '2025-03-14T09:30:30.000Z' },
    ]);
    expect(records.transcripts.map((record) => [record.sessionId, record.text])).toEqual([
      ['session-jan', 'Hoe laat zijn jullie open?'],
      ['session-jan', 'Van 8 tot 20 uur.'],
      ['session-jan', 'Mijn klantnummer is [number]'],
      ['session-jan-old', 'Storing?'],
    ]);
    expect(records.handoffs.map((pkg) => pkg.id)).toEqual(['handoff-jan-old', 'handoff-jan']);
    expect(records.handoffs[1]).toEqual(handoff({ callback }));

    const emma = await store.exportCustomer('cust-2');
    expect(emma.transcripts.map((record) => record.text)).toEqual(['Mijn modem doet het niet']);
    expect(emma.handoffs.map((pkg) => pkg.id)).toEqual(['handoff-emma']);
    expect(await store.exportCustomer('nobody')).toEqual({
      customerId: 'nobody',
      sessions: [],
      transcripts: [],
      handoffs: [],
    });
  });

  it('finds a handoff made before identification in a linked session', async () => {
    const store = await kind.open();
    await store.saveHandoff(handoff({ customer: null }));
    expect((await store.exportCustomer('cust-1')).handoffs).toEqual([]);
    await store.linkCustomer('session-jan', 'cust-1', '2025-03-14T09:40:00.000Z');
    expect((await store.exportCustomer('cust-1')).handoffs.map((pkg) => pkg.id)).toEqual(['handoff-jan']);
  });

  it("erases everything of one customer and leaves every other customer's records as they were", async () => {
    const store = await kind.open();
    await seedTwoCustomers(store);
    const emmaBefore = await store.exportCustomer('cust-2');
    // Still in the SQLite write-behind buffer when the erasure comes: erased too.
    await store.appendTranscript([turn({ turnId: 't3', text: 'Bedankt', at: '2025-03-14T09:32:00.000Z' })]);

    expect(await store.eraseCustomer('cust-1')).toEqual({ sessions: 2, transcripts: 5, handoffs: 2 });
    expect(await store.exportCustomer('cust-1')).toEqual({
      customerId: 'cust-1',
      sessions: [],
      transcripts: [],
      handoffs: [],
    });
    expect(await store.listTranscript('session-jan')).toEqual([]);
    expect(await store.getHandoff('handoff-jan')).toBeNull();
    expect(await store.getHandoffByCode('333444')).toBeNull();
    expect(await store.exportCustomer('cust-2')).toEqual(emmaBefore);
    expect((await store.listHandoffs()).map((pkg) => pkg.id)).toEqual(['handoff-emma']);
    // A second request finds nothing left.
    expect(await store.eraseCustomer('cust-1')).toEqual({ sessions: 0, transcripts: 0, handoffs: 0 });
    expect(await store.eraseCustomer('nobody')).toEqual({ sessions: 0, transcripts: 0, handoffs: 0 });
  });

  it("is not stopped by someone else's damaged package", async () => {
    const store = await kind.open();
    await seedTwoCustomers(store);
    await kind.damagePackage('handoff-emma');
    expect((await store.exportCustomer('cust-1')).handoffs).toHaveLength(2);
    expect(await store.applyRetention('2025-03-14T00:00:00.000Z')).toMatchObject({ handoffsScrubbed: 1 });
    expect(await store.eraseCustomer('cust-1')).toMatchObject({ handoffs: 2 });
  });

  it('erases in one transaction: when one part fails, nothing is erased', async () => {
    const store = await kind.open();
    await seedTwoCustomers(store);
    const before = await store.exportCustomer('cust-1');
    await kind.refuseLinkDeletes();
    await expect(store.eraseCustomer('cust-1')).rejects.toThrow(/refused/);
    expect(await store.exportCustomer('cust-1')).toEqual(before);
  });
});

describe.each(kinds)('$name records store: retention', (kind) => {
  const before = '2025-03-10T00:00:00.000Z';

  async function seedOldAndNew(store: RecordsStore) {
    await store.appendTranscript([
      turn({ sessionId: 'old', turnId: 'o1', at: '2025-03-01T08:00:00.000Z' }),
      turn({ sessionId: 'old', turnId: 'o1', speaker: 'bot', at: '2025-03-01T08:00:00.500Z' }),
      // A session that runs across the cutoff keeps its newer turns.
      turn({ sessionId: 'across', turnId: 'a1', at: '2025-03-09T23:59:59.000Z' }),
      turn({ sessionId: 'across', turnId: 'a2', at: '2025-03-10T00:00:01.000Z' }),
      turn({ sessionId: 'new', turnId: 'n1', at: '2025-03-14T09:30:00.000Z' }),
    ]);
    await store.linkCustomer('old', 'cust-1', '2025-03-01T08:00:00.000Z');
    await store.linkCustomer('across', 'cust-1', '2025-03-09T23:59:59.000Z');
    await store.linkCustomer('new', 'cust-1', '2025-03-14T09:30:00.000Z');
    const old = { createdAt: '2025-03-01T08:01:00.000Z', updatedAt: '2025-03-01T09:00:00.000Z' };
    await store.saveHandoff(
      handoff({ id: 'old-resolved', code: '100001', status: 'resolved', callback, ...old }),
    );
    await store.saveHandoff(handoff({ id: 'old-expired', code: '100002', status: 'expired', ...old }));
    // Already without transcript or number: nothing to scrub, so not counted.
    await store.saveHandoff(
      handoff({ id: 'old-bare', code: '100003', status: 'resolved', transcript: [], callback: null, ...old }),
    );
    // Still waiting: an agent may yet need the transcript (expiry moves it on first).
    await store.saveHandoff(
      handoff({ id: 'old-waiting', code: '100004', status: 'waiting', callback, ...old }),
    );
    await store.saveHandoff(handoff({ id: 'new-resolved', code: '100005', status: 'resolved', callback }));
  }

  it('deletes old transcript records and scrubs old packages, with counts, and a second run finds nothing', async () => {
    const store = await kind.open();
    await seedOldAndNew(store);
    expect(await store.applyRetention(before)).toEqual({
      transcripts: 3,
      handoffsScrubbed: 2,
      sessionLinks: 1,
    });

    expect(await store.listTranscript('old')).toEqual([]);
    expect((await store.listTranscript('across')).map((record) => record.turnId)).toEqual(['a2']);
    expect(await store.listTranscript('new')).toHaveLength(1);
    // The link of "old" went with its last turn; a link stays while its session still has turns ("across"). The
    // packages keep their customer, so their session ("session-jan") is still found.
    expect((await store.exportCustomer('cust-1')).sessions.map((session) => session.sessionId)).toEqual([
      'session-jan',
      'across',
      'new',
    ]);

    const scrubbed = await store.getHandoff('old-resolved');
    expect(scrubbed).toEqual({
      ...handoff({ id: 'old-resolved', code: '100001', status: 'resolved' }),
      ...{
        createdAt: '2025-03-01T08:01:00.000Z',
        updatedAt: '2025-03-01T09:00:00.000Z',
        transcript: [],
        callback: null,
      },
    });
    expect(scrubbed?.summary).toBe(handoff().summary);
    expect(scrubbed?.customer?.id).toBe('cust-1');
    expect((await store.getHandoff('old-expired'))?.transcript).toEqual([]);
    expect(await store.getHandoff('old-waiting')).toMatchObject({
      callback,
      transcript: handoff().transcript,
    });
    expect(await store.getHandoff('new-resolved')).toMatchObject({
      callback,
      transcript: handoff().transcript,
    });

    expect(await store.applyRetention(before)).toEqual({
      transcripts: 0,
      handoffsScrubbed: 0,
      sessionLinks: 0,
    });
  });

  it('lists packages created before a moment, for the expiry', async () => {
    const store = await kind.open();
    await seedOldAndNew(store);
    const waitingBefore = await store.listHandoffs({ status: 'waiting', createdBefore: before });
    expect(waitingBefore.map((pkg) => pkg.id)).toEqual(['old-waiting']);
    const allBefore = await store.listHandoffs({ createdBefore: '2025-03-01T10:02:00+02:00', limit: 2 });
    expect(allBefore).toHaveLength(2);
    expect(await store.listHandoffs({ createdBefore: '2025-03-01T08:00:00.000Z' })).toEqual([]);
  });
});

describe('upgrading a records database from the release before', () => {
  it('sqlite: adds the customer links to a version 1 file and keeps its rows', async () => {
    const file = path.join(tempDir, 'version-1.db');
    const db = new Database(file);
    db.exec(RECORDS_SQLITE_MIGRATIONS[0] ?? '');
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);');
    db.prepare(
      `INSERT INTO transcripts (session_id, turn_id, channel, locale, speaker, text, intent, confidence, at)
       VALUES ('session-jan', 't1', 'text', 'nl-NL', 'customer', 'Hallo', NULL, NULL, '2025-03-14T09:30:00.000Z')`,
    ).run();
    db.close();

    const store = createSqliteRecordsStore({ file });
    opened.push(store);
    await store.linkCustomer('session-jan', 'cust-1', '2025-03-14T09:31:00.000Z');
    expect((await store.exportCustomer('cust-1')).transcripts.map((record) => record.text)).toEqual([
      'Hallo',
    ]);
    const inspect = new Database(file, { readonly: true });
    expect(inspect.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([
      RECORDS_SQLITE_MIGRATIONS.length,
    ]);
    inspect.close();
  });

  it('postgres: adds the customer links to a schema at version 2 and keeps its rows', async () => {
    const schema = `${RUN}_upgrade`;
    schemas.push(schema);
    const pool = new pg.Pool({ connectionString: withDefaultUser(DATABASE_URL), max: 1 });
    const client = await pool.connect();
    try {
      await migratePostgres(client, { schema, migrations: RECORDS_POSTGRES_MIGRATIONS.slice(0, 2) });
      await client.query(
        `INSERT INTO "${schema}".transcripts (session_id, turn_id, channel, locale, speaker, text, at)
         VALUES ('session-jan', 't1', 'text', 'nl-NL', 'customer', 'Hallo', '2025-03-14T09:30:00.000Z')`,
      );
    } finally {
      client.release();
      await pool.end();
    }
    const store = await createPostgresRecordsStore({ url: DATABASE_URL, schema, poolSize: 2 });
    opened.push(store);
    await store.linkCustomer('session-jan', 'cust-1', '2025-03-14T09:31:00.000Z');
    expect((await store.exportCustomer('cust-1')).transcripts.map((record) => record.text)).toEqual([
      'Hallo',
    ]);
    const version = await admin.query(`SELECT version FROM "${schema}".schema_version`);
    expect(version.rows).toEqual([{ version: RECORDS_POSTGRES_MIGRATIONS.length }]);
    const index = await admin.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'session_customers' ORDER BY 1`,
      [schema],
    );
    expect(index.rows.map((row) => row.indexname)).toEqual([
      'session_customers_customer',
      'session_customers_pkey',
    ]);
  });
});
