// Runs every YAML conversation test in tests/conversations inside the vitest suite, one vitest test each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../fulfillment/config/settings.ts';
import { type Runtime, startRuntime } from '../fulfillment/server/runtime.ts';
import {
  formatLoadProblems,
  loadConversationTests,
  runConversationTest,
} from '../fulfillment/testing/conversation-tests.ts';

const { tests, problems } = loadConversationTests(['tests/conversations']);
let runtime: Runtime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'loket-conv-'));
  runtime = await startRuntime(
    { ...readSettings({ LOG_LEVEL: 'error' }), dataDir },
    { logger: pino({ level: 'error' }) },
  );
});
afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('conversation tests', () => {
  it('all test files parse', () => {
    expect(formatLoadProblems(problems)).toBe('');
    expect(tests.length).toBeGreaterThan(0);
  });
  for (const test of tests) {
    it(`${test.file} › ${test.name}`, async () => {
      const outcome = await runConversationTest(runtime.deps, test);
      expect(outcome.failures).toEqual([]);
    });
  }
});
