// Rate limits through real HTTP: per IP on the public endpoints, per caller id on /v1/converse and the phone line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter, readRateLimitSettings } from '../../fulfillment/server/rate-limit.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { AUTH_TOKEN, call, PUBLIC_URL } from '../telephony/twilio-client.ts';

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then refills evenly', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('a').ok).toBe(true);
    const refused = limiter.take('a');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').ok).toBe(true);
    now += 1000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('never limits at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('reads its settings with defaults and refuses bad values', () => {
    expect(readRateLimitSettings({})).toEqual({
      LOKET_RATE_LIMIT_PER_MINUTE: 600,
      LOKET_RATE_LIMIT_CALLER_PER_MINUTE: 120,
    });
    expect(readRateLimitSettings({ LOKET_RATE_LIMIT_PER_MINUTE: '0' }).LOKET_RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(() => readRateLimitSettings({ LOKET_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(
      /LOKET_RATE_LIMIT_PER_MINUTE/,
    );
    expect(() => readRateLimitSettings({ LOKET_RATE_LIMIT_CALLER_PER_MINUTE: 'lots' })).toThrow(
      /LOKET_RATE_LIMIT_CALLER_PER_MINUTE/,
    );
  });
});

describe('per IP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_RATE_LIMIT_PER_MINUTE: '5',
      LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '0',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 with a JSON reason and Retry-After once the bucket is empty, across endpoints', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await post(server.url, { sessionId: `ip-${i}`, locale: 'en-US', event: 'launch' })).status,
      );
    }
    // /alexa counts against the same address (its own 4xx does not matter).
    statuses.push((await fetch(`${server.url}/alexa`, { method: 'POST', body: '{}' })).status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses[4]).not.toBe(429);

    const limited = await post(server.url, { sessionId: 'ip-x', locale: 'en-US', event: 'launch' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: 'rate-limited' });
    const google = await fetch(`${server.url}/google/cx`, { method: 'POST', body: '{}' });
    expect(google.status).toBe(429);
    const phone = await fetch(`${server.url}/telephony/twilio/voice`, { method: 'POST', body: '' });
    expect(phone.status).toBe(429);
  });

  it('leaves health checks alone', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});

describe('per caller id', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_RATE_LIMIT_PER_MINUTE: '0',
      LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '3',
      LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      LOKET_PUBLIC_URL: PUBLIC_URL,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('limits one callerId on /v1/converse, not another, nor requests without one', async () => {
    const turn = (callerId?: string) =>
      post(server.url, {
        sessionId: `caller-${(callerId ?? 'none').slice(1)}`,
        locale: 'nl-NL',
        text: 'hallo',
        ...(callerId ? { callerId } : {}),
      });
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await turn('+31600000001')).status);
    expect(first).toEqual([200, 200, 200]);
    const limited = await turn('+31600000001');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: 'rate-limited' });
    expect((await turn('+31600000002')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await turn()).status).toBe(200);
  });

  it("limits the phone line's From on new calls and gathers, after the signature check", async () => {
    const caller = '+31600000003';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(server.url, caller).start()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // An unsigned request is refused for its signature and does not use up the caller's tokens.
    const unsigned = await fetch(`${server.url}/telephony/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ CallSid: `CA${'0'.repeat(32)}`, From: '+31600000004' }).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await call(server.url, '+31600000004').start()).status).toBe(200);
  });
});
