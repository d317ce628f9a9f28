// Starts the real app on an ephemeral port with a throwaway data folder, for tests that go through HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { readSettings } from '../../fulfillment/config/settings.ts';
import { createApp } from '../../fulfillment/server/app.ts';
import { type Runtime, startRuntime } from '../../fulfillment/server/runtime.ts';
import { attachUpgrades } from '../../fulfillment/server/upgrades.ts';

export interface TestServer {
  url: string;
  runtime: Runtime;
  close: () => Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-http-'));
  const settings = { ...readSettings({ LOG_LEVEL: 'error', ...env }), dataDir };
  const runtime = await startRuntime(settings, { logger: pino({ level: 'error' }) });
  const app = createApp(runtime);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  attachUpgrades(server, runtime);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function converse(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}/v1/converse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}
