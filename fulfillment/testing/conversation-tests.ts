// YAML conversation tests: a designer writes what the customer says and what should happen, turn by turn.
// `loket test` and `npm test` run them through the same shell every channel uses.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { converseResponse, turnFromConverse } from '../channels/converse/router.ts';
import { type ConversationDeps, takeTurn } from '../conversation/take-turn.ts';
import {
  formatProblem,
  type Problem,
  parseWithSchema,
  parseYamlSource,
  problemAt,
} from '../model/problems.ts';

const expectationSchema = z.strictObject({
  intent: z.string().optional(),
  slots: z.record(z.string(), z.string()).optional(),
  /** a case-insensitive regular expression the reply text must match */
  reply: z.string().optional(),
  /** a regular expression the reply text must not match */
  notReply: z.string().optional(),
  /** `slot:orderNumber`, `confirmation:action`, `verification:postcode`, or `none` */
  expecting: z.string().optional(),
  /** false, true, or the handoff reason */
  handoff: z.union([z.boolean(), z.string()]).optional(),
  ended: z.boolean().optional(),
  ssml: z.string().optional(),
});

const turnSchema = z
  .strictObject({
    user: z.string().optional(),
    event: z.enum(['launch', 'no-input', 'end']).optional(),
    dtmf: z.string().optional(),
    expect: expectationSchema.default({}),
  })
  .refine((turn) => [turn.user, turn.event, turn.dtmf].filter((value) => value !== undefined).length === 1, {
    message: 'each turn needs exactly one of user, event or dtmf',
  });

export const conversationTestSchema = z.strictObject({
  name: z.string().min(1),
  locale: z.string(),
  caller: z.string().optional(),
  turns: z.array(turnSchema).min(1),
});

export type ConversationTest = z.infer<typeof conversationTestSchema> & { file: string; index: number };

export interface TestOutcome {
  test: ConversationTest;
  failures: string[];
}

function collectFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!existsSync(path)) return [path];
    if (statSync(path).isDirectory()) {
      return collectFiles(
        readdirSync(path)
          .sort()
          // pending/ holds tests for known bugs: run them only when named explicitly.
          .filter((name) => name !== 'pending')
          .map((name) => join(path, name))
          .filter((child) => statSync(child).isDirectory() || /\.ya?ml$/.test(child)),
      );
    }
    return [path];
  });
}

/** A file holds one test, or a list of tests under `tests:`. */
export function loadConversationTests(paths: readonly string[]): {
  tests: ConversationTest[];
  problems: Problem[];
} {
  const tests: ConversationTest[] = [];
  const problems: Problem[] = [];
  const fileSchema = z.union([
    z.strictObject({ tests: z.array(conversationTestSchema).min(1) }),
    conversationTestSchema,
  ]);
  for (const file of collectFiles(paths)) {
    const display = relative(process.cwd(), file) || file;
    if (!existsSync(file)) {
      problems.push({
        file: display,
        line: 1,
        column: 1,
        severity: 'error',
        message: 'no such file or folder',
      });
      continue;
    }
    const { source, problems: syntax } = parseYamlSource(display, readFileSync(file, 'utf8'));
    problems.push(...syntax);
    if (syntax.some((problem) => problem.severity === 'error')) continue;
    const { value, problems: schema } = parseWithSchema(source, fileSchema);
    problems.push(...schema);
    if (!value) continue;
    const list = 'tests' in value ? value.tests : [value];
    list.forEach((test, index) => {
      tests.push({ ...test, file: display, index });
      for (const [turnIndex, turn] of test.turns.entries()) {
        for (const pattern of [turn.expect.reply, turn.expect.notReply, turn.expect.ssml]) {
          if (pattern === undefined) continue;
          try {
            new RegExp(pattern, 'i');
          } catch (error) {
            const path =
              'tests' in value
                ? ['tests', index, 'turns', turnIndex, 'expect']
                : ['turns', turnIndex, 'expect'];
            problems.push(problemAt(source, path, `not a regular expression: ${(error as Error).message}`));
          }
        }
      }
    });
  }
  return { tests, problems };
}

function expectingLabel(expecting: ReturnType<typeof converseResponse>['expecting']): string {
  if (!expecting) return 'none';
  switch (expecting.type) {
    case 'slot':
      return `slot:${expecting.slot}`;
    case 'confirmation':
      return `confirmation:${expecting.about}`;
    case 'verification':
      return `verification:${expecting.step}`;
    case 'intent':
      return 'none';
  }
}

export async function runConversationTest(
  deps: ConversationDeps,
  test: ConversationTest,
): Promise<TestOutcome> {
  const sessionId = `test-${randomUUID()}`;
  const failures: string[] = [];
  for (const [index, turn] of test.turns.entries()) {
    const said =
      turn.user !== undefined
        ? `"${turn.user}"`
        : turn.dtmf !== undefined
          ? `dtmf ${turn.dtmf}`
          : `(${turn.event})`;
    const request = {
      sessionId,
      locale: test.locale,
      ...(test.caller ? { callerId: test.caller } : {}),
      ...(turn.user !== undefined ? { text: turn.user } : {}),
      ...(turn.event !== undefined ? { event: turn.event } : {}),
      ...(turn.dtmf !== undefined ? { dtmf: turn.dtmf } : {}),
    };
    let result: ReturnType<typeof converseResponse>;
    try {
      result = converseResponse(await takeTurn(deps, turnFromConverse(request)), sessionId);
    } catch (error) {
      failures.push(`turn ${index + 1} ${said}: the turn failed: ${(error as Error).message}`);
      break;
    }
    const fail = (message: string) =>
      failures.push(`turn ${index + 1} ${said}: ${message} (bot said: "${result.reply.text}")`);
    const { expect } = turn;
    if (expect.intent !== undefined && result.understood.intent !== expect.intent) {
      fail(`intent ${result.understood.intent} (${result.understood.confidence}), expected ${expect.intent}`);
    }
    for (const [slot, value] of Object.entries(expect.slots ?? {})) {
      if (result.understood.slots[slot] !== value) {
        fail(
          `slot ${slot} = ${JSON.stringify(result.understood.slots[slot] ?? null)}, expected ${JSON.stringify(value)}`,
        );
      }
    }
    if (expect.reply !== undefined && !new RegExp(expect.reply, 'i').test(result.reply.text)) {
      fail(`reply does not match /${expect.reply}/i`);
    }
    if (expect.notReply !== undefined && new RegExp(expect.notReply, 'i').test(result.reply.text)) {
      fail(`reply matches /${expect.notReply}/i but should not`);
    }
    if (expect.ssml !== undefined && !new RegExp(expect.ssml, 'i').test(result.reply.ssml)) {
      fail(`ssml ${result.reply.ssml} does not match /${expect.ssml}/i`);
    }
    if (expect.expecting !== undefined && expectingLabel(result.expecting) !== expect.expecting) {
      fail(`expecting ${expectingLabel(result.expecting)}, expected ${expect.expecting}`);
    }
    if (expect.handoff !== undefined) {
      const actual = result.handoff?.reason ?? false;
      const ok =
        expect.handoff === true
          ? actual !== false
          : expect.handoff === false
            ? actual === false
            : actual === expect.handoff;
      if (!ok)
        fail(
          `handoff ${actual || 'none'}, expected ${expect.handoff === true ? 'a handoff' : expect.handoff || 'none'}`,
        );
    }
    if (expect.ended !== undefined && result.ended !== expect.ended)
      fail(`ended ${result.ended}, expected ${expect.ended}`);
  }
  return { test, failures };
}

export function formatLoadProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join('\n');
}
