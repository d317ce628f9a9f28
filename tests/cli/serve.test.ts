// `loket serve` as a real process: settings errors, a conversation surviving a restart (SQLite), and --watch.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin/loket.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Served {
  url: string;
  child: ChildProcess;
  logs: string[];
  waitForLog: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  stop: () => Promise<number | null>;
}

function serve(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    logs.push(...chunk.toString().split('\n').filter(Boolean));
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => child.kill('SIGKILL'));
  const waitForLog = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = logs.find((entry) => pattern.test(entry));
        if (line) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(line);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; got:\n${logs.join('\n')}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return waitForLog(/serving on http:\/\/localhost:\d+/).then((line) => {
    const port = /localhost:(\d+)/.exec(line)?.[1];
    return {
      url: `http://127.0.0.1:${port}`,
      child,
      logs,
      waitForLog,
      stop: () => {
        child.kill('SIGTERM');
        return exited;
      },
    };
  });
}

async function say(url: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as any;
}

describe('loket serve', () => {
  it('refuses to start with a bad setting, naming it', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...process.env, PORT: 'seventy', LOG_LEVEL: 'loud' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT: must be a number \(got "seventy"\)/);
    expect(stderr).toMatch(/LOG_LEVEL: .*\(got "loud"\)/);
  });

  it('continues a conversation after a restart, from the SQLite store, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir('loket-restart-');
    const first = await serve([], { LOKET_DATA_DIR: dataDir });
    const asked = await say(first.url, {
      sessionId: 'restart-1',
      locale: 'nl-NL',
      text: 'waar blijft mijn bestelling',
    });
    expect(asked.expecting).toMatchObject({ type: 'slot', slot: 'orderNumber' });
    expect(await first.stop()).toBe(0);
    expect(first.logs.some((line) => line.includes('"msg":"stopped"'))).toBe(true);

    const second = await serve([], { LOKET_DATA_DIR: dataDir });
    const answered = await say(second.url, {
      sessionId: 'restart-1',
      locale: 'nl-NL',
      text: 'vier vijf een twee drie',
    });
    expect(answered.understood).toMatchObject({ intent: 'OrderStatus', slots: { orderNumber: '45123' } });
    expect(answered.reply.text).toMatch(/PostNL/);
    await second.stop();
  });

  it('--watch reloads a fixed model and keeps the last good one while an edit is broken', async () => {
    const modelDir = tempDir('loket-watch-');
    cpSync('intents', join(modelDir, 'intents'), { recursive: true });
    cpSync('locales', join(modelDir, 'locales'), { recursive: true });
    const served = await serve(['--watch'], {
      LOKET_DATA_DIR: tempDir('loket-watch-data-'),
      LOKET_MODEL_DIR: modelDir,
    });

    const intentFile = join(modelDir, 'intents/OpeningHours.yaml');
    const good = readFileSync(intentFile, 'utf8');
    writeFileSync(intentFile, `${good}\nslots: [unclosed\n`);
    await served.waitForLog(/OpeningHours\.yaml:\d+:\d+: YAML/);
    await served.waitForLog(/keeping the last good model/);
    const stillServing = await say(served.url, {
      sessionId: 'watch-1',
      locale: 'en-US',
      text: 'when are you open',
    });
    expect(stillServing.understood.intent).toBe('OpeningHours');

    // A new prompt variant shows the reload took effect: make `goodbye` say only it.
    const promptsFile = join(modelDir, 'locales/en-US/prompts.yaml');
    const prompts = readFileSync(promptsFile, 'utf8').replace(
      /^goodbye:\n( {2}- .*\n)+/m,
      'goodbye:\n  - Tot ziens from the reloaded model.\n  - Bye from the reloaded model.\n  - See you, from the reloaded model.\n',
    );
    writeFileSync(intentFile, good);
    writeFileSync(promptsFile, prompts);
    const loadedBefore = served.logs.filter((line) => line.includes('model loaded')).length;
    await expect
      .poll(() => served.logs.filter((line) => line.includes('model loaded')).length, { timeout: 20_000 })
      .toBeGreaterThan(loadedBefore);
    const bye = await say(served.url, { sessionId: 'watch-2', locale: 'en-US', text: 'goodbye' });
    expect(bye.reply.text).toMatch(/reloaded model/);
    await served.stop();
  });
});
