// The SQLite records store: transcripts in order, handoff packages upserted and found by id, code and status.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffPackage } from '../../fulfillment/core/types.ts';
import {
  createSqliteRecordsStore,
  RECORDS_SQLITE_MIGRATIONS,
} from '../../fulfillment/stores/records-sqlite.ts';
import type { RecordsStore, TranscriptRecord } from '../../fulfillment/stores/records-store.ts';

function makeTranscriptRecord(overrides: Partial<TranscriptRecord> = {}): TranscriptRecord {
  return {
    sessionId: 'session-1',
    turnId: 'turn-1',
    channel: 'phone',
    locale: 'nl-NL',
    speaker: 'customer',
    text: 'Waar is mijn bestelling?',
    intent: 'order.status',
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
    intents: [{ intent: 'invoice.explain', slots: {}, at: '2025-03-14T09:30:00.000Z' }],
    tried: ['invoice.compare'],
    transcript: [
      { at: '2025-03-14T09:30:00.000Z', speaker: 'customer', text: 'Waarom is mijn rekening hoger?' },
      { at: '2025-03-14T09:30:01.000Z', speaker: 'bot', text: 'Je rekening is € 9,99 hoger.' },
      {
        at: '2025-03-14T09:30:09.000Z',
        speaker: 'customer',
        text: 'Ik wil een medewerker.',
        intent: 'agent',
      },
    ],
    summary: 'Vraagt waarom de rekening hoger is; wil een medewerker.',
    sentiment: { score: -0.3, label: 'negative' },
    queue: 'billing',
    createdAt: '2025-03-14T09:30:10.000Z',
    updatedAt: '2025-03-14T09:30:10.000Z',
    status: 'waiting',
    ...overrides,
  };
}

let tempDir = '';
let store: RecordsStore;

beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-records-'));
});
afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});
afterEach(async () => {
  await store.close();
});

const freshFile = (name: string) => path.join(tempDir, `${name}-${Math.random().toString(36).slice(2)}.db`);

describe('sqlite records store: transcripts', () => {
  it('lists a session transcript in the order it was appended, across calls', async () => {
    store = createSqliteRecordsStore({ file: freshFile('order') });
    await store.appendTranscript([
      makeTranscriptRecord({ turnId: 't1', speaker: 'customer', text: 'Hallo' }),
      makeTranscriptRecord({
        turnId: 't1',
        speaker: 'bot',
        text: 'Goedemorgen!',
        intent: null,
        confidence: null,
      }),
    ]);
    await store.appendTranscript([makeTranscriptRecord({ sessionId: 'other', text: 'Hi' })]);
    await store.appendTranscript([
      makeTranscriptRecord({ turnId: 't2', speaker: 'customer', text: 'Waar is bestelling [order]?' }),
    ]);
    await store.appendTranscript([]);

    const transcript = await store.listTranscript('session-1');
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
    expect(await store.listTranscript('other')).toHaveLength(1);
    expect(await store.listTranscript('nobody')).toEqual([]);
  });

  it('stores a batch completely or not at all', async () => {
    store = createSqliteRecordsStore({ file: freshFile('atomic') });
    const badSpeaker = makeTranscriptRecord({ speaker: 'agent' as TranscriptRecord['speaker'] });
    await expect(
      store.appendTranscript([makeTranscriptRecord({ text: 'first' }), badSpeaker]),
    ).rejects.toThrow(/CHECK constraint/);
    expect(await store.listTranscript('session-1')).toEqual([]);
  });
});

describe('sqlite records store: handoffs', () => {
  it('saves, gets and updates a package by id', async () => {
    store = createSqliteRecordsStore({ file: freshFile('upsert') });
    const waiting = makeHandoff();
    await store.saveHandoff(waiting);
    expect(await store.getHandoff('handoff-1')).toEqual(waiting);

    const accepted = makeHandoff({ status: 'accepted', updatedAt: '2025-03-14T09:31:00.000Z' });
    await store.saveHandoff(accepted);
    expect(await store.getHandoff('handoff-1')).toEqual(accepted);
    expect(await store.listHandoffs()).toHaveLength(1);
    expect(await store.getHandoff('missing')).toBeNull();
  });

  it('finds the newest package with a spoken code', async () => {
    store = createSqliteRecordsStore({ file: freshFile('code') });
    await store.saveHandoff(
      makeHandoff({ id: 'old', code: '111222', createdAt: '2025-03-10T08:00:00.000Z' }),
    );
    // The offset is normalised, so this one (07:00Z) is still older than 'newest' even though its text sorts later.
    await store.saveHandoff(
      makeHandoff({ id: 'offset', code: '111222', createdAt: '2025-03-14T09:00:00+02:00' }),
    );
    await store.saveHandoff(
      makeHandoff({ id: 'newest', code: '111222', createdAt: '2025-03-14T08:00:00.000Z' }),
    );
    await store.saveHandoff(
      makeHandoff({ id: 'unrelated', code: '999888', createdAt: '2025-03-15T08:00:00.000Z' }),
    );
    expect((await store.getHandoffByCode('111222'))?.id).toBe('newest');
    expect(await store.getHandoffByCode('000000')).toBeNull();
  });

  it('lists newest first, filtered by status and limited', async () => {
    store = createSqliteRecordsStore({ file: freshFile('list') });
    const packages = [
      makeHandoff({ id: 'h1', createdAt: '2025-03-14T09:00:00.000Z', status: 'resolved' }),
      makeHandoff({ id: 'h2', createdAt: '2025-03-14T09:05:00.000Z', status: 'waiting' }),
      makeHandoff({ id: 'h3', createdAt: '2025-03-14T09:10:00.000Z', status: 'accepted' }),
      makeHandoff({ id: 'h4', createdAt: '2025-03-14T09:15:00.000Z', status: 'waiting' }),
    ];
    for (const pkg of packages) await store.saveHandoff(pkg);

    expect((await store.listHandoffs()).map((pkg) => pkg.id)).toEqual(['h4', 'h3', 'h2', 'h1']);
    expect((await store.listHandoffs({ status: 'waiting' })).map((pkg) => pkg.id)).toEqual(['h4', 'h2']);
    expect((await store.listHandoffs({ status: 'expired' })).map((pkg) => pkg.id)).toEqual([]);
    expect((await store.listHandoffs({ limit: 2 })).map((pkg) => pkg.id)).toEqual(['h4', 'h3']);

    await store.saveHandoff({ ...packages[1], status: 'accepted' } as HandoffPackage);
    expect((await store.listHandoffs({ status: 'waiting' })).map((pkg) => pkg.id)).toEqual(['h4']);
  });

  it('rejects an invalid package and stores nothing', async () => {
    store = createSqliteRecordsStore({ file: freshFile('invalid') });
    await expect(store.saveHandoff(makeHandoff({ id: 'bad-code', code: '12AB' }))).rejects.toThrow(
      /invalid handoff package bad-code/,
    );
    const withoutQueue: Record<string, unknown> = { ...makeHandoff({ id: 'no-queue' }) };
    delete withoutQueue.queue;
    await expect(store.saveHandoff(withoutQueue as HandoffPackage)).rejects.toThrow(/queue/);
    expect(await store.listHandoffs()).toEqual([]);
  });
});

describe('sqlite records store on disk', () => {
  it('keeps transcripts and handoffs across close and reopen, with a schema version', async () => {
    const file = path.join(tempDir, 'nested', 'records.db');
    store = createSqliteRecordsStore({ file });
    await store.appendTranscript([
      makeTranscriptRecord({ text: 'eerst' }),
      makeTranscriptRecord({ text: 'dan' }),
    ]);
    await store.saveHandoff(makeHandoff());
    await store.close();

    store = createSqliteRecordsStore({ file });
    expect((await store.listTranscript('session-1')).map((record) => record.text)).toEqual(['eerst', 'dan']);
    expect(await store.getHandoffByCode('482913')).toEqual(makeHandoff());
    await store.close();

    const inspect = new Database(file, { readonly: true });
    expect(inspect.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([
      RECORDS_SQLITE_MIGRATIONS.length,
    ]);
    expect(inspect.pragma('journal_mode', { simple: true })).toBe('wal');
    inspect.close();
    store = createSqliteRecordsStore({ file });
  });

  it('refuses a database from a newer release instead of guessing', async () => {
    const file = freshFile('future');
    store = createSqliteRecordsStore({ file });
    await store.close();
    const edit = new Database(file);
    edit.prepare('UPDATE schema_version SET version = 99').run();
    edit.close();
    expect(() => createSqliteRecordsStore({ file })).toThrow(/schema version 99/);
  });
});
