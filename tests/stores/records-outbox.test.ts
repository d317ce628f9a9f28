// The records outbox in front of a real Postgres store, on a private Postgres server that the test stops and starts:
// writes wait in order while it is down, reads see them, a write Postgres refuses is set aside without blocking the
// rest, and a new outbox on the same file picks up what an earlier one left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffPackage } from '../../fulfillment/core/types.ts';
import {
  createRecordsOutbox,
  mergeHandoffs,
  mergeTranscripts,
} from '../../fulfillment/stores/records-outbox.ts';
import { createPostgresRecordsStore } from '../../fulfillment/stores/records-postgres.ts';
import type { TranscriptRecord } from '../../fulfillment/stores/records-store.ts';
import { isStoreUnavailable } from '../../fulfillment/stores/store-unavailable.ts';
import { freePort } from '../helpers/free-port.ts';
import { createPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';

let database: PrivatePostgres;
const folder = mkdtempSync(join(tmpdir(), 'loket-outbox-'));

beforeAll(async () => {
  database = await createPrivatePostgres();
}, 60_000);

afterAll(() => {
  database?.destroy();
  rmSync(folder, { recursive: true, force: true });
});

function record(
  sessionId: string,
  at: string,
  text: string,
  speaker: 'customer' | 'bot' = 'customer',
): TranscriptRecord {
  return {
    sessionId,
    turnId: `t-${at}`,
    channel: 'text',
    locale: 'nl-NL',
    speaker,
    text,
    intent: null,
    confidence: null,
    at,
  };
}

function handoff(id: string, overrides: Partial<HandoffPackage> = {}): HandoffPackage {
  const at = '2026-11-22T10:00:00.000Z';
  return {
    id,
    code: '123456',
    reason: 'asked-for-person',
    channel: 'text',
    locale: 'nl-NL',
    sessionId: `session-${id}`,
    customer: null,
    callerId: null,
    intents: [],
    tried: [],
    transcript: [],
    summary: 'Klant wil een medewerker spreken.',
    sentiment: { score: 0, label: 'neutral' },
    queue: 'general',
    createdAt: at,
    updatedAt: at,
    status: 'waiting',
    ...overrides,
  };
}

async function rows<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(database.url);
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function until(probe: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('isStoreUnavailable on real errors', () => {
  it('says yes to a refused connection and no to a refused statement', async () => {
    const closedPort = await freePort();
    const away = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${closedPort}/postgres` });
    const refusedConnection = await away.connect().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusedConnection).not.toBeNull();
    expect(isStoreUnavailable(refusedConnection)).toBe(true);

    const client = new pg.Client(database.url);
    await client.connect();
    const badStatement = await client.query('SELECT * FROM no_such_table').then(
      () => null,
      (error: unknown) => error,
    );
    await client.end();
    expect((badStatement as { code?: string }).code).toBe('42P01');
    expect(isStoreUnavailable(badStatement)).toBe(false);
    expect(isStoreUnavailable(new Error('invalid handoff package x'))).toBe(false);
  });
});

describe('merging what waits with what is stored', () => {
  it('keeps transcripts in time order, each record once', () => {
    const a = record('s', '2026-11-22T10:00:00.000Z', 'a');
    const b = record('s', '2026-11-22T10:00:01.000Z', 'b');
    const c = record('s', '2026-11-22T10:00:02.000Z', 'c');
    expect(mergeTranscripts([a, b], [b, c]).map((entry) => entry.text)).toEqual(['a', 'b', 'c']);
  });

  it('lays waiting package versions over stored ones, newest first, filtered and cut', () => {
    const old = handoff('h1', { createdAt: '2026-11-22T09:00:00.000Z' });
    const accepted = { ...old, status: 'accepted' as const };
    const newer = handoff('h2', { createdAt: '2026-11-22T11:00:00.000Z' });
    expect(mergeHandoffs([old], [accepted, newer], {}).map((pkg) => [pkg.id, pkg.status])).toEqual([
      ['h2', 'waiting'],
      ['h1', 'accepted'],
    ]);
    expect(
      mergeHandoffs([old], [accepted, newer], { status: 'waiting', limit: 5 }).map((pkg) => pkg.id),
    ).toEqual(['h2']);
  });
});

describe('an outbox in front of Postgres that goes away', () => {
  it('queues in order while Postgres is down, serves reads from what waits, and parks a refused write', async () => {
    const schema = `outbox_${process.pid}`;
    const store = await createPostgresRecordsStore({ url: database.url, schema });
    const file = join(folder, 'outbox-1.db');
    const parked: string[] = [];
    const outbox = createRecordsOutbox({
      inner: store,
      file,
      firstRetryMs: 50,
      maxRetryMs: 200,
      maxRefusals: 3,
      events: { parked: (write) => parked.push(write.kind) },
    });
    await outbox.appendTranscript([record('s1', '2026-11-22T10:00:00.000Z', 'eerste zin')]);
    expect(outbox.pending()).toBe(0);

    database.stop();
    await outbox.appendTranscript([record('s1', '2026-11-22T10:00:05.000Z', 'tweede zin')]);
    await outbox.saveHandoff(handoff('h-down'));
    // A row Postgres will refuse (the speaker check constraint), queued between good ones.
    await outbox.appendTranscript([
      { ...record('s1', '2026-11-22T10:00:06.000Z', 'kapot'), speaker: 'robot' as 'bot' },
    ]);
    await outbox.saveHandoff(
      handoff('h-down', { status: 'accepted', updatedAt: '2026-11-22T10:01:00.000Z' }),
    );
    await outbox.linkCustomer('s1', 'C-1001', '2026-11-22T10:00:07.000Z');
    expect(outbox.pending()).toBe(5);

    // Reads while down: the newest waiting version, the conversation from memory, a degraded but ready ping.
    expect((await outbox.getHandoff('h-down'))?.status).toBe('accepted');
    expect((await outbox.getHandoffByCode('123456'))?.id).toBe('h-down');
    const transcript = await outbox.listTranscript('s1');
    expect(transcript.map((entry) => entry.text)).toEqual(['eerste zin', 'tweede zin', 'kapot']);
    await outbox.ping?.();
    expect(outbox.degradation?.()).toMatch(/ECONNREFUSED.*; 5 write\(s\) waiting in the outbox/);
    await expect(outbox.listHandoffs()).rejects.toSatisfy(isStoreUnavailable);

    database.start();
    await until(async () => outbox.pending() === 0);
    expect(parked).toEqual(['transcript']);
    const stored = await rows<{ text: string }>(
      `SELECT text FROM "${schema}".transcripts WHERE session_id = 's1' ORDER BY seq`,
    );
    expect(stored.map((row) => row.text)).toEqual(['eerste zin', 'tweede zin']);
    const packages = await rows<{ status: string }>(
      `SELECT status FROM "${schema}".handoffs WHERE id = 'h-down'`,
    );
    // Both versions were written in the order they were made: the accepted one last.
    expect(packages.map((row) => row.status)).toEqual(['accepted']);
    expect((await outbox.exportCustomer('C-1001')).sessions.map((link) => link.sessionId)).toEqual(['s1']);
    await outbox.ping?.();
    expect(outbox.degradation?.()).toBeNull();
    await outbox.close();
  }, 60_000);

  it('hands what an earlier process left in the file to the next one', async () => {
    const schema = `outbox_restart_${process.pid}`;
    const file = join(folder, 'outbox-2.db');
    const first = createRecordsOutbox({
      inner: await createPostgresRecordsStore({ url: database.url, schema }),
      file,
      firstRetryMs: 60_000,
    });
    database.stop();
    await first.saveHandoff(handoff('h-left'));
    expect(first.pending()).toBe(1);
    // Closing while Postgres is still away: the last try fails and the package stays in the file.
    await first.close().catch(() => undefined);

    database.start();
    const second = createRecordsOutbox({
      inner: await createPostgresRecordsStore({ url: database.url, schema }),
      file,
      firstRetryMs: 50,
    });
    await until(async () => second.pending() === 0);
    expect((await rows<{ id: string }>(`SELECT id FROM "${schema}".handoffs`)).map((row) => row.id)).toEqual([
      'h-left',
    ]);
    await second.close();
  }, 60_000);
});
