// Write-behind batching of the embedded SQLite stores: reads see pending writes, a batch reaches disk, close flushes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteRecordsStore } from '../../fulfillment/stores/records-sqlite.ts';
import { createSqliteSessionStore } from '../../fulfillment/stores/session-sqlite.ts';
import { makeSession } from './make-session.ts';

const dirs: string[] = [];
const tempFile = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'loket-batch-'));
  dirs.push(dir);
  return join(dir, name);
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (sessionId: string, text: string, at: string) => ({
  sessionId,
  turnId: `t-${text}`,
  channel: 'text',
  locale: 'nl-NL',
  speaker: 'customer' as const,
  text,
  intent: null,
  confidence: null,
  at,
});

describe('session store write-behind', () => {
  it('serves a pending save to load, writes it within the batch window, and flushes on close', async () => {
    const file = tempFile('sessions.db');
    const store = createSqliteSessionStore({ file, ttlSeconds: 600, writeBatchMs: 20 });
    const other = createSqliteSessionStore({ file, ttlSeconds: 600 });
    await store.save(makeSession({ id: 'batched', noMatchCount: 2 }));
    expect((await store.load('batched'))?.noMatchCount).toBe(2);
    expect(await other.load('batched')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await other.load('batched'))?.noMatchCount).toBe(2);

    await store.save(makeSession({ id: 'at-close', noMatchCount: 1 }));
    await store.close();
    expect((await other.load('at-close'))?.noMatchCount).toBe(1);
    await other.close();
  });
});

describe('records store write-behind', () => {
  it('flushes pending transcript records before a read and on close, in order', async () => {
    const file = tempFile('records.db');
    const store = createSqliteRecordsStore({ file, writeBatchMs: 1000 });
    await store.appendTranscript([
      record('s1', 'one', '2026-11-22T10:00:00.000Z'),
      record('s1', 'two', '2026-11-22T10:00:01.000Z'),
    ]);
    await store.appendTranscript([record('s1', 'three', '2026-11-22T10:00:02.000Z')]);
    expect((await store.listTranscript('s1')).map((entry) => entry.text)).toEqual(['one', 'two', 'three']);
    expect((await store.listTranscript('s1', '2026-11-22T10:00:01.000Z')).map((entry) => entry.text)).toEqual(
      ['two', 'three'],
    );

    await store.appendTranscript([record('s2', 'kept at close', '2026-11-22T10:00:03.000Z')]);
    await store.close();
    const reopened = createSqliteRecordsStore({ file });
    expect((await reopened.listTranscript('s2')).map((entry) => entry.text)).toEqual(['kept at close']);
    await reopened.close();
  });
});
