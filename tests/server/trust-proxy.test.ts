// LOKET_TRUST_PROXY through real HTTP: behind a trusted proxy each customer's X-Forwarded-For address gets its own
// per-IP budget; without it the header is ignored, so nobody escapes the limit by making one up. The Twilio signature
// stays bound to LOKET_PUBLIC_URL whatever the forwarded headers say.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import { readTrustProxy } from '../../fulfillment/server/trust-proxy.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { AUTH_TOKEN, JAN, newCallSid, POLDERLINK_NL, PUBLIC_URL } from '../telephony/twilio-client.ts';

const PER_MINUTE = 3;

async function launch(url: string, forwardedFor?: string): Promise<number> {
  const response = await fetch(`${url}/v1/converse`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ sessionId: `tp-${Math.random()}`, locale: 'en-US', event: 'launch' }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function statuses(url: string, forwardedFor: (i: number) => string | undefined, count: number) {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push(await launch(url, forwardedFor(i)));
  return result;
}

describe('readTrustProxy', () => {
  it('maps the setting onto express’s trust proxy values', () => {
    expect(readTrustProxy({})).toBe(false);
    expect(readTrustProxy({ LOKET_TRUST_PROXY: '' })).toBe(false);
    expect(readTrustProxy({ LOKET_TRUST_PROXY: 'false' })).toBe(false);
    expect(readTrustProxy({ LOKET_TRUST_PROXY: '0' })).toBe(false);
    expect(readTrustProxy({ LOKET_TRUST_PROXY: 'true' })).toBe(true);
    expect(readTrustProxy({ LOKET_TRUST_PROXY: '2' })).toBe(2);
    expect(readTrustProxy({ LOKET_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8,loopback' })).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses anything else with one line naming the setting', () => {
    for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1', '10.0.0.0/8,proxy', '99', ',']) {
      expect(() => readTrustProxy({ LOKET_TRUST_PROXY: bad }), bad).toThrow(SettingsError);
      expect(() => readTrustProxy({ LOKET_TRUST_PROXY: bad }), bad).toThrow(/LOKET_TRUST_PROXY: .*\(got "/);
    }
  });

  it('is set in the Helm chart to a value Loket accepts', () => {
    const values = parse(readFileSync(join(process.cwd(), 'infra/helm/loket/values.yaml'), 'utf8'));
    expect(readTrustProxy({ LOKET_TRUST_PROXY: values.config.LOKET_TRUST_PROXY })).toBe(1);
  });
});

describe('per-IP limit behind a trusted proxy (LOKET_TRUST_PROXY=1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_TRUST_PROXY: '1',
      LOKET_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '0',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives two customers behind the proxy their own budgets', async () => {
    expect(await statuses(server.url, () => '203.0.113.1', PER_MINUTE + 1)).toEqual([200, 200, 200, 429]);
    // Another customer through the same proxy (the same TCP peer) is not affected.
    expect(await statuses(server.url, () => '203.0.113.2', PER_MINUTE)).toEqual([200, 200, 200]);
  });

  it('believes only the address the proxy added, not one the client put in front of it', async () => {
    // The client sends its own X-Forwarded-For; the proxy appends the address it saw. One hop is trusted, so a new
    // made-up address on every request does not give a new budget.
    const spoofed = await statuses(server.url, (i) => `198.51.100.${i}, 203.0.113.9`, PER_MINUTE + 1);
    expect(spoofed).toEqual([200, 200, 200, 429]);
  });
});

describe('per-IP limit without a trusted proxy (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '0',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ignores X-Forwarded-For, so a made-up address does not escape the limit', async () => {
    expect(await statuses(server.url, (i) => `203.0.113.${i + 10}`, PER_MINUTE + 2)).toEqual([
      200, 200, 200, 429, 429,
    ]);
  });
});

describe('the Twilio signature behind a trusted proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_TRUST_PROXY: 'true',
      LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      LOKET_PUBLIC_URL: PUBLIC_URL,
      LOKET_PHONE_DEFAULT_LOCALE: 'nl-NL',
      LOKET_PHONE_STREAM: 'false',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const forged = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'attacker.example' };
  const params = () => ({ CallSid: newCallSid(), From: JAN, To: POLDERLINK_NL, CallStatus: 'ringing' });
  const post = (form: Record<string, string>, signedUrl: string) =>
    fetch(`${server.url}/telephony/twilio/voice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, signedUrl, form),
        ...forged,
      },
      body: new URLSearchParams(form).toString(),
    });

  it('checks against LOKET_PUBLIC_URL whatever X-Forwarded-Host and -Proto say', async () => {
    const genuine = params();
    const accepted = await post(genuine, `${PUBLIC_URL}/telephony/twilio/voice`);
    expect(accepted.status).toBe(200);
    // The gather URL in the TwiML is on the public address too, not on the forwarded host.
    const twiml = await accepted.text();
    expect(twiml).toContain(`${PUBLIC_URL}/telephony/twilio/gather`);
    expect(twiml).not.toContain('attacker.example');

    const refused = await post(params(), 'http://attacker.example/telephony/twilio/voice');
    expect(refused.status).toBe(403);
  });
});
