// Measures an intent classifier: labelled CSV reading, accuracy/F1/confusions, stratified cross-validation.
import { readFileSync } from 'node:fs';
import { createRandom, shuffleInPlace } from './classifier/random.ts';
import {
  type Classifier,
  compareCodeUnits,
  type TrainingExample,
  type TrainOptions,
  trainClassifier,
} from './classifier.ts';

export interface LabelMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many test examples carry this label. */
  support: number;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
}

export interface EvalReport {
  accuracy: number;
  /** Unweighted mean F1 over every label that occurs as expected or predicted. */
  macroF1: number;
  /** Sorted by label. */
  perLabel: LabelMetrics[];
  /** Every wrong (expected, predicted) pair, most frequent first. */
  confusions: Confusion[];
  trainSeconds: number;
  examples: { train: number; test: number };
}

export type Metrics = Omit<EvalReport, 'trainSeconds' | 'examples'>;

interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts, for error messages. */
  line: number;
}

/**
 * Splits CSV text into records following RFC 4180: quoted fields may hold commas, line breaks and
 * doubled quotes; records end with CRLF, LF or a lone CR.
 */
export function parseCsv(content: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let position = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = (): void => {
    fields.push(field);
    records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  while (position < content.length) {
    const character = content[position] as string;
    if (character === '"' && field === '') {
      const quoteLine = line;
      position++;
      for (;;) {
        if (position >= content.length) {
          throw new Error(`${source}:${quoteLine}: quoted field is never closed`);
        }
        const quoted = content[position] as string;
        if (quoted === '"') {
          if (content[position + 1] === '"') {
            field += '"';
            position += 2;
            continue;
          }
          position++;
          break;
        }
        if (quoted === '\n' || (quoted === '\r' && content[position + 1] !== '\n')) {
          line++;
        }
        field += quoted;
        position++;
      }
      const next = content[position];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new Error(
          `${source}:${line}: unexpected character ${JSON.stringify(next)} after a closing quote`,
        );
      }
      continue;
    }
    if (character === ',') {
      fields.push(field);
      field = '';
      position++;
    } else if (character === '\r' || character === '\n') {
      endRecord();
      position += character === '\r' && content[position + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else if (character === '"') {
      throw new Error(
        `${source}:${line}: a quote inside an unquoted field; quote the whole field and double it`,
      );
    } else {
      field += character;
      position++;
    }
  }
  if (field !== '' || fields.length > 0) {
    endRecord();
  }
  return records;
}

function isBlank(record: CsvRecord): boolean {
  return record.fields.length === 1 && (record.fields[0] as string).trim() === '';
}

/** Parses labelled CSV text whose header is `text,<label column>`; `source` names the file in errors. */
export function parseLabelledCsv(content: string, source: string): TrainingExample[] {
  const records = parseCsv(content, source).filter((record) => !isBlank(record));
  const header = records[0];
  if (header === undefined) {
    throw new Error(`${source}: the file is empty; expected a header "text,<label column>" and rows`);
  }
  if (header.fields.length !== 2 || (header.fields[0] as string).trim().toLowerCase() !== 'text') {
    throw new Error(
      `${source}:${header.line}: expected the header "text,<label column>", found ${JSON.stringify(header.fields.join(','))}`,
    );
  }
  const rows = records.slice(1);
  if (rows.length === 0) {
    throw new Error(`${source}: no examples after the header`);
  }
  return rows.map((record) => {
    if (record.fields.length !== 2) {
      throw new Error(
        `${source}:${record.line}: expected 2 fields (text,label), found ${record.fields.length}; quote texts that contain commas`,
      );
    }
    const text = (record.fields[0] as string).trim();
    const label = (record.fields[1] as string).trim();
    if (text === '') {
      throw new Error(`${source}:${record.line}: the text is empty`);
    }
    if (label === '') {
      throw new Error(`${source}:${record.line}: the label is empty`);
    }
    return { text, label };
  });
}

/** Reads a labelled CSV file (header `text,<label column>`); errors name file and line. */
export function readLabelledCsv(path: string): TrainingExample[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read the file (${(error as Error).message})`);
  }
  return parseLabelledCsv(content, path);
}

interface Outcome {
  expected: string;
  predicted: string;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Accuracy, per-label precision/recall/F1 and confusions from (expected, predicted) pairs. */
export function computeMetrics(outcomes: readonly Outcome[]): Metrics {
  if (outcomes.length === 0) {
    throw new Error('Cannot compute metrics without test examples');
  }
  const truePositives = new Map<string, number>();
  const predictedCounts = new Map<string, number>();
  const expectedCounts = new Map<string, number>();
  const confusionCounts = new Map<string, Confusion>();
  const increment = (counts: Map<string, number>, label: string): void => {
    counts.set(label, (counts.get(label) ?? 0) + 1);
  };
  for (const { expected, predicted } of outcomes) {
    increment(expectedCounts, expected);
    increment(predictedCounts, predicted);
    if (expected === predicted) {
      increment(truePositives, expected);
      continue;
    }
    const key = JSON.stringify([expected, predicted]);
    const confusion = confusionCounts.get(key) ?? { expected, predicted, count: 0 };
    confusion.count++;
    confusionCounts.set(key, confusion);
  }
  // Labels that are only ever predicted count too (with F1 0), as in scikit-learn's macro average.
  const labels = [...new Set([...expectedCounts.keys(), ...predictedCounts.keys()])].sort(compareCodeUnits);
  const perLabel = labels.map((label): LabelMetrics => {
    const correct = truePositives.get(label) ?? 0;
    const support = expectedCounts.get(label) ?? 0;
    const precision = ratio(correct, predictedCounts.get(label) ?? 0);
    const recall = ratio(correct, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const correctCount = [...truePositives.values()].reduce((sum, count) => sum + count, 0);
  return {
    accuracy: correctCount / outcomes.length,
    macroF1: perLabel.reduce((sum, metrics) => sum + metrics.f1, 0) / perLabel.length,
    perLabel,
    confusions: [...confusionCounts.values()].sort(
      (left, right) =>
        right.count - left.count ||
        compareCodeUnits(left.expected, right.expected) ||
        compareCodeUnits(left.predicted, right.predicted),
    ),
  };
}

/** Scores a trained classifier on labelled test examples. */
export function evaluate(classifier: Classifier, test: readonly TrainingExample[]): Metrics {
  return computeMetrics(
    test.map((example) => ({ expected: example.label, predicted: classifier.predict(example.text).label })),
  );
}

/**
 * Assigns every example to one of `folds` folds so that each label is spread evenly over the folds.
 * Dealing continues across labels, which also keeps the folds the same size.
 */
export function stratifiedFolds(examples: readonly TrainingExample[], folds: number, seed: number): number[] {
  const random = createRandom(seed);
  const indicesByLabel = new Map<string, number[]>();
  examples.forEach((example, index) => {
    const indices = indicesByLabel.get(example.label) ?? [];
    indices.push(index);
    indicesByLabel.set(example.label, indices);
  });
  const foldOf = new Array<number>(examples.length).fill(0);
  let dealt = 0;
  for (const label of [...indicesByLabel.keys()].sort(compareCodeUnits)) {
    for (const index of shuffleInPlace(indicesByLabel.get(label) as number[], random)) {
      foldOf[index] = dealt % folds;
      dealt++;
    }
  }
  return foldOf;
}

const CROSS_VALIDATION_SEED = 1;
const PROGRESS_UNITS_PER_FOLD = 1000;

/**
 * Stratified k-fold cross-validation; metrics are computed over the pooled held-out predictions.
 * `trainSeconds` is the total over all folds, `examples.train` the mean training-fold size and
 * `examples.test` the number of held-out predictions (every example once).
 */
export function crossValidate(
  examples: readonly TrainingExample[],
  folds: number,
  options: TrainOptions = {},
): EvalReport {
  if (!Number.isInteger(folds) || folds < 2 || folds > examples.length) {
    throw new Error(
      `Cross-validation needs an integer number of folds from 2 to ${examples.length}, got ${folds}`,
    );
  }
  const foldOf = stratifiedFolds(examples, folds, options.seed ?? CROSS_VALIDATION_SEED);
  const outcomes: Outcome[] = [];
  let trainSeconds = 0;
  let trainExampleTotal = 0;
  for (let fold = 0; fold < folds; fold++) {
    const train = examples.filter((_, index) => foldOf[index] !== fold);
    const heldOut = examples.filter((_, index) => foldOf[index] === fold);
    const onProgress = options.onProgress;
    const started = performance.now();
    const classifier = trainClassifier(train, {
      ...options,
      // One continuous progress scale over all folds, rather than restarting at zero for each.
      onProgress: onProgress
        ? (done, total) =>
            onProgress(
              fold * PROGRESS_UNITS_PER_FOLD + Math.round((PROGRESS_UNITS_PER_FOLD * done) / total),
              folds * PROGRESS_UNITS_PER_FOLD,
            )
        : undefined,
    });
    trainSeconds += (performance.now() - started) / 1000;
    trainExampleTotal += train.length;
    for (const example of heldOut) {
      outcomes.push({ expected: example.label, predicted: classifier.predict(example.text).label });
    }
  }
  return {
    ...computeMetrics(outcomes),
    trainSeconds,
    examples: { train: Math.round(trainExampleTotal / folds), test: outcomes.length },
  };
}
