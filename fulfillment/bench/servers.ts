// The benches' servers: the bare express echo and `loket serve` as child processes on 127.0.0.1, started, checked
// and stopped, so `loket bench` and `loket bench load` run them the same way and never leave one behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Benches only ever listen and connect here: they are measuring sticks, not services. */
export const LOOPBACK = '127.0.0.1';
// NLU training runs before Loket listens, so readiness can take a while on a slow machine.
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_LINES = 40;
/** How long an interrupted bench may spend cleaning up before it exits anyway. */
const INTERRUPT_CLEANUP_MS = 5_000;

/** A problem with the run itself (bad option, a server that will not start): one message, no stack. */
export class BenchError extends Error {}

export interface ServerProcess {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<void>;
  outputTail: () => string;
}

/** Ask the OS for a free loopback port; the tiny race until the child binds it is fine for a local bench. */
function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() =>
        port > 0 ? resolvePort(port) : reject(new BenchError('could not find a free port')),
      );
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function startServer(
  name: string,
  args: readonly string[],
  port: number,
  env: NodeJS.ProcessEnv,
): ServerProcess {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Keep the last lines of output so a server that fails can be explained without flooding the bench.
  const lines: string[] = [];
  const keepTail = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_TAIL_LINES));
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  child.once('error', (error) => lines.push(`could not start: ${error.message}`));
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.once('error', () => resolveExit());
  });
  return { name, baseUrl: `http://${LOOPBACK}:${port}`, child, exited, outputTail: () => lines.join('\n') };
}

/** The bare express echo (fulfillment/bench/echo-server.ts), the baseline every bench compares Loket with. */
export async function startEchoServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const port = await findFreePort();
  console.error(`echo: starting on ${LOOPBACK}:${port}`);
  return startServer('echo', ['--import', 'tsx', 'fulfillment/bench/echo-server.ts'], port, {
    ...env,
    PORT: String(port),
    HOST: LOOPBACK,
  });
}

/** `loket serve` with quiet logs and no rate limits: all bench traffic comes from 127.0.0.1 and a few caller ids. */
export async function startLoketServer(name: string, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const port = await findFreePort();
  console.error(`${name}: starting on ${LOOPBACK}:${port} (NLU training first)`);
  return startServer(name, ['bin/loket.mjs', 'serve'], port, {
    ...env,
    PORT: String(port),
    HOST: LOOPBACK,
    LOG_LEVEL: 'warn',
    LOKET_RATE_LIMIT_PER_MINUTE: '0',
    LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '0',
  });
}

export async function waitUntilReady(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(server.child)) {
      throw new BenchError(
        `${server.name} exited before it was ready (code ${server.child.exitCode ?? server.child.signalCode}):\n${server.outputTail()}`,
      );
    }
    try {
      // connection: close, so no pooled socket lingers and holds the server (or this process) open.
      const response = await fetch(`${server.baseUrl}/healthz`, {
        headers: { connection: 'close' },
        signal: AbortSignal.timeout(1_000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  throw new BenchError(
    `${server.name} did not answer GET /healthz with 200 within ${READY_TIMEOUT_MS / 1000} s:\n${server.outputTail()}`,
  );
}

export async function stopServer(server: ServerProcess): Promise<void> {
  if (hasExited(server.child)) return;
  server.child.kill('SIGTERM');
  // An unref'd timer, so a prompt exit does not leave this process waiting out the grace period.
  const stoppedInTime = await Promise.race([
    server.exited.then(() => true),
    delay(STOP_GRACE_MS, false, { ref: false }),
  ]);
  if (!stoppedInTime) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: text };
  }
}

/** One turn before the load, so a broken contract fails loudly instead of as a fast stream of errors. */
export async function checkEcho(server: ServerProcess): Promise<void> {
  const body = { sessionId: 'bench-check', locale: 'nl-NL', text: 'mijn internet doet het niet' };
  const { status, json } = await postJson(`${server.baseUrl}/echo`, body);
  if (status !== 200 || JSON.stringify(json) !== JSON.stringify(body)) {
    throw new BenchError(`echo answered ${status} ${JSON.stringify(json)} instead of the body it was sent`);
  }
}

/** Servers a bench has started; Ctrl+C, a crash or the end of the run must not leave any behind holding ports. */
export interface RunGuard {
  running: Set<ServerProcess>;
  /** the run is over: kill what is left and stop listening for signals */
  release: () => void;
}

/** `cleanup` also runs on Ctrl+C (temporary folders, shared stores), for at most a few seconds. */
export function guardRun(cleanup: () => void | Promise<void>): RunGuard {
  const running = new Set<ServerProcess>();
  const killAll = () => {
    for (const server of running) server.child.kill('SIGKILL');
  };
  const interrupt = () => {
    killAll();
    void Promise.race([
      Promise.resolve()
        .then(cleanup)
        .catch(() => undefined),
      delay(INTERRUPT_CLEANUP_MS),
    ]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  process.once('exit', killAll);
  return {
    running,
    release: () => {
      killAll();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      process.off('exit', killAll);
    },
  };
}

export async function withServer<T>(
  running: Set<ServerProcess>,
  start: () => Promise<ServerProcess>,
  use: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await start();
  running.add(server);
  try {
    await waitUntilReady(server);
    return await use(server);
  } finally {
    await stopServer(server);
    running.delete(server);
  }
}
