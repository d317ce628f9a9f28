// GET /metrics, GET /readyz and the console's security headers, through real HTTP on the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../fulfillment/observability/metrics.ts';
import { CONTENT_SECURITY_POLICY } from '../../fulfillment/server/security-headers.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

/** the value of one sample line, e.g. `loket_turns_total{channel="text",outcome="ok"}`; 0 when absent */
function sample(exposition: string, series: string): number {
  const line = exposition.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describe('GET /metrics', () => {
  let server: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    [server, other] = await Promise.all([startTestServer(), startTestServer()]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), other?.close()]);
  });

  it('times and counts turns, intents, no-matches, handoffs, containment and failures', async () => {
    const say = async (sessionId: string, body: Record<string, unknown>) => {
      const { status } = await converse(server.url, { sessionId, locale: 'nl-NL', ...body });
      expect(status).toBe(200);
    };
    // A contained conversation: asked something, said goodbye.
    await say('contained', { text: 'wat zijn jullie openingstijden' });
    await say('contained', { text: 'stop' });
    // The platform says the session ended too: the same conversation is not counted twice.
    await say('contained', { event: 'end' });
    // A conversation that misses once, then asks for a person, then ends.
    await say('handed-off', { text: 'blablabla qwerty zzz' });
    await say('handed-off', { text: 'ik wil een medewerker spreken' });
    await say('handed-off', { event: 'end' });
    // A hang-up on a session nobody spoke in is no conversation.
    await say('nobody', { event: 'end' });
    // Failures of the text webhook, one per reason.
    expect((await converse(server.url, { sessionId: 'x' })).status).toBe(400);
    expect((await converse(server.url, { sessionId: 'x', locale: 'fr-FR', text: 'bonjour' })).status).toBe(
      400,
    );
    expect((await converse(server.url, '{"sessionId": ')).status).toBe(400);

    const metrics = await scrape(server.url);
    expect(sample(metrics, 'loket_turns_total{channel="text",outcome="ok"}')).toBe(7);
    expect(sample(metrics, 'loket_turn_duration_seconds_count{channel="text"}')).toBe(7);
    expect(sample(metrics, 'loket_turn_duration_seconds_bucket{le="+Inf",channel="text"}')).toBe(7);
    expect(sample(metrics, 'loket_turn_duration_seconds_sum{channel="text"}')).toBeGreaterThan(0);
    // NLU runs on the four text turns only, not on events.
    expect(sample(metrics, 'loket_nlu_duration_seconds_count{locale="nl-NL"}')).toBe(4);
    expect(sample(metrics, 'loket_intents_total{channel="text",intent="OpeningHours"}')).toBe(1);
    expect(sample(metrics, 'loket_intents_total{channel="text",intent="SpeakToAgent"}')).toBe(1);
    expect(sample(metrics, 'loket_no_matches_total{channel="text"}')).toBe(1);
    expect(sample(metrics, 'loket_handoffs_total{channel="text",reason="asked-for-person"}')).toBe(1);
    expect(sample(metrics, 'loket_conversations_started_total{channel="text"}')).toBe(2);
    expect(sample(metrics, 'loket_conversations_ended_total{channel="text",outcome="contained"}')).toBe(1);
    expect(sample(metrics, 'loket_conversations_ended_total{channel="text",outcome="handed-off"}')).toBe(1);
    expect(sample(metrics, 'loket_webhook_failures_total{channel="text",reason="invalid-request"}')).toBe(1);
    expect(sample(metrics, 'loket_webhook_failures_total{channel="text",reason="unknown-locale"}')).toBe(1);
    expect(sample(metrics, 'loket_webhook_failures_total{channel="text",reason="malformed-json"}')).toBe(1);
    expect(sample(metrics, 'loket_active_sessions')).toBe(3);
    // Process metrics come along, under the same prefix.
    expect(metrics).toContain('loket_process_cpu_seconds_total');
  });

  it('keeps each server in its own registry', async () => {
    const { status } = await converse(other.url, {
      sessionId: 'o',
      locale: 'en-US',
      text: 'when are you open',
    });
    expect(status).toBe(200);
    const metrics = await scrape(other.url);
    expect(sample(metrics, 'loket_turns_total{channel="text",outcome="ok"}')).toBe(1);
    expect(sample(metrics, 'loket_nlu_duration_seconds_count{locale="en-US"}')).toBe(1);
    expect(sample(metrics, 'loket_nlu_duration_seconds_count{locale="nl-NL"}')).toBe(0);
  });

  it('can be switched off', async () => {
    const off = await startTestServer({ LOKET_METRICS: 'off' });
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('the active-sessions gauge', () => {
  it('counts at most once per cache window, and keeps the last count when counting fails', async () => {
    let clock = 0;
    let counts = 0;
    let failing = false;
    const errors: unknown[] = [];
    const metrics = createMetrics({
      countActiveSessions: async () => {
        counts++;
        if (failing) throw new Error('store down');
        return 10 * counts;
      },
      activeSessionsCacheMs: 5000,
      onCountError: (error) => errors.push(error),
      processMetrics: false,
      now: () => clock,
    });
    const gauge = async () => sample((await metrics.render()).body, 'loket_active_sessions');
    expect(await Promise.all([gauge(), gauge()])).toEqual([10, 10]);
    clock = 4999;
    expect(await gauge()).toBe(10);
    expect(counts).toBe(1);
    clock = 5000;
    expect(await gauge()).toBe(20);
    failing = true;
    clock = 20_000;
    expect(await gauge()).toBe(20);
    expect(errors).toHaveLength(1);
  });
});

describe('GET /readyz', () => {
  it('is ready when the stores answer, and not while draining', async () => {
    const server = await startTestServer();
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        draining: false,
        checks: { sessions: 'ok', records: 'ok' },
      });
      server.runtime.startDraining();
      const draining = await fetch(`${server.url}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ status: 'not-ready', draining: true });
      // Liveness is a different question: a draining instance is still alive.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 503 when the records store is down', async () => {
    const server = await startTestServer();
    try {
      await server.runtime.deps.records.close();
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { checks: Record<string, string> };
      expect(body.checks.sessions).toBe('ok');
      expect(body.checks.records).not.toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('answers 503 within the deadline when Redis cannot be reached', async () => {
    // Port 1 refuses connections: the Redis session store reports it is down.
    const server = await startTestServer({
      REDIS_URL: 'redis://127.0.0.1:1',
      LOKET_READY_TIMEOUT_MS: '1500',
    });
    try {
      const started = Date.now();
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3000);
      const body = (await response.json()) as { checks: Record<string, string> };
      expect(body.checks.sessions).not.toBe('ok');
      expect(body.checks.records).toBe('ok');
    } finally {
      await server.close();
    }
  });
});

describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['/console', '/console/', '/agent/handoffs', '/console/does-not-exist.js'])(
    '%s carries the hardening headers',
    async (path) => {
      const response = await fetch(`${server.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      // The console's own router may tighten the policy further ('none' instead of 'self'), never loosen it.
      expect(csp).toMatch(/(^|; )default-src '(self|none)'(;|$)/);
      expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp).toContain("frame-ancestors 'none'");
      // One policy, not two stacked ones (fetch joins repeated headers with ", ").
      expect(csp).not.toContain(', ');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    },
  );

  it("gives the agent API this module's policy: default-src 'self'", async () => {
    const response = await fetch(`${server.url}/agent/handoffs`);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'self'; script-src 'self'; /);
  });

  it('leaves the platform endpoints alone', async () => {
    const response = await fetch(`${server.url}/v1/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'h', locale: 'en-US', text: 'hello' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBeNull();
  });
});
