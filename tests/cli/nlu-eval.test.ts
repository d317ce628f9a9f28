// `loket nlu eval` as a real process: a small CSV pair, --json on the last line, and a clear error for a bad file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'loket-nlu-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: Record<string, string[]> = {
  outage: [
    'is er een storing',
    'internet ligt eruit in mijn wijk',
    'storing in de buurt?',
    'is the network down',
    'outage in my area',
    'nothing works, is there an outage',
  ],
  order: [
    'waar blijft mijn pakket',
    'wanneer wordt mijn bestelling bezorgd',
    'track my order',
    'where is my delivery',
    'my package has not arrived',
    'status van mijn order',
  ],
  bill: [
    'waarom is mijn rekening zo hoog',
    'vraag over mijn factuur',
    'my bill is too high',
    'explain my invoice',
    'why was I charged more',
    'te veel betaald deze maand',
  ],
};

function loket(...args: string[]) {
  return spawnSync(process.execPath, [join(process.cwd(), 'bin/loket.mjs'), 'nlu', 'eval', ...args], {
    encoding: 'utf8',
  });
}

describe('loket nlu eval', () => {
  it('trains on one CSV, tests on another and prints JSON with the accuracy last', () => {
    const train = Object.entries(rows).flatMap(([label, texts]) =>
      texts.slice(0, 5).map((text) => `"${text}",${label}`),
    );
    const test = Object.entries(rows).map(([label, texts]) => `"${texts[5]}",${label}`);
    writeFileSync(join(dir, 'train.csv'), `text,intent\n${train.join('\n')}\n`);
    writeFileSync(join(dir, 'test.csv'), `text,intent\n${test.join('\n')}\n`);
    const result = loket('--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--json');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/accuracy/);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(last.accuracy).toBeGreaterThanOrEqual(2 / 3);
    expect(last.examples).toEqual({ train: 15, test: 3 });
    expect(result.stderr).toMatch(/Training/);
  });

  it('names the file and line of a broken CSV and exits non-zero', () => {
    writeFileSync(join(dir, 'bad.csv'), 'text,intent\n"unclosed quote,outage\n');
    const result = loket('--train', join(dir, 'bad.csv'), '--test', join(dir, 'bad.csv'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.csv:\d+/);
  });

  it('cross-validates the shipped model per locale without files', () => {
    const result = loket('--folds', '3', '--json');
    expect(result.status).toBe(0);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(Object.keys(last.locales).sort()).toEqual(['en-US', 'nl-NL']);
    expect(last.locales['nl-NL'].accuracy).toBeGreaterThan(0.6);
  });
});
