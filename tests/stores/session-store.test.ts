// One behavioural suite run against all three session stores (memory, SQLite, real Redis), plus what only one has.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisSessionStore } from '../../fulfillment/stores/session-redis.ts';
import { createSqliteSessionStore } from '../../fulfillment/stores/session-sqlite.ts';
import {
  createMemorySessionStore,
  type MemorySessionEntry,
  type SessionStore,
} from '../../fulfillment/stores/session-store.ts';
import { makeSession } from './make-session.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const runPrefix = `loket-test:${process.pid}:${randomUUID()}:`;

/** One fresh, empty store plus the test's ways to reach behind it. */
interface StoreUnderTest {
  store: SessionStore;
  /** writes raw text where the store keeps a session, as a damaged or outdated record would be */
  writeRaw(id: string, text: string): Promise<void>;
  /** lets time pass: a fake clock for memory and SQLite, real sleep for Redis */
  advance(seconds: number): Promise<void>;
  cleanup(): Promise<void>;
}

interface StoreKind {
  name: string;
  ttlSeconds: number;
  open(onCorrupt: (id: string, error: unknown) => void): Promise<StoreUnderTest>;
}

function fakeClock() {
  let nowMs = Date.parse('2025-03-14T09:30:00.000Z');
  return {
    now: () => new Date(nowMs),
    advance: async (seconds: number) => {
      nowMs += seconds * 1000;
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let tempDir = '';
let redisAdmin: Redis;

beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-session-'));
  redisAdmin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  const keys = await redisAdmin.keys(`${runPrefix}*`);
  if (keys.length > 0) await redisAdmin.del(...keys);
  await redisAdmin.quit();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

const storeKinds: StoreKind[] = [
  {
    name: 'memory',
    ttlSeconds: 60,
    async open(onCorrupt) {
      const clock = fakeClock();
      const entries = new Map<string, MemorySessionEntry>();
      const store = createMemorySessionStore({ ttlSeconds: 60, now: clock.now, onCorrupt, entries });
      return {
        store,
        writeRaw: async (id, text) => {
          entries.set(id, { json: text, expiresAtMs: clock.now().getTime() + 60_000 });
        },
        advance: clock.advance,
        cleanup: () => store.close(),
      };
    },
  },
  {
    name: 'sqlite',
    ttlSeconds: 60,
    async open(onCorrupt) {
      const clock = fakeClock();
      const file = path.join(tempDir, `${randomUUID()}.db`);
      const store = createSqliteSessionStore({ file, ttlSeconds: 60, now: clock.now, onCorrupt });
      return {
        store,
        writeRaw: async (id, text) => {
          const db = new Database(file);
          db.prepare(
            `INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
          ).run(id, text, clock.now().getTime() + 60_000);
          db.close();
        },
        advance: clock.advance,
        cleanup: () => store.close(),
      };
    },
  },
  {
    name: 'redis',
    // Redis keeps its own clock, so expiry is tested with a short real TTL.
    ttlSeconds: 1,
    async open(onCorrupt) {
      const keyPrefix = `${runPrefix}${randomUUID()}:`;
      const store = createRedisSessionStore({ url: REDIS_URL, keyPrefix, ttlSeconds: 1, onCorrupt });
      return {
        store,
        writeRaw: async (id, text) => {
          await redisAdmin.set(`${keyPrefix}${id}`, text, 'EX', 60);
        },
        advance: (seconds) => sleep(seconds * 1000),
        cleanup: () => store.close(),
      };
    },
  },
];

describe.each(storeKinds)('$name session store', (kind) => {
  let underTest: StoreUnderTest;
  let corrupt: Array<{ id: string; error: unknown }>;

  const open = async () => {
    corrupt = [];
    underTest = await kind.open((id, error) => corrupt.push({ id, error }));
    return underTest;
  };

  afterEach(async () => {
    await underTest.cleanup();
  });

  it('returns a saved session as it was saved, and null for an unknown id', async () => {
    const { store } = await open();
    const session = makeSession({ id: 'round-trip' });
    await store.save(session);
    expect(await store.load('round-trip')).toEqual(session);
    expect(await store.load('never-saved')).toBeNull();
  });

  it('replaces a session on a later save', async () => {
    const { store } = await open();
    await store.save(makeSession({ id: 'again', noMatchCount: 0 }));
    await store.save(makeSession({ id: 'again', noMatchCount: 2, ended: true }));
    expect(await store.load('again')).toMatchObject({ noMatchCount: 2, ended: true });
    expect(await store.countActive()).toBe(1);
  });

  it('forgets a session after inactivity, and each save resets the expiry', async () => {
    const { store, advance } = await open();
    await store.save(makeSession({ id: 'idle' }));
    await advance(kind.ttlSeconds * 0.5);
    await store.save(makeSession({ id: 'idle', noInputCount: 1 }));
    // Longer than one TTL since the first save, shorter than one since the second.
    await advance(kind.ttlSeconds * 0.6);
    expect(await store.load('idle')).toMatchObject({ noInputCount: 1 });
    await advance(kind.ttlSeconds * 0.6);
    expect(await store.load('idle')).toBeNull();
    expect(await store.countActive()).toBe(0);
  });

  it('deletes a session', async () => {
    const { store } = await open();
    await store.save(makeSession({ id: 'gone' }));
    await store.delete('gone');
    expect(await store.load('gone')).toBeNull();
    await expect(store.delete('was-never-there')).resolves.toBeUndefined();
  });

  it('counts only sessions that are still active', async () => {
    const { store, advance } = await open();
    expect(await store.countActive()).toBe(0);
    await store.save(makeSession({ id: 'a' }));
    await store.save(makeSession({ id: 'b' }));
    await store.save(makeSession({ id: 'c' }));
    await store.delete('b');
    expect(await store.countActive()).toBe(2);
    await advance(kind.ttlSeconds * 1.2);
    expect(await store.countActive()).toBe(0);
  });

  it('treats text that is not JSON as missing and reports it', async () => {
    const { store, writeRaw } = await open();
    await writeRaw('broken', '{"id": "broken", "locale":');
    expect(await store.load('broken')).toBeNull();
    expect(corrupt).toHaveLength(1);
    expect(corrupt[0]?.id).toBe('broken');
    expect(corrupt[0]?.error).toBeInstanceOf(SyntaxError);
  });

  it('treats JSON that no longer fits the session schema as missing and reports it', async () => {
    const { store, writeRaw } = await open();
    const outdated: Record<string, unknown> = { ...makeSession({ id: 'outdated' }), noMatchCount: 'two' };
    delete outdated.preferences;
    await writeRaw('outdated', JSON.stringify(outdated));
    expect(await store.load('outdated')).toBeNull();
    expect(corrupt.map((report) => report.id)).toEqual(['outdated']);
    // A fresh save over the damaged record works as usual.
    await store.save(makeSession({ id: 'outdated' }));
    expect(await store.load('outdated')).toEqual(makeSession({ id: 'outdated' }));
  });
});

describe('sqlite session store on disk', () => {
  it('creates the directory, uses WAL, and continues a conversation after a restart', async () => {
    const file = path.join(tempDir, 'nested', 'deeper', 'sessions.db');
    let nowMs = Date.parse('2025-03-14T09:30:00.000Z');
    const now = () => new Date(nowMs);
    const first = createSqliteSessionStore({ file, ttlSeconds: 600, now });
    const session = makeSession({ id: 'survives-restart' });
    await first.save(session);
    await first.close();

    const inspect = new Database(file, { readonly: true });
    expect(inspect.pragma('journal_mode', { simple: true })).toBe('wal');
    inspect.close();

    nowMs += 300_000;
    const second = createSqliteSessionStore({ file, ttlSeconds: 600, now });
    expect(await second.load('survives-restart')).toEqual(session);
    expect(await second.countActive()).toBe(1);
    await second.close();

    // The expiry is stored, not kept in memory: a restart does not extend a session's life.
    nowMs += 600_000;
    const third = createSqliteSessionStore({ file, ttlSeconds: 600, now });
    expect(await third.load('survives-restart')).toBeNull();
    await third.close();
  });

  it('purges expired rows lazily when saving', async () => {
    const file = path.join(tempDir, `${randomUUID()}.db`);
    let nowMs = Date.parse('2025-03-14T09:30:00.000Z');
    const store = createSqliteSessionStore({ file, ttlSeconds: 60, now: () => new Date(nowMs) });
    await store.save(makeSession({ id: 'old' }));
    nowMs += 120_000;
    await store.save(makeSession({ id: 'new' }));
    const inspect = new Database(file, { readonly: true });
    const ids = inspect.prepare('SELECT id FROM sessions ORDER BY id').pluck().all();
    inspect.close();
    expect(ids).toEqual(['new']);
    await store.close();
  });
});

describe('redis session store', () => {
  it('uses the default key prefix with a TTL on each key', async () => {
    const store = createRedisSessionStore({ url: REDIS_URL, ttlSeconds: 30 });
    const id = `${runPrefix}default-prefix`;
    try {
      await store.save(makeSession({ id }));
      const ttl = await redisAdmin.ttl(`loket:session:${id}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);
    } finally {
      await store.delete(id);
      await store.close();
    }
    expect(await redisAdmin.exists(`loket:session:${id}`)).toBe(0);
  });

  it('takes the key prefix literally when counting, even with glob characters in it', async () => {
    const globPrefix = `${runPrefix}a*:`;
    const lookalikePrefix = `${runPrefix}ab:`;
    const globStore = createRedisSessionStore({ url: REDIS_URL, keyPrefix: globPrefix, ttlSeconds: 30 });
    const lookalikeStore = createRedisSessionStore({
      url: REDIS_URL,
      keyPrefix: lookalikePrefix,
      ttlSeconds: 30,
    });
    await globStore.save(makeSession({ id: 'one' }));
    await lookalikeStore.save(makeSession({ id: 'two' }));
    await lookalikeStore.save(makeSession({ id: 'three' }));
    expect(await globStore.countActive()).toBe(1);
    expect(await lookalikeStore.countActive()).toBe(2);
    await globStore.close();
    await lookalikeStore.close();
  });

  it('rejects clearly and quickly when nothing listens on the port, without crashing', async () => {
    const store = createRedisSessionStore({ url: 'redis://127.0.0.1:6390', ttlSeconds: 30 });
    const startedAt = Date.now();
    await expect(store.load('anything')).rejects.toThrow(
      /Redis session store at redis:\/\/127\.0\.0\.1:6390.*could not load a session.*ECONNREFUSED/,
    );
    await expect(store.save(makeSession())).rejects.toThrow(/could not save a session/);
    await expect(store.countActive()).rejects.toThrow(/could not count sessions/);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await store.close();
  });

  it('keeps a password out of its error messages', async () => {
    const store = createRedisSessionStore({ url: 'redis://user:s3cret@127.0.0.1:6390', ttlSeconds: 30 });
    const failure = await store.load('anything').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toContain('s3cret');
    await store.close();
  });
});
