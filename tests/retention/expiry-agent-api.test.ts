// Handoff expiry as agents see it, through real HTTP on a real runtime whose clock the test moves: a complaint that
// nobody takes for longer than LOKET_HANDOFF_EXPIRE_HOURS is `expired` in the agent API, its change reaches the event
// stream with the cause `expiry`, and it can no longer be accepted.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../fulfillment/config/settings.ts';
import type { HandoffEvent } from '../../fulfillment/handoff/events.ts';
import { createApp } from '../../fulfillment/server/app.ts';
import { type Runtime, startRuntime } from '../../fulfillment/server/runtime.ts';
import { converse } from '../helpers/server.ts';

const TOKEN = 'sanne-token-0123456789abcdef';
const HOUR = 60 * 60 * 1000;
let now = Date.now();
let dataDir = '';
let runtime: Runtime;
let server: Server;
let url = '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'loket-expiry-'));
  const settings = {
    ...readSettings({
      LOG_LEVEL: 'error',
      LOKET_AGENT_TOKENS: `sanne:${TOKEN}`,
      LOKET_HANDOFF_EXPIRE_HOURS: '2',
    }),
    dataDir,
  };
  runtime = await startRuntime(settings, { logger: pino({ level: 'error' }), clock: () => new Date(now) });
  const app = createApp(runtime);
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server?.closeAllConnections();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function agent(path: string, init: RequestInit = {}) {
  const response = await fetch(`${url}/agent${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function complaint(sessionId: string): Promise<string> {
  const { json } = await converse(url, {
    sessionId,
    locale: 'nl-NL',
    text: 'ik wil een klacht indienen over de monteur',
  });
  expect(json.handoff).toMatchObject({ status: 'waiting' });
  return json.handoff.id;
}

describe('handoff expiry', () => {
  it('moves a handoff nobody took to expired, tells the console, and refuses to accept it', async () => {
    const events: HandoffEvent[] = [];
    const unsubscribe = runtime.handoffs.events.subscribe((event) => events.push(event));
    const old = await complaint('expiry-old');
    now += 90 * 60 * 1000;
    const recent = await complaint('expiry-recent');

    // Nothing is due yet: 90 minutes is under the two hours.
    expect(await runtime.retention.runNow()).toMatchObject({ expired: 0 });

    now += 31 * 60 * 1000;
    expect(await runtime.retention.runNow()).toMatchObject({ expired: 1 });
    const expired = await agent('/handoffs?status=expired');
    expect(expired.body.handoffs.map((pkg: { id: string }) => pkg.id)).toEqual([old]);
    const waiting = await agent('/handoffs?status=waiting');
    expect(waiting.body.handoffs.map((pkg: { id: string }) => pkg.id)).toEqual([recent]);
    expect((await agent(`/handoffs/${old}`)).body.handoff).toMatchObject({
      status: 'expired',
      updatedAt: new Date(now).toISOString(),
    });
    expect(events.filter((event) => event.cause === 'expiry')).toEqual([
      {
        type: 'handoff.updated',
        cause: 'expiry',
        handoff: expect.objectContaining({ id: old, status: 'expired' }),
      },
    ]);
    expect(await agent(`/handoffs/${old}/accept`, { method: 'POST', body: '{}' })).toMatchObject({
      status: 409,
      body: { error: 'already-expired' },
    });

    // Running again changes nothing; the later handoff goes when its own two hours are up.
    expect(await runtime.retention.runNow()).toMatchObject({ expired: 0 });
    now += 2 * HOUR;
    expect(await runtime.retention.runNow()).toMatchObject({ expired: 1 });
    expect((await agent('/handoffs?status=waiting')).body.handoffs).toEqual([]);
    unsubscribe();
  });
});
