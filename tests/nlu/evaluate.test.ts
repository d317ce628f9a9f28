// Tests for classifier evaluation: CSV reading and its errors, metrics, cross-validation and the eval command.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport, nluEvalFiles } from '../../fulfillment/cli/nlu-eval-command.ts';
import type { Classifier, TrainingExample } from '../../fulfillment/nlu/classifier.ts';
import {
  computeMetrics,
  crossValidate,
  type EvalReport,
  evaluate,
  readLabelledCsv,
  stratifiedFolds,
} from '../../fulfillment/nlu/evaluate.ts';

const directory = mkdtempSync(join(tmpdir(), 'loket-nlu-eval-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCounter = 0;
function writeCsv(content: string): string {
  fileCounter++;
  const path = join(directory, `examples-${fileCounter}.csv`);
  writeFileSync(path, content);
  return path;
}

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return () => chunks.join('');
}

describe('readLabelledCsv', () => {
  it('reads quoted fields with commas, doubled quotes, line breaks and CRLF endings', () => {
    const path = writeCsv(
      [
        'text,intent',
        'plain text,greeting',
        '"with, a comma",greeting',
        '"she said ""hallo""",greeting',
        '"two\r\nlines",farewell',
      ]
        .join('\r\n')
        .concat('\r\n'),
    );
    expect(readLabelledCsv(path)).toEqual([
      { text: 'plain text', label: 'greeting' },
      { text: 'with, a comma', label: 'greeting' },
      { text: 'she said "hallo"', label: 'greeting' },
      { text: 'two\r\nlines', label: 'farewell' },
    ]);
  });

  it('accepts any label column name, a byte order mark, LF endings, blank lines and a missing final newline', () => {
    const path = writeCsv('\uFEFFtext,category\nhallo,greeting\n\n"doei",farewell');
    expect(readLabelledCsv(path)).toEqual([
      { text: 'hallo', label: 'greeting' },
      { text: 'doei', label: 'farewell' },
    ]);
  });

  it('names the file when it is empty or missing', () => {
    const empty = writeCsv('');
    expect(() => readLabelledCsv(empty)).toThrow(`${empty}: the file is empty`);
    const missing = join(directory, 'does-not-exist.csv');
    expect(() => readLabelledCsv(missing)).toThrow(`${missing}: cannot read the file`);
  });

  it('names file and line of a wrong header', () => {
    const path = writeCsv('sentence,label\nhallo,greeting\n');
    expect(() => readLabelledCsv(path)).toThrow(`${path}:1: expected the header "text,<label column>"`);
    const tooWide = writeCsv('text,label,extra\n');
    expect(() => readLabelledCsv(tooWide)).toThrow(`${tooWide}:1: expected the header`);
    const headerOnly = writeCsv('text,label\n');
    expect(() => readLabelledCsv(headerOnly)).toThrow(`${headerOnly}: no examples after the header`);
  });

  it('names file and line of a row with the wrong number of fields, counting lines inside quotes', () => {
    const path = writeCsv('text,label\n"multi\nline",ok\nhallo, wereld,greeting\n');
    expect(() => readLabelledCsv(path)).toThrow(`${path}:4: expected 2 fields (text,label), found 3`);
    const oneField = writeCsv('text,label\r\nhallo,greeting\r\nonly text\r\n');
    expect(() => readLabelledCsv(oneField)).toThrow(`${oneField}:3: expected 2 fields (text,label), found 1`);
  });

  it('names file and line of empty labels, empty texts and broken quoting', () => {
    const noLabel = writeCsv('text,label\nhallo,greeting\ndoei,\n');
    expect(() => readLabelledCsv(noLabel)).toThrow(`${noLabel}:3: the label is empty`);
    const noText = writeCsv('text,label\n  ,greeting\n');
    expect(() => readLabelledCsv(noText)).toThrow(`${noText}:2: the text is empty`);
    const unclosed = writeCsv('text,label\nhallo,greeting\n"never closed,greeting\n');
    expect(() => readLabelledCsv(unclosed)).toThrow(`${unclosed}:3: quoted field is never closed`);
    const afterQuote = writeCsv('text,label\n"quoted"text,greeting\n');
    expect(() => readLabelledCsv(afterQuote)).toThrow(
      `${afterQuote}:2: unexpected character "t" after a closing quote`,
    );
    const strayQuote = writeCsv('text,label\nsay "hi",greeting\n');
    expect(() => readLabelledCsv(strayQuote)).toThrow(`${strayQuote}:2: a quote inside an unquoted field`);
  });
});

describe('computeMetrics', () => {
  it('computes accuracy, per-label precision, recall, F1 and sorted confusions', () => {
    const metrics = computeMetrics([
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'b' },
      { expected: 'b', predicted: 'b' },
      { expected: 'b', predicted: 'c' },
      { expected: 'b', predicted: 'c' },
    ]);
    expect(metrics.accuracy).toBeCloseTo(3 / 6);
    expect(metrics.perLabel.map((metric) => metric.label)).toEqual(['a', 'b', 'c']);
    const [a, b, c] = metrics.perLabel;
    expect(a).toMatchObject({ precision: 1, support: 3 });
    expect(a?.recall).toBeCloseTo(2 / 3);
    expect(a?.f1).toBeCloseTo(0.8);
    expect(b).toMatchObject({ precision: 0.5, support: 3 });
    expect(b?.recall).toBeCloseTo(1 / 3);
    expect(b?.f1).toBeCloseTo(0.4);
    // Predicted but never expected: counts in the macro average with F1 0.
    expect(c).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(metrics.macroF1).toBeCloseTo((0.8 + 0.4 + 0) / 3);
    expect(metrics.confusions).toEqual([
      { expected: 'b', predicted: 'c', count: 2 },
      { expected: 'a', predicted: 'b', count: 1 },
    ]);
  });

  it('refuses an empty test set', () => {
    expect(() => computeMetrics([])).toThrow(/without test examples/);
  });
});

describe('evaluate', () => {
  it('scores whatever the classifier predicts', () => {
    const firstWord: Classifier = {
      labels: ['hallo', 'doei'],
      predict: (text) => {
        const label = text.split(' ')[0] ?? '';
        return { label, confidence: 1, ranking: [{ label, confidence: 1 }] };
      },
    };
    const metrics = evaluate(firstWord, [
      { text: 'hallo daar', label: 'hallo' },
      { text: 'doei daar', label: 'doei' },
      { text: 'hallo toch', label: 'doei' },
      { text: 'doei dan', label: 'doei' },
    ]);
    expect(metrics.accuracy).toBe(0.75);
    expect(metrics.confusions).toEqual([{ expected: 'doei', predicted: 'hallo', count: 1 }]);
  });
});

// Two easy intents with distinctive words, enough for cross-validation to get everything right.
const SMALL_SET: TrainingExample[] = [
  ...[
    'hoe laat open',
    'openingstijden vandaag',
    'when do you open',
    'opening hours today',
    'open op zondag',
  ].flatMap((text) => [
    { text, label: 'opening_hours' },
    { text: `${text} alstublieft`, label: 'opening_hours' },
  ]),
  ...[
    'waar is mijn pakket',
    'pakket niet bezorgd',
    'where is my parcel',
    'parcel not delivered',
    'pakket kwijt',
  ].flatMap((text) => [
    { text, label: 'order_status' },
    { text: `${text} please`, label: 'order_status' },
  ]),
];

describe('crossValidate', () => {
  it('deals every label evenly over the folds, deterministically', () => {
    const folds = stratifiedFolds(SMALL_SET, 5, 3);
    expect(stratifiedFolds(SMALL_SET, 5, 3)).toEqual(folds);
    for (const label of ['opening_hours', 'order_status']) {
      const perFold = [0, 0, 0, 0, 0];
      SMALL_SET.forEach((example, index) => {
        if (example.label === label) {
          perFold[folds[index] as number] = (perFold[folds[index] as number] as number) + 1;
        }
      });
      expect(perFold).toEqual([2, 2, 2, 2, 2]);
    }
  });

  it('predicts every example once and reports training time and sizes', () => {
    const report = crossValidate(SMALL_SET, 5, { seed: 2 });
    expect(report.examples).toEqual({ train: 16, test: 20 });
    expect(report.perLabel.reduce((sum, metric) => sum + metric.support, 0)).toBe(20);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.trainSeconds).toBeGreaterThan(0);
    const again = crossValidate(SMALL_SET, 5, { seed: 2 });
    expect({ ...again, trainSeconds: 0 }).toEqual({ ...report, trainSeconds: 0 });
  });

  it('reports progress on one scale over all folds and rejects bad fold counts', () => {
    const reports: number[] = [];
    crossValidate(SMALL_SET, 2, { onProgress: (done, total) => reports.push(done / total) });
    expect(reports.at(-1)).toBe(1);
    expect(reports.every((fraction, index) => index === 0 || fraction >= (reports[index - 1] ?? 0))).toBe(
      true,
    );
    expect(() => crossValidate(SMALL_SET, 1)).toThrow(/from 2 to 20, got 1/);
    expect(() => crossValidate(SMALL_SET, 21)).toThrow(/from 2 to 20, got 21/);
  });
});

const SAMPLE_REPORT: EvalReport = {
  accuracy: 0.9123,
  macroF1: 0.9001,
  perLabel: [
    { label: 'card_arrival', precision: 0.95, recall: 0.9, f1: 0.924, support: 40 },
    { label: 'pin_blocked', precision: 0.8, recall: 1, f1: 0.889, support: 20 },
  ],
  confusions: Array.from({ length: 12 }, (_, index) => ({
    expected: `expected_${index}`,
    predicted: `predicted_${index}`,
    count: 12 - index,
  })),
  trainSeconds: 4.567,
  examples: { train: 100, test: 60 },
};

describe('formatReport', () => {
  it('shows the headline numbers, a per-intent table and the top 10 confusions', () => {
    const text = formatReport(SAMPLE_REPORT);
    expect(text).toContain('accuracy   91.23 %');
    expect(text).toContain('macro-F1   90.01 %');
    expect(text).toContain('training   4.57 s');
    expect(text).toContain('100 train, 60 test');
    expect(text).toMatch(/card_arrival\s+0\.950\s+0\.900\s+0\.924\s+40/);
    expect(text).toMatch(/pin_blocked\s+0\.800\s+1\.000\s+0\.889\s+20/);
    expect(text).toContain('Top 10 confusions');
    expect(text).toContain('expected_9 -> predicted_9');
    expect(text).not.toContain('expected_10 ->');
  });
});

describe('nluEvalFiles', () => {
  const train = writeCsv(
    ['text,intent', ...SMALL_SET.map((example) => `"${example.text}",${example.label}`)].join('\n'),
  );
  const test = writeCsv(
    'text,intent\nhoe laat gaan jullie open,opening_hours\nwaar blijft mijn pakket,order_status\n',
  );

  it('prints the report and, last, one JSON line; progress goes to stderr as plain lines', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const readOut = collect(out);
    const readErr = collect(err);
    const report = await nluEvalFiles({ train, test, json: true, out, err });
    const stdout = readOut();
    const lines = stdout.trimEnd().split('\n');
    const json = JSON.parse(lines.at(-1) ?? '') as EvalReport;
    expect(json.accuracy).toBe(1);
    expect(json).toEqual(report);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['accuracy', 'macroF1', 'trainSeconds', 'perLabel', 'confusions']),
    );
    expect(stdout).toContain('Intent classifier evaluation');
    expect(report.examples).toEqual({ train: 20, test: 2 });
    const stderr = readErr();
    // Not a terminal: no carriage returns, a few plain lines ending at 100 %.
    expect(stderr).not.toContain('\r');
    expect(stderr).toMatch(/Training: 100% \(\d+\.\d s\)\n/);
    expect(stderr.split('\n').filter((line) => line.startsWith('Training:')).length).toBeLessThanOrEqual(4);
  });

  it('redraws a progress bar in place on a terminal and prints no JSON unless asked', async () => {
    const out = new PassThrough();
    const err = Object.assign(new PassThrough(), { isTTY: true });
    const readOut = collect(out);
    const readErr = collect(err);
    await nluEvalFiles({ train, test, json: false, out, err });
    const stderr = readErr();
    expect(stderr).toContain('\rTraining [');
    expect(stderr).toContain('] 100%');
    expect(readOut()).not.toContain('{');
  });

  it('fails with the file and line of a bad row', async () => {
    const broken = writeCsv('text,intent\nhallo,greeting\nkapot\n');
    await expect(
      nluEvalFiles({ train: broken, test, json: false, out: new PassThrough(), err: new PassThrough() }),
    ).rejects.toThrow(`${broken}:3: expected 2 fields`);
  });
});
