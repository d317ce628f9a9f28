// Loket's own intent classifier: TF-IDF word and character n-grams feeding a softmax regression.
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions, fitVectorizer } from './classifier/features.ts';
import { trainSoftmaxRegression } from './classifier/softmax-regression.ts';

export { normalizeText, tokenize } from './classifier/normalize.ts';

export interface TrainingExample {
  text: string;
  label: string;
}

export interface TrainOptions extends Partial<FeatureOptions> {
  /** Seeds the shuffling of examples; the same seed and data give the same model. Default 1. */
  seed?: number;
  /** Called about a hundred times during training with the number of example updates done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Passes over the data; by default 10 for large sets and up to 30 for small ones (see defaultEpochs). */
  epochs?: number;
  /** AdaGrad step size. Default 0.15, chosen by a held-out split of the Banking77 training set. */
  learningRate?: number;
  /** L2 penalty on the weights. Default 1e-5. */
  l2?: number;
}

export interface RankedLabel {
  label: string;
  confidence: number;
}

export interface Prediction {
  label: string;
  /** Softmax probability of the top label; compare it to a threshold to route out-of-scope input to Fallback. */
  confidence: number;
  /** The best labels, most confident first (at most RANKING_SIZE). */
  ranking: RankedLabel[];
}

export interface Classifier {
  readonly labels: readonly string[];
  predict(text: string): Prediction;
}

export const RANKING_SIZE = 5;
const DEFAULT_SEED = 1;
const DEFAULT_LEARNING_RATE = 0.15;
const DEFAULT_L2 = 1e-5;
const MIN_EPOCHS = 10;
const MAX_EPOCHS = 30;
const TARGET_UPDATES = 60_000;

/**
 * Small per-locale sets (a few hundred phrases) need more passes to converge than Banking77-sized ones,
 * and cost next to nothing, so aim for a fixed number of example updates within sensible bounds.
 */
export function defaultEpochs(exampleCount: number): number {
  return Math.min(MAX_EPOCHS, Math.max(MIN_EPOCHS, Math.ceil(TARGET_UPDATES / Math.max(1, exampleCount))));
}

/** Plain code-unit order: unlike localeCompare it does not depend on the machine's locale. */
export function compareCodeUnits(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function validateExamples(examples: readonly TrainingExample[]): void {
  if (examples.length === 0) {
    throw new Error('Cannot train an intent classifier without examples');
  }
  examples.forEach((example, index) => {
    if (typeof example.label !== 'string' || example.label.trim() === '') {
      throw new Error(`Training example ${index + 1} ("${example.text}") has no label`);
    }
    if (typeof example.text !== 'string') {
      throw new Error(`Training example ${index + 1} (label ${example.label}) has no text`);
    }
  });
}

/** Trains a classifier on labelled phrases; deterministic for a given seed and example order. */
export function trainClassifier(
  examples: readonly TrainingExample[],
  options: TrainOptions = {},
): Classifier {
  validateExamples(examples);
  // Sorted labels make the model independent of which label happens to come first in the data.
  const labels = Object.freeze([...new Set(examples.map((example) => example.label))].sort(compareCodeUnits));
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const featureOptions: FeatureOptions = {
    wordNgramMax: options.wordNgramMax ?? DEFAULT_FEATURE_OPTIONS.wordNgramMax,
    charNgramMin: options.charNgramMin ?? DEFAULT_FEATURE_OPTIONS.charNgramMin,
    charNgramMax: options.charNgramMax ?? DEFAULT_FEATURE_OPTIONS.charNgramMax,
    wordWeight: options.wordWeight ?? DEFAULT_FEATURE_OPTIONS.wordWeight,
    charWeight: options.charWeight ?? DEFAULT_FEATURE_OPTIONS.charWeight,
    minDocumentFrequency: options.minDocumentFrequency ?? DEFAULT_FEATURE_OPTIONS.minDocumentFrequency,
  };
  const { vectorizer, vectors } = fitVectorizer(
    examples.map((example) => example.text),
    featureOptions,
  );
  const model = trainSoftmaxRegression(
    vectors,
    examples.map((example) => labelIndex.get(example.label) as number),
    labels.length,
    vectorizer.featureCount,
    {
      epochs: options.epochs ?? defaultEpochs(examples.length),
      learningRate: options.learningRate ?? DEFAULT_LEARNING_RATE,
      l2: options.l2 ?? DEFAULT_L2,
      seed: options.seed ?? DEFAULT_SEED,
      onProgress: options.onProgress,
    },
  );
  const predict = (text: string): Prediction => {
    const probabilities = model.probabilities(vectorizer.vectorize(text));
    const ranking = labels
      .map((label, index) => ({ label, confidence: probabilities[index] as number }))
      // Ties (e.g. text with no known features) fall back to label order, so output stays deterministic.
      .sort((left, right) => right.confidence - left.confidence || compareCodeUnits(left.label, right.label))
      .slice(0, RANKING_SIZE);
    const best = ranking[0] as RankedLabel;
    return { label: best.label, confidence: best.confidence, ranking };
  };
  return { labels, predict };
}
