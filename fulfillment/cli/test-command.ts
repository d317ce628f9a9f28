// `loket test [files]`: run YAML conversation tests against a throwaway data folder, one line per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { pino } from 'pino';
import { readSettings } from '../config/settings.ts';
import { startRuntime } from '../server/runtime.ts';
import {
  formatLoadProblems,
  loadConversationTests,
  runConversationTest,
} from '../testing/conversation-tests.ts';

export async function runConversationTestsCommand(paths: string[]): Promise<number> {
  const { tests, problems } = loadConversationTests(paths);
  if (problems.length > 0) {
    console.error(formatLoadProblems(problems));
    if (problems.some((problem) => problem.severity === 'error')) return 1;
  }
  if (tests.length === 0) {
    console.error(`no conversation tests found in ${paths.join(', ')}`);
    return 1;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-test-'));
  const settings = { ...readSettings({ ...process.env, REDIS_URL: '' }), dataDir };
  const runtime = await startRuntime(settings, { logger: pino({ level: 'error' }) });
  let passed = 0;
  try {
    for (const test of tests) {
      const outcome = await runConversationTest(runtime.deps, test);
      if (outcome.failures.length === 0) {
        passed += 1;
        console.log(`${pc.green('✓')} ${test.file} › ${test.name}`);
      } else {
        console.log(`${pc.red('✗')} ${test.file} › ${test.name}`);
        for (const failure of outcome.failures) console.log(`    ${failure}`);
      }
    }
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const failed = tests.length - passed;
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
