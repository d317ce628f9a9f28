// The retention job: its settings, the cutoffs and the expiry as pure functions, one round on a real SQLite store with
// the real desk (the console hears each expiry), its idempotence, the scheduler with injected timers and clock, and
// the Postgres advisory lock that lets one instance at a time run a round.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import type { HandoffPackage } from '../../fulfillment/core/types.ts';
import { createHandoffDesk } from '../../fulfillment/handoff/desk.ts';
import { createInProcessEventBus, type HandoffEvent } from '../../fulfillment/handoff/events.ts';
import { expireHandoff, retentionCutoffs } from '../../fulfillment/retention/cutoffs.ts';
import {
  FIRST_ROUND_AFTER_MS,
  runRetentionRound,
  type SetTimer,
  startRetentionJob,
} from '../../fulfillment/retention/job.ts';
import { createPostgresRoundLock } from '../../fulfillment/retention/lock.ts';
import { readRetentionSettings } from '../../fulfillment/retention/settings.ts';
import { createSqliteRecordsStore } from '../../fulfillment/stores/records-sqlite.ts';
import type { RecordsStore } from '../../fulfillment/stores/records-store.ts';

const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = new Date('2025-06-10T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const settings = { retentionDays: 90, intervalMinutes: 60, handoffExpireHours: 72 };

let tempDir = '';
const stores: RecordsStore[] = [];
beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-retention-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

function openStore(): RecordsStore {
  const store = createSqliteRecordsStore({
    file: path.join(tempDir, `${randomBytes(4).toString('hex')}.db`),
  });
  stores.push(store);
  return store;
}

function handoff(id: string, ageMs: number, overrides: Partial<HandoffPackage> = {}): HandoffPackage {
  const createdAt = new Date(NOW.getTime() - ageMs).toISOString();
  return {
    id,
    code: String(100_000 + Math.floor(Math.random() * 900_000)),
    reason: 'policy',
    channel: 'text',
    locale: 'nl-NL',
    sessionId: `session-${id}`,
    customer: { id: 'cust-1', name: 'Jan de Vries', firstName: 'Jan', verified: true, method: 'caller-id' },
    callerId: null,
    intents: [],
    tried: [],
    transcript: [{ at: createdAt, speaker: 'customer', text: 'Ik wil een klacht indienen' }],
    summary: 'Klacht.',
    sentiment: { score: -0.5, label: 'negative' },
    queue: 'complaints',
    createdAt,
    updatedAt: createdAt,
    status: 'waiting',
    callback: {
      phone: '+31612345678',
      preferredMoment: { asap: true, date: null, dayPart: null },
      requestedAt: createdAt,
    },
    ...overrides,
  };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** One instance's desk on the store, with the events its console would get. */
function deskOn(records: RecordsStore) {
  const events: HandoffEvent[] = [];
  const bus = createInProcessEventBus();
  bus.subscribe((event) => events.push(event));
  return { desk: createHandoffDesk({ records, events: bus }), events };
}

async function seed(records: RecordsStore) {
  await records.saveHandoff(handoff('waited-too-long', 73 * HOUR));
  await records.saveHandoff(handoff('waiting-today', 2 * HOUR));
  await records.saveHandoff(handoff('accepted-long-ago', 10 * DAY, { status: 'accepted' }));
  await records.saveHandoff(handoff('resolved-last-year', 200 * DAY, { status: 'resolved' }));
  await records.appendTranscript(
    [100 * DAY, 91 * DAY, 89 * DAY, 1 * HOUR].map((ageMs, index) => ({
      sessionId: 'session-1',
      turnId: `t${index}`,
      channel: 'text',
      locale: 'nl-NL',
      speaker: 'customer' as const,
      text: 'hallo',
      intent: null,
      confidence: null,
      at: new Date(NOW.getTime() - ageMs).toISOString(),
    })),
  );
}

describe('retention settings', () => {
  it('defaults to 90 days, every 60 minutes, expiry after 72 hours', () => {
    expect(readRetentionSettings({})).toEqual(settings);
    expect(
      readRetentionSettings({
        LOKET_RETENTION_DAYS: '30',
        LOKET_RETENTION_INTERVAL_MINUTES: '5',
        LOKET_HANDOFF_EXPIRE_HOURS: '',
      }),
    ).toEqual({ retentionDays: 30, intervalMinutes: 5, handoffExpireHours: 72 });
  });

  it('refuses bad values with one line per setting', () => {
    try {
      readRetentionSettings({
        LOKET_RETENTION_DAYS: '0',
        LOKET_RETENTION_INTERVAL_MINUTES: 'hourly',
        LOKET_HANDOFF_EXPIRE_HOURS: '1.5',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems).toEqual([
        'LOKET_RETENTION_DAYS: must be between 1 and 3650 (got "0")',
        'LOKET_RETENTION_INTERVAL_MINUTES: must be a number (got "hourly")',
        'LOKET_HANDOFF_EXPIRE_HOURS: must be a whole number (got "1.5")',
      ]);
    }
  });
});

describe('retention cutoffs and expiry (pure)', () => {
  it('counts the cutoffs back from the clock', () => {
    expect(retentionCutoffs(settings, NOW)).toEqual({
      transcriptsBefore: '2025-03-12T12:00:00.000Z',
      expireWaitingBefore: '2025-06-07T12:00:00.000Z',
    });
  });

  it('expires a waiting handoff and leaves any other as it is', () => {
    const expire = expireHandoff(NOW);
    const waiting = handoff('a', 80 * HOUR);
    expect(expire(waiting)).toEqual({ ...waiting, status: 'expired', updatedAt: NOW.toISOString() });
    const accepted = handoff('b', 80 * HOUR, { status: 'accepted' });
    expect(expire(accepted)).toBe(accepted);
  });
});

describe('a retention round', () => {
  it('expires handoffs through the desk, applies the retention, and a second round finds nothing to do', async () => {
    const records = openStore();
    await seed(records);
    const { desk, events } = deskOn(records);
    const round = () => runRetentionRound({ settings, records, desk, clock: () => NOW });

    expect(await round()).toEqual({ expired: 1, transcripts: 2, handoffsScrubbed: 1, sessionLinks: 0 });
    expect(await records.getHandoff('waited-too-long')).toMatchObject({
      status: 'expired',
      updatedAt: NOW.toISOString(),
    });
    expect((await records.getHandoff('waiting-today'))?.status).toBe('waiting');
    expect((await records.getHandoff('accepted-long-ago'))?.status).toBe('accepted');
    // 200 days old: scrubbed; the expired one is only 3 days old and keeps its transcript for now.
    expect(await records.getHandoff('resolved-last-year')).toMatchObject({ transcript: [], callback: null });
    expect((await records.getHandoff('waited-too-long'))?.transcript).toHaveLength(1);
    expect(events).toEqual([
      {
        type: 'handoff.updated',
        cause: 'expiry',
        handoff: expect.objectContaining({ id: 'waited-too-long', status: 'expired' }),
      },
    ]);

    expect(await round()).toEqual({ expired: 0, transcripts: 0, handoffsScrubbed: 0, sessionLinks: 0 });
    expect(events).toHaveLength(1);
  });

  it('is harmless when two instances run a round at the same moment', async () => {
    const records = openStore();
    await seed(records);
    const first = deskOn(records);
    const second = deskOn(records);
    const reports = await Promise.all([
      runRetentionRound({ settings, records, desk: first.desk, clock: () => NOW }),
      runRetentionRound({ settings, records, desk: second.desk, clock: () => NOW }),
    ]);
    expect(reports.map((report) => report.transcripts).sort()).toEqual([0, 2]);
    expect(await records.getHandoff('waited-too-long')).toMatchObject({ status: 'expired' });
    expect((await records.listHandoffs({ status: 'waiting' })).map((pkg) => pkg.id)).toEqual([
      'waiting-today',
    ]);
  });

  it('expires a long queue in batches', async () => {
    const records = openStore();
    for (let index = 0; index < 1001; index++) {
      await records.saveHandoff(handoff(`old-${index}`, 100 * HOUR + index * 1000));
    }
    const { desk } = deskOn(records);
    expect((await runRetentionRound({ settings, records, desk, clock: () => NOW })).expired).toBe(1001);
    expect(await records.listHandoffs({ status: 'waiting' })).toEqual([]);
  });
});

describe('the retention scheduler', () => {
  function fakeTimers() {
    const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
    const setTimer: SetTimer = (run, ms) => {
      const timer = { run, ms, cancelled: false };
      timers.push(timer);
      return {
        cancel: () => {
          timer.cancelled = true;
        },
      };
    };
    return { timers, setTimer };
  }

  it('runs shortly after start-up, then every interval, and logs counts without personal data', async () => {
    const records = openStore();
    await seed(records);
    const { desk } = deskOn(records);
    const { timers, setTimer } = fakeTimers();
    const { logger, lines } = capturingLogger();
    let now = NOW;
    const job = startRetentionJob({ settings, records, desk, clock: () => now, logger, setTimer });
    expect(timers.map((timer) => timer.ms)).toEqual([FIRST_ROUND_AFTER_MS]);

    timers[0]?.run();
    await vi.waitFor(() => expect(timers).toHaveLength(2));
    expect(timers[1]?.ms).toBe(60 * 60_000);
    const logged = lines.find((line) => line.msg === 'retention round');
    expect(logged).toMatchObject({ expired: 1, transcripts: 2, handoffsScrubbed: 1, retentionDays: 90 });
    expect(JSON.stringify(lines)).not.toMatch(/Jan|612345678|cust-1|session-/);

    // The clock moves on: the handoff from two hours ago has now waited too long as well.
    now = new Date(NOW.getTime() + 71 * HOUR);
    timers[1]?.run();
    await vi.waitFor(() => expect(timers).toHaveLength(3));
    expect((await records.getHandoff('waiting-today'))?.status).toBe('expired');

    await job.stop();
    expect(timers[2]?.cancelled).toBe(true);
  });

  it('keeps going after a failed round, and shares a round asked for twice at once', async () => {
    const records = openStore();
    const { desk } = deskOn(records);
    const { timers, setTimer } = fakeTimers();
    const { logger, lines } = capturingLogger();
    let failing = true;
    const applyRetention = records.applyRetention.bind(records);
    const flaky: RecordsStore = Object.assign(Object.create(records), {
      applyRetention: async (before: string) => {
        if (failing) throw new Error('database went away');
        return applyRetention(before);
      },
    });
    const job = startRetentionJob({
      settings,
      records: flaky,
      desk,
      clock: () => NOW,
      logger,
      setTimer,
      firstRoundAfterMs: 5,
    });
    expect(timers[0]?.ms).toBe(5);
    timers[0]?.run();
    await vi.waitFor(() => expect(timers).toHaveLength(2));
    expect(
      lines.find((line) => line.msg === 'retention round failed; trying again next round'),
    ).toBeDefined();

    failing = false;
    const [a, b] = [job.runNow(), job.runNow()];
    expect(a).toBe(b);
    expect(await a).toEqual({ expired: 0, transcripts: 0, handoffsScrubbed: 0, sessionLinks: 0 });
    await job.stop();
  });
});

describe('the Postgres round lock', () => {
  it('lets one instance at a time run a round; the others skip it', async () => {
    const key = `loket-retention:test-${randomBytes(4).toString('hex')}`;
    const first = createPostgresRoundLock({ url: DATABASE_URL, key });
    const second = createPostgresRoundLock({ url: DATABASE_URL, key });
    const other = createPostgresRoundLock({ url: DATABASE_URL, key: `${key}-other` });
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = () => {};
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const firstRound = first.runExclusive(async () => {
        started();
        await held;
        return 'first';
      });
      await running;
      expect(await second.runExclusive(async () => 'second')).toBeNull();
      expect(await other.runExclusive(async () => 'other')).toEqual({ value: 'other' });
      release();
      expect(await firstRound).toEqual({ value: 'first' });
      expect(await second.runExclusive(async () => 'second')).toEqual({ value: 'second' });
      // A failing round releases the lock too.
      await expect(first.runExclusive(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await second.runExclusive(async () => 'again')).toEqual({ value: 'again' });
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });
});
