// The contact-centre webhook against a real local receiver that fails on purpose and then recovers: every package is
// POSTed with an HMAC-SHA256 signature, retried with backoff, parked as failed (and visible to agents) after the last
// attempt, delivered again when a supervisor asks, and resumed after a restart. Nothing is lost.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import type { HandoffPackage } from '../../fulfillment/core/types.ts';
import { createHandoffDesk } from '../../fulfillment/handoff/desk.ts';
import { createInProcessEventBus } from '../../fulfillment/handoff/events.ts';
import { backoffDelay, createWebhookOutbox } from '../../fulfillment/handoff/outbox.ts';
import { readHandoffSettings } from '../../fulfillment/handoff/settings.ts';
import { signWebhookBody } from '../../fulfillment/handoff/webhook.ts';
import { createSqliteRecordsStore } from '../../fulfillment/stores/records-sqlite.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

const SECRET = 'contact-centre-shared-secret';
const SUPERVISOR = 'chef-token-0123456789abcdef';

interface Received {
  body: string;
  signature: string;
  delivery: string;
  handoffId: string;
  validSignature: boolean;
}

/** A contact centre's endpoint: answers with whatever `respond` says, and keeps what it got. */
function receiver() {
  const received: Received[] = [];
  let respond: () => number = () => 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(request.headers['x-loket-signature'] ?? '');
      const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      received.push({
        body,
        signature,
        delivery: String(request.headers['x-loket-delivery'] ?? ''),
        handoffId: String(request.headers['x-loket-handoff-id'] ?? ''),
        validSignature:
          signature.length === expected.length &&
          timingSafeEqual(Buffer.from(signature), Buffer.from(expected)),
      });
      response.statusCode = respond();
      response.end('{}');
    });
  });
  return {
    received,
    setResponse: (next: () => number) => {
      respond = next;
    },
    start: () =>
      new Promise<string>((resolve) => {
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/loket`);
        });
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let contactCentre: ReturnType<typeof receiver>;
let url: string;
let server: TestServer | null = null;

beforeAll(async () => {
  contactCentre = receiver();
  url = await contactCentre.start();
});
afterEach(async () => {
  await server?.close();
  server = null;
  contactCentre.received.length = 0;
  contactCentre.setResponse(() => 200);
});
afterAll(async () => {
  await contactCentre.stop();
});

async function startLoket(extra: Record<string, string> = {}) {
  server = await startTestServer({
    LOKET_HANDOFF_WEBHOOK_URL: url,
    LOKET_HANDOFF_WEBHOOK_SECRET: SECRET,
    LOKET_HANDOFF_WEBHOOK_BACKOFF_MS: '40',
    LOKET_HANDOFF_WEBHOOK_ATTEMPTS: '4',
    LOKET_AGENT_TOKENS: `chef:${SUPERVISOR}:supervisor`,
    ...extra,
  });
  return server;
}

async function complaint(loket: TestServer, sessionId: string) {
  const { json } = await converse(loket.url, {
    sessionId,
    locale: 'nl-NL',
    text: 'ik wil een klacht indienen',
  });
  return json.handoff as { id: string; code: string };
}

describe('the contact-centre webhook', () => {
  it('retries with backoff while the receiver fails, then delivers the signed package once it recovers', async () => {
    let calls = 0;
    contactCentre.setResponse(() => (++calls <= 2 ? 500 : 200));
    const loket = await startLoket();
    const handoff = await complaint(loket, 'webhook-1');

    const delivered = await until(async () => {
      const pkg = await loket.runtime.deps.records.getHandoff(handoff.id);
      return pkg?.delivery?.state === 'delivered' ? pkg : null;
    });
    expect(delivered.delivery).toMatchObject({ state: 'delivered', attempts: 3, lastError: null });
    expect(contactCentre.received).toHaveLength(3);
    for (const request of contactCentre.received) {
      expect(request.validSignature).toBe(true);
      expect(request.handoffId).toBe(handoff.id);
    }
    const body = JSON.parse(contactCentre.received[2]?.body ?? '{}');
    expect(body).toMatchObject({
      id: handoff.id,
      code: handoff.code,
      queue: 'complaints',
      status: 'waiting',
    });
    expect(body.summary).toMatch(/^Klant wil een klacht indienen/);
    // Loket's own bookkeeping stays home.
    expect(body.delivery).toBeUndefined();
    expect(body.callerKey).toBeUndefined();
    // The same version is the same delivery id each time, so a receiver can drop a duplicate.
    expect(new Set(contactCentre.received.map((request) => request.delivery)).size).toBe(1);
  });

  it('sends every change again: a callback arranged and an agent accepting', async () => {
    const loket = await startLoket();
    const sessionId = 'webhook-2';
    const say = (text: string) =>
      converse(loket.url, { sessionId, locale: 'nl-NL', text, callerId: '+31612345678' });
    const handoff = (await say('ik wil een klacht indienen')).json.handoff;
    await say('ja');
    await say('ja');
    await say('morgenochtend');
    await until(async () => contactCentre.received.some((request) => JSON.parse(request.body).callback));
    await fetch(`${loket.url}/agent/handoffs/${handoff.id}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    const accepted = await until(async () =>
      contactCentre.received
        .map((request) => JSON.parse(request.body))
        .find((pkg) => pkg.status === 'accepted'),
    );
    // The colleague who calls back needs the number: the webhook is the contact centre's own, signed channel.
    expect(accepted.callback).toMatchObject({
      phone: '+31612345678',
      preferredMoment: { dayPart: 'morning' },
    });
    expect(accepted.agent).toMatchObject({ acceptedBy: 'chef' });
  });

  it('parks a package as failed after the last attempt, shows it to agents, and delivers it on request', async () => {
    contactCentre.setResponse(() => 503);
    const loket = await startLoket({ LOKET_HANDOFF_WEBHOOK_ATTEMPTS: '3' });
    const events: string[] = [];
    loket.runtime.handoffs.events.subscribe((event) => {
      if (event.cause === 'delivery') events.push(event.handoff.delivery?.state ?? '?');
    });
    const handoff = await complaint(loket, 'webhook-3');
    const failed = await until(async () => {
      const pkg = await loket.runtime.deps.records.getHandoff(handoff.id);
      return pkg?.delivery?.state === 'failed' ? pkg : null;
    });
    expect(failed.delivery).toMatchObject({ attempts: 3, lastError: 'HTTP 503', nextAttemptAt: null });
    expect(contactCentre.received).toHaveLength(3);
    expect(events.at(-1)).toBe('failed');
    // Parked, not lost: the package is still there, and agents see it under "webhook failed".
    const list = await fetch(`${loket.url}/agent/handoffs?delivery=failed`, {
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(((await list.json()) as { handoffs: HandoffPackage[] }).handoffs.map((pkg) => pkg.id)).toEqual([
      handoff.id,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(contactCentre.received).toHaveLength(3);

    contactCentre.setResponse(() => 204);
    const retry = await fetch(`${loket.url}/agent/handoffs/${handoff.id}/redeliver`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(retry.status).toBe(200);
    await until(
      async () => (await loket.runtime.deps.records.getHandoff(handoff.id))?.delivery?.state === 'delivered',
    );
    expect(contactCentre.received).toHaveLength(4);
    const again = await fetch(`${loket.url}/agent/handoffs/${handoff.id}/redeliver`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(again.status).toBe(409);
  });

  it('records why a receiver that drops the connection failed', async () => {
    // A receiver that drops every connection at once (a port "free a moment ago" may be taken by a parallel test).
    const dropping = createNetServer((socket) => socket.destroy());
    const port = await new Promise<number>((resolve) => {
      dropping.listen(0, '127.0.0.1', () => {
        const address = dropping.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const loket = await startLoket({
      LOKET_HANDOFF_WEBHOOK_URL: `http://127.0.0.1:${port}/drops-everything`,
      LOKET_HANDOFF_WEBHOOK_ATTEMPTS: '2',
    });
    const handoff = await complaint(loket, 'webhook-4');
    const failed = await until(async () => {
      const pkg = await loket.runtime.deps.records.getHandoff(handoff.id);
      return pkg?.delivery?.state === 'failed' ? pkg : null;
    });
    expect(failed.delivery?.lastError).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    await new Promise<void>((resolve) => dropping.close(() => resolve()));
  });
});

describe('after a restart', () => {
  it('resumes a delivery that was still pending, so nothing is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-outbox-'));
    const file = join(dir, 'records.db');
    const logger = pino({ level: 'silent' });
    const start = (
      deliver: (pkg: HandoffPackage) => Promise<{ ok: true; status: number } | { ok: false; error: string }>,
    ) => {
      const records = createSqliteRecordsStore({ file });
      const outbox = createWebhookOutbox({
        target: { url, secret: SECRET, timeoutMs: 1000 },
        attempts: 5,
        backoffMs: 60_000,
        records,
        clock: () => new Date(),
        random: () => 0.5,
        logger,
        deliver,
      });
      const desk = createHandoffDesk({
        records,
        events: createInProcessEventBus(),
        beforeSave: outbox.markPending,
        afterSave: (pkg) => outbox.schedule(pkg),
      });
      outbox.attach(desk);
      return { records, outbox, desk };
    };
    try {
      // First run: the receiver is down, the retry is a minute away, and then Loket stops.
      let firstAttempts = 0;
      const first = start(async () => {
        firstAttempts += 1;
        return { ok: false, error: 'HTTP 502' };
      });
      const at = new Date().toISOString();
      await first.desk.create({
        id: 'restart-1',
        code: '123456',
        reason: 'policy',
        channel: 'alexa',
        locale: 'nl-NL',
        sessionId: 's',
        customer: null,
        callerId: null,
        intents: [],
        tried: [],
        transcript: [],
        summary: 'Klant wil een klacht indienen.',
        sentiment: { score: 0, label: 'neutral' },
        queue: 'complaints',
        createdAt: at,
        updatedAt: at,
        status: 'waiting',
      });
      await until(async () => (await first.records.getHandoff('restart-1'))?.delivery?.attempts === 1);
      await first.outbox.close();
      await first.records.close();
      expect(firstAttempts).toBe(1);

      // Second run: what was pending is picked up (due now, since the clock was set back for the test).
      const delivered: string[] = [];
      const second = start(async (pkg) => {
        delivered.push(pkg.id);
        return { ok: true, status: 200 };
      });
      const stored = await second.records.getHandoff('restart-1');
      await second.records.saveHandoff({
        ...(stored as HandoffPackage),
        delivery: { ...(stored?.delivery as NonNullable<HandoffPackage['delivery']>), nextAttemptAt: at },
      });
      expect(await second.outbox.recover()).toBe(1);
      await until(
        async () => (await second.records.getHandoff('restart-1'))?.delivery?.state === 'delivered',
      );
      expect(delivered).toEqual(['restart-1']);
      await second.outbox.close();
      await second.records.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('signing and settings', () => {
  it('signs the exact body with HMAC-SHA256', () => {
    expect(signWebhookBody('{"id":"h1"}', 'secret')).toBe(
      `sha256=${createHmac('sha256', 'secret').update('{"id":"h1"}').digest('hex')}`,
    );
    expect(signWebhookBody('{"id":"h1"}', 'secret')).not.toBe(signWebhookBody('{"id":"h2"}', 'secret'));
  });

  it('backs off exponentially, with jitter, up to ten minutes', () => {
    expect(backoffDelay(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, 1000, () => 0.5)).toBe(4000);
    expect(backoffDelay(3, 1000, () => 0)).toBe(3200);
    expect(backoffDelay(30, 1000, () => 0.5)).toBe(600_000);
  });

  it('refuses a webhook without a secret, and never echoes the secret', () => {
    expect(() => readHandoffSettings({ LOKET_HANDOFF_WEBHOOK_URL: 'https://cc.example.com/loket' })).toThrow(
      SettingsError,
    );
    try {
      readHandoffSettings({
        LOKET_HANDOFF_WEBHOOK_URL: 'ftp://x',
        LOKET_HANDOFF_WEBHOOK_SECRET: 'short-secret',
      });
    } catch (error) {
      const problems = (error as SettingsError).problems;
      expect(problems).toEqual([
        expect.stringMatching(/^LOKET_HANDOFF_WEBHOOK_URL: must be an http:\/\/ or https:\/\/ URL/),
        'LOKET_HANDOFF_WEBHOOK_SECRET: must be at least 16 characters',
      ]);
    }
    expect(readHandoffSettings({}).LOKET_CALLBACKS).toBe(true);
    expect(readHandoffSettings({ LOKET_CALLBACKS: 'off' }).LOKET_CALLBACKS).toBe(false);
  });
});
