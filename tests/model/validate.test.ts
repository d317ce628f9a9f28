// `loket validate`: each kind of designer mistake is reported as file:line:column: message, through the real CLI.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel } from '../../fulfillment/model/load.ts';
import { formatProblem } from '../../fulfillment/model/problems.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';

const dirs: string[] = [];
function copyModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loket-model-'));
  cpSync('intents', join(dir, 'intents'), { recursive: true });
  cpSync('locales', join(dir, 'locales'), { recursive: true });
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function problemsIn(dir: string): string[] {
  // Paths relative to the model folder, as a designer running `loket validate` inside it would see them.
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return loadModel('.', polderlinkSkills).problems.map(formatProblem);
  } finally {
    process.chdir(cwd);
  }
}

function runCli(dir: string) {
  const result = spawnSync(process.execPath, [join(process.cwd(), 'bin/loket.mjs'), 'validate', dir], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('loket validate', () => {
  it('accepts the shipped Polderlink model and exits 0', () => {
    const result = runCli('.');
    expect(result.stderr).toMatch(/^ok: \d+ intents, en-US, nl-NL/m);
    expect(result.stdout).not.toMatch(/: (?!warning)/);
    expect(result.status).toBe(0);
  });

  it('reports a YAML syntax error with its line and column, and exits 1', () => {
    const dir = copyModel();
    writeFileSync(
      join(dir, 'intents/OpeningHours.yaml'),
      'name: OpeningHours\ndescription: "unclosed\nslots: [\n',
    );
    const result = runCli(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/intents\/OpeningHours\.yaml:\d+:\d+: YAML: /);
  });

  it('points at an unknown slot inside a phrase', () => {
    const dir = copyModel();
    const file = join(dir, 'locales/nl-NL/phrases/OrderStatus.yaml');
    appendFileSync(file, '  - waar is pakket [45123](pakketNummer)\n');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const problems = problemsIn(dir);
    expect(problems).toContain(
      `locales/nl-NL/phrases/OrderStatus.yaml:${lines.length}:20: unknown slot 'pakketNummer' in phrase; OrderStatus has: orderNumber`,
    );
  });

  it('reports an undefined entity type at the slot that uses it', () => {
    const dir = copyModel();
    const file = join(dir, 'intents/OrderStatus.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/entity: orderNumber/, 'entity: parcelCode'));
    const problems = problemsIn(dir);
    expect(
      problems.some((line) =>
        /^intents\/OrderStatus\.yaml:\d+:\d+: entity type 'parcelCode' is neither built in/.test(line),
      ),
    ).toBe(true);
  });

  it('reports a prompt missing in one locale', () => {
    const dir = copyModel();
    const file = join(dir, 'locales/en-US/prompts.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^goodbye:\n( {2}- .*\n)+/m, ''));
    const problems = problemsIn(dir);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^locales\/en-US\/prompts\.yaml:\d+:1: prompt 'goodbye' is missing in locale en-US/,
      ),
    );
  });

  it('reports an intent without phrases in a locale', () => {
    const dir = copyModel();
    unlinkSync(join(dir, 'locales/en-US/phrases/OpeningHours.yaml'));
    expect(problemsIn(dir)).toContainEqual(
      expect.stringMatching(
        /^intents\/OpeningHours\.yaml:1:\d+: intent OpeningHours has no training phrases in locale en-US/,
      ),
    );
  });

  it('reports a phrase used by two intents', () => {
    const dir = copyModel();
    appendFileSync(
      join(dir, 'locales/nl-NL/phrases/OpeningHours.yaml'),
      '  - Waar blijft mijn bestelling?\n',
    );
    appendFileSync(join(dir, 'locales/nl-NL/phrases/OrderStatus.yaml'), '  - waar blijft mijn bestelling\n');
    expect(problemsIn(dir)).toContainEqual(
      expect.stringMatching(/phrase "waar blijft mijn bestelling" is also a phrase of OpeningHours/),
    );
  });

  it('reports too few phrases, and warns about long prompt variants without failing', () => {
    const dir = copyModel();
    writeFileSync(
      join(dir, 'locales/en-US/phrases/Thanks.yaml'),
      'intent: Thanks\nphrases:\n  - thanks\n  - cheers\n',
    );
    expect(problemsIn(dir)).toContainEqual(
      expect.stringMatching(
        /^locales\/en-US\/phrases\/Thanks\.yaml:3:3: Thanks has 2 phrase\(s\) in en-US; at least 5/,
      ),
    );

    const clean = copyModel();
    const long = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    appendFileSync(join(clean, 'locales/en-US/prompts.yaml'), `\n`);
    const prompts = join(clean, 'locales/en-US/prompts.yaml');
    writeFileSync(prompts, readFileSync(prompts, 'utf8').replace(/^goodbye:\n/m, `goodbye:\n  - ${long}\n`));
    const nlPrompts = join(clean, 'locales/nl-NL/prompts.yaml');
    void nlPrompts;
    const result = runCli(clean);
    expect(result.stdout).toMatch(/locales\/en-US\/prompts\.yaml:\d+:\d+: warning: variant has 40 words/);
    expect(result.status).toBe(0);
  });

  it('checks the handoff words too, as warnings (the summary falls back to plain words)', () => {
    const dir = copyModel();
    const file = join(dir, 'locales/nl-NL/handoff.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^ {2}wants: Klant wil \{wants\}$/m, '  wantz: x'),
    );
    const result = runCli(dir);
    expect(result.stdout).toMatch(
      /locales\/nl-NL\/handoff\.yaml:\d+:\d+: warning: summary: Unrecognized key: "wantz"/,
    );
    expect(result.status).toBe(0);
  });

  it('reports a schema error at the offending key', () => {
    const dir = copyModel();
    const file = join(dir, 'intents/RestartModem.yaml');
    appendFileSync(file, 'requiresVerifiedCustomr: true\n');
    expect(problemsIn(dir)).toContainEqual(
      expect.stringMatching(/^intents\/RestartModem\.yaml:\d+:\d+: .*requiresVerifiedCustomr/),
    );
  });
});
