// A real Redis restart in the middle of a conversation: a private redis-server (its own port and folder, append-only
// file with fsync on every write) behind a real `loket serve` process. The customer gives a move date and a postcode,
// Redis shuts down, the next turn gets a quick 503 with a JSON reason and Retry-After while /readyz says the session
// store is failing, then Redis starts again on the same port and folder and the same conversation simply goes on.
//
// Why the append-only file: with `--appendonly yes --appendfsync always` every write is on disk before Redis answers
// it, so the sessions survive any stop, a crash or SIGKILL included, not only a clean SHUTDOWN that writes an RDB
// snapshot. It is also what to run in production when sessions must survive a Redis restart (docs/operations.md).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';

const REDIS_SERVER = '/usr/bin/redis-server';
const bin = join(process.cwd(), 'bin/loket.mjs');
const TOKEN = 'restart-test-token-0123456789';
const SESSION = `redis-restart-${process.pid}`;

interface Child {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
}

const temporary: string[] = [];
let redisDir: string;
let redisPort: number;
let redis: Child | null = null;
let loket: Child & { url: string };

/** Spawns a process and resolves once a log line matches `ready` (the match), or rejects when it exits first. */
function start(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs: number,
): Promise<Child & { match: RegExpExecArray }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} not ready within ${timeoutMs} ms:\n${logs.join('\n')}`)),
      timeoutMs,
    );
    let done = false;
    const collect = (chunk: Buffer) => {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      if (done) return;
      for (const line of logs) {
        const match = ready.exec(line);
        if (match) {
          done = true;
          clearTimeout(timer);
          resolve({ child, logs, exited, match });
          return;
        }
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`${command} exited with ${code}:\n${logs.join('\n')}`));
    });
  });
}

function startRedis(): Promise<Child> {
  return start(
    REDIS_SERVER,
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      redisDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    process.env,
    /Ready to accept connections/,
    10_000,
  );
}

/** SIGTERM is how systemd and Kubernetes stop Redis: a clean SHUTDOWN, then the process exits. */
async function stopRedis(): Promise<void> {
  if (!redis || redis.child.exitCode !== null || redis.child.signalCode !== null) return;
  redis.child.kill('SIGTERM');
  await redis.exited;
}

async function startLoket(): Promise<Child & { url: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-redis-restart-data-'));
  temporary.push(dataDir);
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const started = await start(
    process.execPath,
    [bin, 'serve'],
    {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      LOKET_DATA_DIR: dataDir,
      LOKET_AGENT_TOKENS: `ops:${TOKEN}`,
    },
    /serving on http:\/\/localhost:(\d+)/,
    30_000,
  );
  return { ...started, url: `http://127.0.0.1:${started.match[1]}` };
}

async function turn(text: string): Promise<{ status: number; ms: number; headers: Headers; json: any }> {
  const started = Date.now();
  const response = await fetch(`${loket.url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: SESSION, locale: 'en-US', text }),
    signal: AbortSignal.timeout(10_000),
  });
  const json = await response.json();
  return { status: response.status, ms: Date.now() - started, headers: response.headers, json };
}

async function say(text: string): Promise<any> {
  const reply = await turn(text);
  expect(reply.status, `"${text}": ${JSON.stringify(reply.json)}`).toBe(200);
  return reply.json;
}

async function readiness(): Promise<{ status: number; json: any }> {
  const response = await fetch(`${loket.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, json: await response.json() };
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  expect(existsSync(REDIS_SERVER), `${REDIS_SERVER} is needed for this test`).toBe(true);
  redisDir = mkdtempSync(join(tmpdir(), 'loket-redis-restart-redis-'));
  temporary.push(redisDir);
  redisPort = await freePort();
  redis = await startRedis();
  loket = await startLoket();
}, 45_000);

afterAll(async () => {
  if (loket && loket.child.exitCode === null && loket.child.signalCode === null) {
    loket.child.kill('SIGTERM');
    const stopped = await Promise.race([
      loket.exited.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    if (!stopped) loket.child.kill('SIGKILL');
  }
  if (redis && redis.child.exitCode === null && redis.child.signalCode === null) {
    redis.child.kill('SIGKILL');
    await redis.exited;
  }
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
}, 15_000);

describe('a Redis restart in the middle of a conversation', () => {
  it('answers 503 quickly while Redis is down, and continues the same conversation once it is back', async () => {
    // Before: a move, half told.
    expect((await readiness()).status).toBe(200);
    expect(await say("we're moving")).toMatchObject({ expecting: { type: 'slot', slot: 'moveDate' } });
    expect(await say('on december first')).toMatchObject({ expecting: { type: 'slot', slot: 'postcode' } });
    const postcode = await say('one two three four a b');
    expect(postcode.understood).toMatchObject({ intent: 'MoveHouse', slots: { postcode: '1234AB' } });
    expect(postcode.expecting).toMatchObject({ type: 'confirmation' });

    // Redis goes away.
    await stopRedis();
    expect(redis?.logs.some((line) => /ready to exit, bye bye/i.test(line))).toBe(true);

    // A turn while it is down: a clear, retryable answer, quickly; no hang, no crash, no stack.
    const down = await turn("yep that's right");
    console.info(`turn while Redis was down answered ${down.status} in ${down.ms} ms`);
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(2_000);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(down.headers.get('content-type')).toMatch(/application\/json/);
    expect(down.json).toMatchObject({ error: 'unavailable', message: expect.any(String) });
    expect(JSON.stringify(down.json)).not.toMatch(/\bat \S+:\d+|ECONNREFUSED|redis:\/\//);
    const again = await turn("yep that's right");
    expect(again.status).toBe(503);
    expect(again.ms).toBeLessThan(500);

    const notReady = await readiness();
    expect(notReady.status).toBe(503);
    expect(notReady.json).toMatchObject({ status: 'not-ready', draining: false, checks: { records: 'ok' } });
    expect(notReady.json.checks.sessions).toMatch(/Redis session store/);
    expect((await fetch(`${loket.url}/healthz`)).status).toBe(200);
    expect(loket.child.exitCode).toBeNull();

    // Redis comes back on the same port, from the same folder.
    redis = await startRedis();
    expect(redis.logs.some((line) => /loaded from append only file|DB loaded from/i.test(line))).toBe(true);
    const client = new Redis(`redis://127.0.0.1:${redisPort}`, { lazyConnect: true });
    try {
      await client.connect();
      expect(await client.exists(`loket:session:${SESSION}`)).toBe(1);
    } finally {
      client.disconnect();
    }
    const started = Date.now();
    const ready = await until(readiness, (answer) => answer.status === 200, 5_000);
    console.info(`/readyz was 200 again ${Date.now() - started} ms after redis-server was ready`);
    expect(ready.status).toBe(200);
    expect(ready.json.checks).toEqual({ sessions: 'ok', records: 'ok' });

    // The same conversation, where it was: the postcode still waits for its yes, the date is still known.
    const confirmed = await say("yep that's right");
    expect(confirmed.expecting).toMatchObject({ type: 'slot', slot: 'houseNumber' });
    const last = await say('five');
    expect(last.understood).toMatchObject({ intent: 'MoveHouse', slots: { houseNumber: '5' } });
    expect(last.handoff).toMatchObject({ reason: 'policy', queue: 'moves' });
    const detail = await fetch(`${loket.url}/agent/handoffs/${last.handoff.id}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(detail.status).toBe(200);
    const { handoff } = (await detail.json()) as any;
    expect(handoff.intents).toEqual([
      expect.objectContaining({
        intent: 'MoveHouse',
        slots: { moveDate: expect.stringMatching(/-12-01$/), postcode: '[postcode]', houseNumber: '5' },
      }),
    ]);

    // The server said why in its log, once per refused turn, as a warning rather than a crash.
    expect(loket.logs.filter((line) => line.includes('a store is unavailable: answered 503'))).toHaveLength(
      2,
    );
    expect(loket.logs.some((line) => line.includes('"msg":"request failed"'))).toBe(false);
    expect(loket.child.exitCode).toBeNull();
  }, 30_000);
});
