// Graceful shutdown of a real `loket serve` process: on SIGTERM /readyz says 503 at once, a turn in flight still
// gets its answer, and the process exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin/loket.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

interface Served {
  url: string;
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
}

function serve(env: Record<string, string>): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-shutdown-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      REDIS_URL: '',
      LOKET_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not serving within 30 s:\n${logs.join('\n')}`)), 30_000);
    const collect = (chunk: Buffer) => {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      const port = logs.map((line) => /serving on http:\/\/localhost:(\d+)/.exec(line)?.[1]).find(Boolean);
      if (port) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child, logs, exited });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving:\n${logs.join('\n')}`));
    });
  });
}

/** A turn that looks up an order in the sample backend, which is slowed down by LOKET_BACKEND_LATENCY_MS. */
function slowTurn(url: string) {
  return fetch(`${url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: 'slow', locale: 'nl-NL', text: 'waar blijft bestelling 45123' }),
  }).then(async (response) => ({
    status: response.status,
    json: (await response.json()) as { reply: { text: string } },
    at: Date.now(),
  }));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown', () => {
  it('finishes the turn in flight and exits 0', async () => {
    const served = await serve({ LOKET_BACKEND_LATENCY_MS: '800' });
    const startedAt = Date.now();
    const answer = slowTurn(served.url);
    await pause(300);
    const signalledAt = Date.now();
    served.child.kill('SIGTERM');
    const { status, json, at } = await answer;
    expect(status).toBe(200);
    expect(json.reply.text).toMatch(/PostNL/);
    // The turn really was in flight: it took the backend's 800 ms and ended after the signal.
    expect(at - startedAt).toBeGreaterThanOrEqual(750);
    expect(at).toBeGreaterThan(signalledAt);
    expect(await served.exited).toBe(0);
    expect(served.logs.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  }, 40_000);

  it('answers /readyz with 503 from the moment SIGTERM arrives, while still serving', async () => {
    const served = await serve({ LOKET_BACKEND_LATENCY_MS: '800', LOKET_SHUTDOWN_DELAY_MS: '1500' });
    expect((await fetch(`${served.url}/readyz`)).status).toBe(200);
    const answer = slowTurn(served.url);
    await pause(300);
    served.child.kill('SIGTERM');
    await pause(100);
    const readiness = await fetch(`${served.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'not-ready', draining: true });
    // Still alive and still answering during the shutdown delay.
    expect((await fetch(`${served.url}/healthz`)).status).toBe(200);
    const { status, json } = await answer;
    expect(status).toBe(200);
    expect(json.reply.text).toMatch(/PostNL/);
    expect(await served.exited).toBe(0);
  }, 40_000);
});
