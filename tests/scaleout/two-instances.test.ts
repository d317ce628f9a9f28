// Two real `loket serve` processes behind an imaginary load balancer, sharing the machine's real Redis (sessions and
// handoff events) and real Postgres (transcripts and handoffs, one schema per run, dropped afterwards). Through HTTP
// only: a conversation alternating between the instances turn by turn, a handoff made on one that the other's agents
// see in their list and on their event stream, and an instance killed mid-conversation without losing anything.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServeProcess } from '../helpers/serve-process.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUN = `${process.pid}_${randomBytes(4).toString('hex')}`;
const SCHEMA = `loket_scaleout_${RUN}`;
const TOKEN = randomBytes(16).toString('hex');
/** a second agent, to race the first on accepting one handoff */
const SECOND_TOKEN = randomBytes(16).toString('hex');
const sessionIds: string[] = [];
const cleanups: (() => void)[] = [];
let admin: pg.Client;
let redis: Redis;
let a: Instance;
let b: Instance;

type Instance = ServeProcess;

async function serve(name: string): Promise<Instance> {
  const instance = await startServeProcess({
    name,
    env: {
      REDIS_URL,
      DATABASE_URL,
      LOKET_POSTGRES_SCHEMA: SCHEMA,
      LOKET_AGENT_TOKENS: `ops:${TOKEN},bram:${SECOND_TOKEN}`,
    },
  });
  cleanups.push(() => instance.destroy());
  return instance;
}

function session(label: string): string {
  const id = `scaleout-${RUN}-${label}`;
  sessionIds.push(id);
  return id;
}

async function say(instance: Instance, sessionId: string, locale: string, text: string) {
  const response = await fetch(`${instance.url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, locale, text }),
  });
  expect(response.status, `${instance.name}: "${text}"`).toBe(200);
  return (await response.json()) as any;
}

async function agentGet(instance: Instance, path: string) {
  const response = await fetch(`${instance.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as any;
}

interface StreamEvent {
  type: string;
  data: any;
  at: number;
}

/** Opens GET /agent/events with fetch and collects its events until closed. */
async function openEvents(instance: Instance) {
  const controller = new AbortController();
  const response = await fetch(`${instance.url}/agent/events`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const events: StreamEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data), at: Date.now() });
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async (predicate: (event: StreamEvent) => boolean, timeoutMs: number) => {
    const started = Date.now();
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `no matching event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await waitFor((event) => event.type === 'ready', 2000);
  cleanups.push(() => controller.abort());
  return { events, waitFor, close: () => controller.abort() };
}

async function transcriptOf(sessionId: string) {
  const result = await admin.query<{ turn_id: string; speaker: string; text: string }>(
    `SELECT turn_id, speaker, text FROM "${SCHEMA}".transcripts WHERE session_id = $1 ORDER BY seq`,
    [sessionId],
  );
  return result.rows;
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  redis = new Redis(REDIS_URL);
  // Both at once, as a rolling deployment would: the migrations of the shared schema must not trip over each other.
  [a, b] = await Promise.all([serve('A'), serve('B')]);
}, 60_000);

afterAll(async () => {
  await Promise.all(
    [a, b].map(async (instance) => {
      if (!instance || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
      instance.child.kill('SIGTERM');
      await instance.exited;
    }),
  );
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  if (sessionIds.length > 0) await redis?.del(...sessionIds.map((id) => `loket:session:${id}`));
  redis?.disconnect();
  await admin?.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await admin?.end();
}, 30_000);

describe('two loket serve processes on one Redis and one Postgres', () => {
  it('shares the records schema between both instances', async () => {
    const tables = await admin.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [SCHEMA],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['handoffs', 'transcripts']),
    );
    for (const instance of [a, b]) {
      const ready = await fetch(`${instance.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(instance.logs.some((line) => line.includes('handoff events on Redis'))).toBe(true);
    }
  });

  it('continues one conversation turn by turn on alternating instances', async () => {
    const id = session('order');
    const asked = await say(a, id, 'nl-NL', 'waar blijft mijn bestelling');
    expect(asked.expecting).toMatchObject({ type: 'slot', slot: 'orderNumber' });
    const answered = await say(b, id, 'nl-NL', 'vier vijf een twee drie');
    expect(answered.understood).toMatchObject({ intent: 'OrderStatus', slots: { orderNumber: '45123' } });
    expect(answered.reply.text).toMatch(/PostNL/);
    const thanks = await say(a, id, 'nl-NL', 'dank je wel');
    expect(thanks.understood.intent).toBe('Thanks');
    const rows = await transcriptOf(id);
    expect(rows.filter((row) => row.speaker === 'customer').map((row) => row.text)).toEqual([
      'waar blijft mijn bestelling',
      'vier vijf een twee drie',
      'dank je wel',
    ]);
  });

  it("hands over on A and shows it in B's queue and on B's event stream within two seconds", async () => {
    const stream = await openEvents(b);
    const id = session('move');
    const turns: [Instance, string, Record<string, unknown>][] = [
      [a, "we're moving", { expecting: { type: 'slot', slot: 'moveDate' } }],
      [b, 'on december first', { expecting: { type: 'slot', slot: 'postcode' } }],
      [a, 'one two three four a b', { expecting: { type: 'confirmation' } }],
      [b, "yep that's right", { expecting: { type: 'slot', slot: 'houseNumber' } }],
    ];
    for (const [instance, text, expected] of turns) {
      const reply = await say(instance, id, 'en-US', text);
      expect(reply, `${instance.name}: "${text}"`).toMatchObject(expected);
      if (!text.startsWith('yep')) expect(reply.understood.intent).toBe('MoveHouse');
    }
    const sentAt = Date.now();
    const last = await say(a, id, 'en-US', 'five');
    expect(last.understood).toMatchObject({
      intent: 'MoveHouse',
      slots: { houseNumber: '5' },
    });
    expect(last.handoff).toMatchObject({ reason: 'policy', queue: 'moves' });
    const handoffId: string = last.handoff.id;

    const arrived = await stream.waitFor(
      (event) => event.type === 'handoff.created' && event.data.handoff.id === handoffId,
      2000,
    );
    const latencyMs = arrived.at - sentAt;
    console.info(`handoff made on A reached B's event stream ${latencyMs} ms after the turn was sent`);
    expect(latencyMs).toBeLessThan(2000);
    expect(arrived.data).toMatchObject({ cause: 'turn', handoff: { sessionId: id, transcriptLength: 10 } });

    const waiting = await agentGet(b, '/agent/handoffs?status=waiting');
    expect(waiting.handoffs.map((item: { id: string }) => item.id)).toContain(handoffId);
    const detail = await agentGet(b, `/agent/handoffs/${handoffId}`);
    expect(detail.handoff.transcript).toHaveLength(10);
    // Every slot, gathered on both instances, is in the one package.
    expect(detail.handoff.intents).toEqual([
      expect.objectContaining({
        intent: 'MoveHouse',
        slots: { moveDate: expect.stringMatching(/-12-01$/), postcode: '[postcode]', houseNumber: '5' },
      }),
    ]);

    // Exactly once on B, even though A's own subscriber hears it too.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      stream.events.filter(
        (event) => event.type === 'handoff.created' && event.data.handoff.id === handoffId,
      ),
    ).toHaveLength(1);
    stream.close();
  });

  it('serves two agents accepting one handoff at once on two instances one after the other', async () => {
    const accept = async (instance: Instance, token: string, id: string) => {
      const response = await fetch(`${instance.url}/agent/handoffs/${id}/accept`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      return response.status;
    };
    const ids: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const answer = await say(
        round % 2 ? b : a,
        session(`race-${round}`),
        'en-US',
        'can I talk to a real person please',
      );
      ids.push(answer.handoff.id);
    }
    for (const id of ids) {
      // Both presses leave at the same moment, one through each instance: without a lock across instances both
      // would read "waiting" and both agents would be told the customer is theirs.
      const [onA, onB] = await Promise.all([accept(a, TOKEN, id), accept(b, SECOND_TOKEN, id)]);
      expect([onA, onB].sort(), id).toEqual([200, 409]);
      const stored = await agentGet(a, `/agent/handoffs/${id}`);
      const handoff = stored.handoff ?? stored;
      expect(handoff.status).toBe('accepted');
      expect(handoff.agent.acceptedBy).toBe(onA === 200 ? 'ops' : 'bram');
    }
  });

  it('loses nothing when the instance serving a conversation is killed', async () => {
    const id = session('killed');
    const first = await say(a, id, 'en-US', 'i need to report a move');
    expect(first.expecting).toMatchObject({ type: 'slot', slot: 'moveDate' });
    const second = await say(a, id, 'en-US', 'december first');
    expect(second.expecting).toMatchObject({ type: 'slot', slot: 'postcode' });

    a.child.kill('SIGKILL');
    await a.exited;
    expect(a.child.signalCode).toBe('SIGKILL');

    const third = await say(b, id, 'en-US', 'three five one one a b');
    expect(third.understood).toMatchObject({ intent: 'MoveHouse', slots: { postcode: '3511AB' } });
    expect(third.expecting).toMatchObject({ type: 'confirmation' });
    await say(b, id, 'en-US', 'yes');
    const last = await say(b, id, 'en-US', 'twelve a');
    expect(last.understood).toMatchObject({ intent: 'MoveHouse', slots: { houseNumber: '12a' } });
    expect(last.handoff).toMatchObject({ reason: 'policy', queue: 'moves' });

    const rows = await transcriptOf(id);
    const turnIds = [...new Set(rows.map((row) => row.turn_id))];
    expect(turnIds).toHaveLength(5);
    for (const turnId of turnIds) {
      expect(rows.filter((row) => row.turn_id === turnId).map((row) => row.speaker)).toEqual([
        'customer',
        'bot',
      ]);
    }
    expect(rows[0]?.text).toBe('i need to report a move');
    expect(rows[2]?.text).toBe('december first');
    const detail = await agentGet(b, `/agent/handoffs/${last.handoff.id}`);
    expect(detail.handoff.transcript).toHaveLength(10);
    expect(detail.handoff.intents).toEqual([
      expect.objectContaining({
        intent: 'MoveHouse',
        slots: { moveDate: expect.stringMatching(/-12-01$/), postcode: '[postcode]', houseNumber: '12a' },
      }),
    ]);
  });
});
