// The bench's pure helpers: turn stream, percentiles, the loket/echo verdict and the report layout.
import { describe, expect, it } from 'vitest';
import {
  compareThroughput,
  createTurnSource,
  formatReport,
  formatTable,
  percentile,
  sessionPool,
  summarizeLatencies,
  summarizeRun,
  type TargetResult,
  UTTERANCES,
} from '../../fulfillment/bench/bench.ts';

const noProblems = { non2xx: 0, errors: 0, timeouts: 0 };

function result(
  target: string,
  requestsPerSecond: number,
  overrides: Partial<TargetResult> = {},
): TargetResult {
  return {
    target,
    requests: requestsPerSecond * 8,
    seconds: 8,
    requestsPerSecond,
    latencyMs: { p50: 1.5, p90: 2.25, p99: 10 },
    ...noProblems,
    ...overrides,
  };
}

describe('createTurnSource', () => {
  it('gives the same turns for the same seed, so both targets get identical bodies', () => {
    const first = createTurnSource(7);
    const second = createTurnSource(7);
    const turns = Array.from({ length: 50 }, () => [first(), second()]);
    for (const [left, right] of turns) expect(left).toEqual(right);
  });

  it('keeps each session in one locale and speaks that locale', () => {
    const nextTurn = createTurnSource(1, 20);
    const localeOfSession = new Map<string, string>();
    for (let index = 0; index < 2_000; index += 1) {
      const turn = nextTurn();
      expect(localeOfSession.get(turn.sessionId) ?? turn.locale).toBe(turn.locale);
      localeOfSession.set(turn.sessionId, turn.locale);
      expect(UTTERANCES[turn.locale]).toContain(turn.text);
    }
    // 2,000 turns over 20 slots of 3 to 8 turns each: several hundred conversations, in both languages.
    expect(localeOfSession.size).toBeGreaterThan(2_000 / 8);
    expect(localeOfSession.size).toBeLessThanOrEqual(2_000 / 3 + 20);
    expect(new Set(localeOfSession.values())).toEqual(new Set(['nl-NL', 'en-US']));
  });

  it('ends each conversation after 3 to 8 turns', () => {
    const nextTurn = createTurnSource(2, 5);
    const turnsPerSession = new Map<string, number>();
    for (let index = 0; index < 1_000; index += 1) {
      const { sessionId } = nextTurn();
      turnsPerSession.set(sessionId, (turnsPerSession.get(sessionId) ?? 0) + 1);
    }
    const finished = [...turnsPerSession.entries()].filter(([id]) => {
      const [slot, generation] = [
        id.slice(0, id.lastIndexOf('-')),
        Number(id.slice(id.lastIndexOf('-') + 1)),
      ];
      return turnsPerSession.has(`${slot}-${generation + 1}`);
    });
    expect(finished.length).toBeGreaterThan(100);
    for (const [, turns] of finished) {
      expect(turns).toBeGreaterThanOrEqual(3);
      expect(turns).toBeLessThanOrEqual(8);
    }
  });

  it('uses session ids the converse API accepts', () => {
    for (const { sessionId } of sessionPool(300)) expect(sessionId).toMatch(/^[A-Za-z0-9._:@-]{1,128}$/);
    expect(new Set(sessionPool(300).map((session) => session.sessionId)).size).toBe(300);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Float64Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.9)).toBe(90);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([4], 0.99)).toBe(4);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('sorts the samples numerically before ranking', () => {
    expect(summarizeLatencies([10, 9, 1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ p50: 5, p90: 9, p99: 10 });
  });
});

describe('summarizeRun and compareThroughput', () => {
  it('derives requests per second from completed requests over the measured time', () => {
    const summary = summarizeRun('echo', { requests: 1_000, seconds: 8, ...noProblems }, [1, 2, 3]);
    expect(summary.requestsPerSecond).toBe(125);
    expect(summary.latencyMs.p50).toBe(2);
  });

  it('meets the goal at half the echo throughput, not below', () => {
    expect(compareThroughput(result('loket', 500), result('echo', 1_000))).toEqual({
      ratio: 0.5,
      meetsGoal: true,
    });
    expect(compareThroughput(result('loket', 499), result('echo', 1_000)).meetsGoal).toBe(false);
    expect(compareThroughput(result('loket', 10), result('echo', 0)).meetsGoal).toBe(false);
  });
});

describe('report', () => {
  it('lines up the table and shows missing latencies as a dash', () => {
    const table = formatTable([
      result('echo', 12_345),
      result('loket', 678, { latencyMs: { p50: NaN, p90: NaN, p99: NaN } }),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('target  req/s  p50 ms  p90 ms  p99 ms  non-2xx  errors');
    expect(lines[1]).toBe('echo    12345    1.50    2.25   10.00        0       0');
    expect(lines[2]).toBe('loket     678       -       -       -        0       0');
  });

  it('states the machine, the ratio, the verdict, and warns about failed requests', () => {
    const echo = result('echo', 1_000);
    const loket = result('loket', 400, { non2xx: 3 });
    const report = formatReport(
      { cpu: 'Test CPU', cores: 2, memoryGiB: 4, node: 'v20.0.0', os: 'Linux' },
      { seconds: 8, connections: 16, warmUpSeconds: 2, sessions: 300 },
      { echo, loket },
      compareThroughput(loket, echo),
    );
    expect(report).toContain('machine: Test CPU, 2 cores, 4 GiB RAM, Node v20.0.0, Linux');
    expect(report).toContain('loket/echo throughput: 0.40');
    expect(report).toContain('NOT met');
    expect(report).toContain('warning: loket had 3 non-2xx responses');
    expect(report).not.toContain('warning: echo');
  });
});
