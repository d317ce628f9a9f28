// A real `loket serve` child process on an ephemeral port, for tests that need a whole server as an operator runs
// it: its own process, environment, data folder and logs, and signals to stop or kill it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/loket.mjs');

export interface ServeProcess {
  name: string;
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** every line it wrote to stdout and stderr so far */
  logs: string[];
  exited: Promise<number | null>;
  /** SIGKILL (if still running) and remove the data folder unless it was given */
  destroy(): void;
}

export interface ServeOptions {
  name: string;
  env: Record<string, string>;
  /** reuse a data folder (a restart); by default a fresh one that destroy() removes */
  dataDir?: string;
  startTimeoutMs?: number;
}

export async function startServeProcess(options: ServeOptions): Promise<ServeProcess> {
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `loket-serve-${options.name}-`));
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOKET_DATA_DIR: dataDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const destroy = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.name} did not start within ${timeoutMs} ms:\n${logs.join('\n')}`)),
        timeoutMs,
      );
      const collect = (chunk: Buffer) => {
        logs.push(...chunk.toString().split('\n').filter(Boolean));
        const port = logs.map((line) => /serving on http:\/\/localhost:(\d+)/.exec(line)?.[1]).find(Boolean);
        if (port) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${port}`);
        }
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited with ${code}:\n${logs.join('\n')}`));
      });
    });
    return { name: options.name, url, dataDir, child, logs, exited, destroy };
  } catch (error) {
    destroy();
    throw error;
  }
}

/** POST /v1/converse and the parsed answer */
export async function converseWith(
  url: string,
  body: { sessionId: string; locale: string; text?: string; [key: string]: unknown },
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = { unparsed: text };
  }
  return { status: response.status, json };
}
