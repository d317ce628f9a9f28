// `loket chat` and `loket test` as real processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin/loket.mjs');
const dir = mkdtempSync(join(tmpdir(), 'loket-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loket chat', () => {
  it('holds a conversation from piped input, showing what it understood', () => {
    const result = spawnSync(process.execPath, [bin, 'chat', '--locale', 'en-US'], {
      input: 'where is my order\nfour five one two three\nbye\n',
      encoding: 'utf8',
      env: { ...process.env, LOKET_DATA_DIR: join(dir, 'chat-data'), NO_COLOR: '1' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/OrderStatus \d\.\d\d/);
    expect(result.stdout).toMatch(/orderNumber=45123/);
    expect(result.stdout).toMatch(/PostNL/);
    expect(result.stdout).toMatch(/Stop \d\.\d\d/);
  });

  it('refuses an unknown locale, naming the supported ones', () => {
    const result = spawnSync(process.execPath, [bin, 'chat', '--locale', 'fr-FR'], {
      input: '',
      encoding: 'utf8',
      env: { ...process.env, LOKET_DATA_DIR: join(dir, 'chat-data-2') },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown locale 'fr-FR'; supported: en-US, nl-NL");
  });
});

describe('loket test', () => {
  it('passes a good conversation test and fails a wrong one with the turn and what the bot said', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      [
        'name: opening hours',
        'locale: en-US',
        'turns:',
        '  - user: when are you open',
        '    expect: { intent: OpeningHours, handoff: false }',
        '',
      ].join('\n'),
    );
    const passed = spawnSync(process.execPath, [bin, 'test', good], { encoding: 'utf8' });
    expect(passed.status).toBe(0);
    expect(passed.stdout).toMatch(/^1 passed, 0 failed$/m);

    const wrong = join(dir, 'wrong.yaml');
    writeFileSync(
      wrong,
      [
        'name: wrong intent',
        'locale: en-US',
        'turns:',
        '  - user: when are you open',
        '    expect: { intent: Complaint }',
        '',
      ].join('\n'),
    );
    const failed = spawnSync(process.execPath, [bin, 'test', wrong], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(
      /turn 1 "when are you open": intent OpeningHours \([\d.]+\), expected Complaint \(bot said: "/,
    );
    expect(failed.stdout).toMatch(/^0 passed, 1 failed$/m);
  });

  it('reports a broken test file as file:line:column', () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'name: x\nlocale: en-US\nturns:\n  - usr: hello\n');
    const result = spawnSync(process.execPath, [bin, 'test', broken], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
  });
});
