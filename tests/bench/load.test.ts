// `loket bench load`: its scripted customers and their checks, its settings, and one real run with tiny bounds as a
// separate process against the machine's Redis and Postgres, leaving neither sessions nor a schema behind.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { UTTERANCES } from '../../fulfillment/bench/bench.ts';
import {
  checkConverseAnswer,
  createConversationSource,
  OPENERS,
  type ScriptedConversation,
} from '../../fulfillment/bench/conversations.ts';
import {
  formatLoadReport,
  type PhaseResult,
  readLoadSettings,
  scaleOut,
  withEchoRatios,
} from '../../fulfillment/bench/load.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function conversations(count: number, seed = 1): ScriptedConversation[] {
  const next = createConversationSource(seed, 'load-test');
  return Array.from({ length: count }, next);
}

function answer(fields: Record<string, unknown>): string {
  return JSON.stringify({
    sessionId: 'load-test-0',
    reply: { text: 'Welk bestelnummer heeft u?', ssml: '<speak/>' },
    understood: { intent: 'OrderStatus', confidence: 1, slots: {} },
    expecting: { type: 'slot', intent: 'OrderStatus', slot: 'orderNumber', entity: 'orderNumber' },
    handoff: null,
    ended: false,
    ...fields,
  });
}

describe('the scripted conversations', () => {
  it('are the same for the same seed, alternate the two languages and last 3 to 8 turns', () => {
    expect(conversations(50)).toEqual(conversations(50));
    const many = conversations(600);
    expect(new Set(many.map((conversation) => conversation.sessionId)).size).toBe(600);
    expect(many.filter((conversation) => conversation.locale === 'nl-NL')).toHaveLength(300);
    const lengths = new Set(many.map((conversation) => conversation.turns.length));
    expect([...lengths].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('open every task with an utterance from the turn pool of `loket bench`', () => {
    for (const locale of ['nl-NL', 'en-US'] as const) {
      for (const opener of OPENERS[locale]) expect(UTTERANCES[locale]).toContain(opener);
    }
  });

  it('end with a goodbye or a handoff, and identify the customer only after the other tasks', () => {
    for (const conversation of conversations(300)) {
      const last = conversation.turns.at(-1);
      expect(last?.check.ended).toBe(true);
      const verifying = conversation.turns.findIndex((turn) => turn.check.intent === 'ExplainBill');
      if (verifying === -1) continue;
      const later = conversation.turns.slice(verifying + 4).map((turn) => turn.check.intent);
      expect(
        later.every((intent) => ['Thanks', 'No', 'SpeakToAgent', 'CancelSubscription'].includes(intent)),
      ).toBe(true);
    }
  });
});

describe('checkConverseAnswer', () => {
  const askOrder = { intent: 'OrderStatus', expecting: 'slot:orderNumber' };

  it('accepts an answer that fits the script', () => {
    expect(checkConverseAnswer(answer({}), askOrder, null)).toEqual({
      replyText: 'Welk bestelnummer heeft u?',
      problem: null,
    });
  });

  it('notices a session that started over: the goodbye did not end it, the repeat had nothing to repeat', () => {
    const goodbye = { intent: 'No', expecting: 'none', ended: true };
    const fresh = answer({ understood: { intent: 'No', slots: {} }, expecting: null, ended: false });
    expect(checkConverseAnswer(fresh, goodbye, 'Heeft u verder nog een vraag?').problem).toBe('ended false');
    const repeat = { intent: 'Repeat', expecting: 'none', repeatsPrevious: true };
    const nothingSaid = answer({
      reply: { text: 'Ik heb nog niets gezegd.' },
      understood: { intent: 'Repeat', slots: {} },
      expecting: null,
    });
    expect(checkConverseAnswer(nothingSaid, repeat, 'Wij zijn open van 8 tot 20 uur.').problem).toBe(
      'did not repeat the previous answer',
    );
  });

  it('names every mismatch: intent, slot, what comes next and the handoff', () => {
    const verifyPostcode = {
      intent: 'Verification',
      slots: { postcode: '1234AB' },
      expecting: 'verification:houseNumber',
    };
    const { problem } = checkConverseAnswer(
      answer({ handoff: { reason: 'no-match' } }),
      verifyPostcode,
      null,
    );
    expect(problem).toBe(
      'intent OrderStatus instead of Verification; slot postcode undefined instead of 1234AB; ' +
        'expecting slot:orderNumber instead of verification:houseNumber; handoff no-match instead of none',
    );
    expect(checkConverseAnswer('<html>', askOrder, null).problem).toBe('the answer is not JSON');
  });
});

describe('readLoadSettings', () => {
  const defaults = { conversations: 200, seconds: 10, warmUpSeconds: 2, instances: '1,2' };

  it('takes the defaults and the instance list', () => {
    expect(readLoadSettings(defaults)).toMatchObject({ conversations: 200, instances: [1, 2] });
    expect(readLoadSettings({ ...defaults, instances: '2' }).instances).toEqual([2]);
  });

  it('refuses unbounded or meaningless runs with a message naming the option', () => {
    expect(() => readLoadSettings({ ...defaults, conversations: 0 })).toThrow(/--conversations/);
    expect(() => readLoadSettings({ ...defaults, conversations: 1.5 })).toThrow(/--conversations/);
    expect(() => readLoadSettings({ ...defaults, seconds: Number.NaN })).toThrow(/--seconds/);
    expect(() => readLoadSettings({ ...defaults, seconds: 3_600 })).toThrow(/--seconds/);
    expect(() => readLoadSettings({ ...defaults, warmUpSeconds: -1 })).toThrow(/--warm-up/);
    expect(() => readLoadSettings({ ...defaults, instances: '3' })).toThrow(/--instances/);
  });
});

describe('the load report', () => {
  const phase = (name: string, instances: number, turnsPerSecond: number): PhaseResult => ({
    phase: name,
    instances,
    seconds: 10,
    conversations: { completed: 100, unfinished: 20, broken: 0 },
    turns: turnsPerSecond * 10,
    turnsPerSecond,
    latencyMs: { p50: 5, p90: 9, p99: 20 },
    errors: { non200: 0, failed: 0, incoherent: 0 },
    vsEcho: null,
  });
  const phases = withEchoRatios([
    phase('echo', 0, 2_000),
    phase('loket-x1', 1, 400),
    phase('loket-x2', 2, 500),
  ]);
  const settings = readLoadSettings({ conversations: 200, seconds: 10, warmUpSeconds: 2, instances: '1,2' });
  const machine = { cpu: 'Test CPU', cores: 2, memoryGiB: 4, node: 'v20.0.0', os: 'Linux' };

  it('relates every phase to the echo and two instances to one', () => {
    expect(phases.map((row) => row.vsEcho)).toEqual([1, 0.2, 0.25]);
    expect(scaleOut(phases)).toBe(1.25);
    expect(scaleOut(phases.slice(0, 2))).toBeNull();
  });

  it('warns on a small machine that everything shares its cores, and flags failed phases', () => {
    const broken = phases.map((row) =>
      row.phase === 'loket-x2' ? { ...row, errors: { non200: 0, failed: 0, incoherent: 3 } } : row,
    );
    const report = formatLoadReport(machine, settings, broken);
    expect(report).toContain(
      'caveat: the load generator, 2 Loket instances, Redis and Postgres all share these 2',
    );
    expect(report).toContain('two instances / one: 1.25');
    expect(report).toContain(
      'warning: loket-x2 had 0 non-200 answers, 0 failed turns and 3 answers that lost',
    );
    expect(report).not.toContain('warning: loket-x1');
    expect(formatLoadReport({ ...machine, cores: 32 }, settings, phases)).toContain(
      'note: the load generator, 2 Loket instances, Redis and Postgres all run on this one machine',
    );
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function benchLoad(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [join(process.cwd(), 'bin/loket.mjs'), 'bench', 'load', ...args], {
    env: { ...process.env, REDIS_URL, DATABASE_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('loket bench load', () => {
  it('serves conversations on the echo, one instance and two, coherently, and cleans up', async () => {
    const run = await benchLoad(['--conversations', '20', '--seconds', '2', '--warm-up', '1']);
    expect(run.code, run.stderr).toBe(0);

    const lines = run.stdout.trim().split('\n');
    const report = JSON.parse(lines.at(-1) ?? '');
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(report.settings).toMatchObject({
      conversations: 20,
      seconds: 2,
      warmUpSeconds: 1,
      instances: [1, 2],
    });
    expect(report.phases.map((phase: any) => [phase.phase, phase.instances])).toEqual([
      ['echo', 0],
      ['loket-x1', 1],
      ['loket-x2', 2],
    ]);
    for (const phase of report.phases) {
      expect(phase.turns, phase.phase).toBeGreaterThan(0);
      expect(phase.conversations.completed, phase.phase).toBeGreaterThan(0);
      expect(phase.turnsPerSecond).toBeGreaterThan(0);
      expect(phase.latencyMs.p50).toBeLessThanOrEqual(phase.latencyMs.p99);
      expect(phase.errors, phase.phase).toEqual({ non200: 0, failed: 0, incoherent: 0 });
      expect(phase.conversations.broken, phase.phase).toBe(0);
      expect(phase.vsEcho).toEqual(expect.any(Number));
    }
    expect(report.twoInstancesOverOne).toEqual(expect.any(Number));

    const text = run.stdout;
    expect(text).toMatch(/^machine: .+, \d+ cores, [\d.]+ GiB RAM, Node v/m);
    expect(text).toMatch(/^(caveat|note): the load generator, 2 Loket instances, Redis and Postgres all /m);
    expect(text).toMatch(/^phase +instances +conversations +turns +turns\/s +p50 ms +p90 ms +p99 ms/m);
    expect(text).toMatch(/^loket-x2 +2 +\d+/m);
    expect(text).not.toContain('warning:');

    // Nothing of the run is left in the shared stores.
    const runId = /^run ([0-9a-f]+):/m.exec(run.stderr)?.[1];
    expect(runId).toBeDefined();
    const redis = new Redis(REDIS_URL);
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    try {
      const left: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `loket:session:load-${runId}-*`,
          'COUNT',
          1_000,
        );
        left.push(...keys);
        cursor = next;
      } while (cursor !== '0');
      expect(left).toEqual([]);
      await admin.connect();
      const schemas = await admin.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
        `loket_bench_${runId}`,
      ]);
      expect(schemas.rowCount).toBe(0);
    } finally {
      redis.disconnect();
      await admin.end();
    }
  }, 90_000);

  it('says clearly that Redis or Postgres is unreachable and exits 1 before starting anything', async () => {
    const [noRedis, noPostgres] = await Promise.all([
      benchLoad(['--seconds', '1'], { REDIS_URL: 'redis://127.0.0.1:1' }),
      benchLoad(['--seconds', '1'], { DATABASE_URL: 'postgres://bench:secret@127.0.0.1:1/test' }),
    ]);
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toContain('bench load: Redis at redis://127.0.0.1:1 is not reachable');
    expect(noRedis.stderr).toContain('set REDIS_URL');
    expect(noPostgres.code).toBe(1);
    expect(noPostgres.stderr).toContain('bench load: Postgres at postgres://bench:***@127.0.0.1:1/test');
    expect(noPostgres.stderr).not.toContain('secret');
    for (const run of [noRedis, noPostgres]) {
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('starting on');
    }
  });
});
