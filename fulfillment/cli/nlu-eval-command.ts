// Body of `loket nlu eval`: train on one labelled CSV, score on another, print a report (and JSON).
import { trainClassifier } from '../nlu/classifier.ts';
import { type EvalReport, evaluate, readLabelledCsv } from '../nlu/evaluate.ts';

export interface NluEvalOptions {
  /** CSV with header `text,<label column>` to train on. */
  train: string;
  /** CSV with the same layout to evaluate on; never used for training or tuning. */
  test: string;
  /** Also print the report as one JSON object on the last line of stdout. */
  json: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

const BAR_WIDTH = 30;
const PLAIN_PROGRESS_STEPS = 4;
const TOP_CONFUSIONS = 10;

interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
}

/**
 * On a terminal the bar redraws itself in place with \r; in logs and pipes that would leave a mess of
 * carriage returns, so there it prints a plain line at each quarter instead.
 */
export function createProgressBar(stream: NodeJS.WritableStream, title: string): ProgressBar {
  const started = performance.now();
  const interactive = isTerminal(stream);
  let plainStepsShown = 0;
  let lastDrawn = '';
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  return {
    update(done, total) {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      const percent = Math.floor(fraction * 100);
      if (interactive) {
        const filled = Math.round(fraction * BAR_WIDTH);
        const line = `${title} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}% ${elapsed()}`;
        if (line !== lastDrawn) {
          stream.write(`\r${line}`);
          lastDrawn = line;
        }
        return;
      }
      const step = Math.floor(fraction * PLAIN_PROGRESS_STEPS);
      if (step > plainStepsShown) {
        plainStepsShown = step;
        stream.write(`${title}: ${percent}% (${elapsed()})\n`);
      }
    },
    finish() {
      if (interactive && lastDrawn !== '') {
        stream.write('\n');
      }
    },
  };
}

function percentage(value: number): string {
  return `${(value * 100).toFixed(2)} %`;
}

/** Human-readable report: headline numbers, a per-intent table and the most frequent confusions. */
export function formatReport(report: EvalReport): string {
  const labelWidth = Math.max('intent'.length, ...report.perLabel.map((metrics) => metrics.label.length));
  const row = (label: string, precision: string, recall: string, f1: string, support: string): string =>
    `  ${label.padEnd(labelWidth)}  ${precision.padStart(9)}  ${recall.padStart(6)}  ${f1.padStart(6)}  ${support.padStart(7)}`;
  const lines = [
    'Intent classifier evaluation',
    `  examples   ${report.examples.train} train, ${report.examples.test} test`,
    `  accuracy   ${percentage(report.accuracy)}`,
    `  macro-F1   ${percentage(report.macroF1)}`,
    `  training   ${report.trainSeconds.toFixed(2)} s`,
    '',
    'Per intent',
    row('intent', 'precision', 'recall', 'f1', 'support'),
    ...report.perLabel.map((metrics) =>
      row(
        metrics.label,
        metrics.precision.toFixed(3),
        metrics.recall.toFixed(3),
        metrics.f1.toFixed(3),
        String(metrics.support),
      ),
    ),
    '',
  ];
  const topConfusions = report.confusions.slice(0, TOP_CONFUSIONS);
  if (topConfusions.length === 0) {
    lines.push('No confusions.');
  } else {
    lines.push(`Top ${topConfusions.length} confusions (expected -> predicted)`);
    const countWidth = String(topConfusions[0]?.count ?? 0).length;
    for (const confusion of topConfusions) {
      lines.push(
        `  ${String(confusion.count).padStart(countWidth)}  ${confusion.expected} -> ${confusion.predicted}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Trains on `train`, evaluates on `test`, prints the report to `out` and progress to `err`. */
export async function nluEvalFiles(options: NluEvalOptions): Promise<EvalReport> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const train = readLabelledCsv(options.train);
  const test = readLabelledCsv(options.test);
  err.write(`Training on ${train.length} examples from ${options.train}\n`);
  const progress = createProgressBar(err, 'Training');
  const started = performance.now();
  const classifier = trainClassifier(train, { onProgress: progress.update });
  const trainSeconds = (performance.now() - started) / 1000;
  progress.finish();
  err.write(`Evaluating on ${test.length} examples from ${options.test}\n`);
  const report: EvalReport = {
    ...evaluate(classifier, test),
    trainSeconds,
    examples: { train: train.length, test: test.length },
  };
  out.write(formatReport(report));
  if (options.json) {
    out.write(`${JSON.stringify(report)}\n`);
  }
  return report;
}
