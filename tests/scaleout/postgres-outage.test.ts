// Postgres goes away for a full minute under a running `loket serve`: customers keep talking, handoffs made meanwhile
// reach the agents and wait in the outbox, and all of it is written to Postgres once it is back. Then the harder case:
// Loket itself is killed while records wait, and the next start writes them. A private Postgres server (its own
// cluster and port) is stopped and started for real, so the machine's shared Postgres is never touched.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { converseWith, type ServeProcess, startServeProcess } from '../helpers/serve-process.ts';

const OUTAGE_MS = 60_000;
const TOKEN = randomBytes(16).toString('hex');
const RUN = randomBytes(4).toString('hex');
let database: PrivatePostgres;
let loket: ServeProcess;
const cleanups: (() => void)[] = [];

const serveEnv = () => ({ DATABASE_URL: database.url, LOKET_AGENT_TOKENS: `ops:${TOKEN}` });

async function say(sessionId: string, locale: string, text: string) {
  const { status, json } = await converseWith(loket.url, { sessionId, locale, text });
  expect(status, `"${text}": ${JSON.stringify(json)}`).toBe(200);
  return json;
}

async function agentGet(path: string) {
  const response = await fetch(`${loket.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, json: (await response.json()) as any };
}

async function readyz() {
  const response = await fetch(`${loket.url}/readyz`);
  return { status: response.status, json: (await response.json()) as any };
}

/** Asks for a person and declines the callback, so the customer hears the code: a complete handoff. */
async function handOff(sessionId: string, locale: 'nl-NL' | 'en-US') {
  const asked = await say(
    sessionId,
    locale,
    locale === 'nl-NL' ? 'mag ik gewoon een mens spreken' : 'can I talk to a real person please',
  );
  expect(asked.handoff, JSON.stringify(asked)).toMatchObject({ reason: 'asked-for-person' });
  const declined = await say(sessionId, locale, locale === 'nl-NL' ? 'nee hoor' : 'no thanks');
  // The code is read out in groups of digits; its first three are in the reply.
  expect(declined.reply.text).toContain(asked.handoff.code.slice(0, 3));
  return asked.handoff as { id: string; code: string };
}

async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => null);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function inPostgres<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createPrivatePostgres();
  cleanups.push(() => database.destroy());
  const first = await startServeProcess({ name: 'outage', env: serveEnv() });
  loket = first;
  cleanups.push(() => first.destroy());
}, 120_000);

afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

describe('Postgres down for 60 s under a running server', () => {
  it('keeps serving, keeps every handoff made meanwhile, and writes them when Postgres is back', async () => {
    const before = await handOff(`outage-${RUN}-before`, 'en-US');
    expect(await inPostgres('SELECT id FROM handoffs WHERE id = $1', [before.id])).toHaveLength(1);

    database.stop();
    const downSince = Date.now();
    const during: { sessionId: string; handoff: { id: string; code: string } }[] = [];

    // At once: a conversation with a few turns before the customer asks for a person, so the package's transcript
    // has to come from what this instance remembers, not from the database that is away.
    const first = `outage-${RUN}-during-1`;
    const status = await say(first, 'nl-NL', 'ik wil weten waar mijn bestelling blijft');
    expect(status.understood.intent).toBe('OrderStatus');
    during.push({ sessionId: first, handoff: await handOff(first, 'nl-NL') });

    const ready = await readyz();
    expect(ready.status, JSON.stringify(ready.json)).toBe(200);
    expect(ready.json.checks.records).toMatch(/^degraded: .*waiting in the outbox/);

    // Agents still see a handoff that is only in the outbox, by id and by code.
    const byId = await agentGet(`/agent/handoffs/${during[0]?.handoff.id}`);
    expect(byId.status).toBe(200);
    expect(byId.json.handoff ?? byId.json).toMatchObject({ id: during[0]?.handoff.id, status: 'waiting' });
    const transcript = (byId.json.handoff ?? byId.json).transcript as { speaker: string; text: string }[];
    expect(transcript.some((entry) => /bestelling/.test(entry.text))).toBe(true);
    const byCode = await agentGet(`/agent/handoffs/by-code/${during[0]?.handoff.code}`);
    expect(byCode.status).toBe(200);

    // Through the minute: more conversations, in both languages.
    for (const [index, atMs] of [20_000, 40_000, 55_000].entries()) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, downSince + atMs - Date.now())));
      const sessionId = `outage-${RUN}-during-${index + 2}`;
      during.push({ sessionId, handoff: await handOff(sessionId, index % 2 === 0 ? 'en-US' : 'nl-NL') });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, downSince + OUTAGE_MS - Date.now())));
    const downForMs = Date.now() - downSince;
    expect(downForMs).toBeGreaterThanOrEqual(OUTAGE_MS);
    // Nothing reached the database meanwhile: it was really down.
    await expect(inPostgres('SELECT 1', [])).rejects.toThrow();

    database.start();
    const ids = during.map((entry) => entry.handoff.id);
    const written = await waitUntil(
      'the outbox written to Postgres',
      async () => {
        const rows = await inPostgres<{ id: string; package: any }>(
          'SELECT id, package FROM handoffs WHERE id = ANY($1)',
          [ids],
        );
        return rows.length === ids.length ? rows : null;
      },
      30_000,
    );
    for (const row of written) {
      expect(row.package.status).toBe('waiting');
      expect(row.package.transcript.length).toBeGreaterThanOrEqual(2);
    }
    // Every turn of every conversation made during the outage is in the transcripts table, in order.
    for (const { sessionId } of during) {
      const turns = await inPostgres<{ speaker: string; text: string }>(
        'SELECT speaker, text FROM transcripts WHERE session_id = $1 ORDER BY seq',
        [sessionId],
      );
      const expectedTurns = sessionId === first ? 3 : 2;
      expect(turns.filter((turn) => turn.speaker === 'customer')).toHaveLength(expectedTurns);
    }
    const firstTurns = await inPostgres<{ text: string }>(
      "SELECT text FROM transcripts WHERE session_id = $1 AND speaker = 'customer' ORDER BY seq",
      [first],
    );
    expect(firstTurns[0]?.text).toMatch(/bestelling/);

    await waitUntil(
      'readiness back to ok',
      async () => ((await readyz()).json.checks.records === 'ok' ? true : null),
      10_000,
    );
    expect(loket.logs.some((line) => line.includes('Postgres unreachable: records wait in the outbox'))).toBe(
      true,
    );
    expect(loket.logs.some((line) => line.includes('outbox written to Postgres'))).toBe(true);
  }, 150_000);

  it('keeps what waits across a restart of Loket itself', async () => {
    database.stop();
    const sessionId = `outage-${RUN}-restart`;
    const handoff = await handOff(sessionId, 'en-US');
    // Killed without a chance to flush: the records are only in the outbox file now.
    const dataDir = loket.dataDir;
    loket.child.kill('SIGKILL');
    await loket.exited;
    database.start();
    const restarted = await startServeProcess({ name: 'outage-restarted', env: serveEnv(), dataDir });
    cleanups.push(() => restarted.destroy());
    loket = restarted;
    const rows = await waitUntil(
      'the outbox of the killed process written',
      async () => {
        const found = await inPostgres<{ id: string }>('SELECT id FROM handoffs WHERE id = $1', [handoff.id]);
        return found.length === 1 ? found : null;
      },
      30_000,
    );
    expect(rows[0]?.id).toBe(handoff.id);
    const turns = await inPostgres<{ speaker: string }>(
      "SELECT speaker FROM transcripts WHERE session_id = $1 AND speaker = 'customer'",
      [sessionId],
    );
    expect(turns).toHaveLength(2);
  }, 180_000);
});
