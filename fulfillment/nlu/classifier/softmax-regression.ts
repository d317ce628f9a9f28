// Multinomial logistic regression on sparse vectors, trained with AdaGrad; gives calibrated probabilities.
import type { SparseVector } from './features.ts';
import { createRandom, shuffleInPlace } from './random.ts';

export interface SoftmaxTrainingOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty; applied lazily, only to the weights an example touches, which keeps each step sparse. */
  l2: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SoftmaxModel {
  readonly labelCount: number;
  /** Class probabilities for one vector, summing to 1. */
  probabilities(vector: SparseVector): Float64Array;
}

const ADAGRAD_EPSILON = 1e-8;
// Labels whose probability error is this small would barely move; skipping them makes late epochs
// roughly twice as fast without a measurable change in accuracy.
const NEGLIGIBLE_GRADIENT = 1e-3;
const PROGRESS_REPORTS = 100;

/** Turns scores into probabilities in place, subtracting the maximum first so exp() cannot overflow. */
function softmaxInPlace(scores: Float64Array): void {
  let maximum = Number.NEGATIVE_INFINITY;
  for (const score of scores) {
    maximum = Math.max(maximum, score);
  }
  let sum = 0;
  for (let label = 0; label < scores.length; label++) {
    const exponent = Math.exp((scores[label] as number) - maximum);
    scores[label] = exponent;
    sum += exponent;
  }
  for (let label = 0; label < scores.length; label++) {
    scores[label] = (scores[label] as number) / sum;
  }
}

/** Weights are stored feature-major so that one sparse feature touches one contiguous run of labels. */
function computeProbabilities(
  vector: SparseVector,
  weights: Float32Array,
  bias: Float64Array,
  into: Float64Array,
): Float64Array {
  const labelCount = bias.length;
  into.set(bias);
  for (let position = 0; position < vector.indices.length; position++) {
    const value = vector.values[position] as number;
    const base = (vector.indices[position] as number) * labelCount;
    for (let label = 0; label < labelCount; label++) {
      into[label] = (into[label] as number) + value * (weights[base + label] as number);
    }
  }
  softmaxInPlace(into);
  return into;
}

/** Minimises cross-entropy with per-weight AdaGrad steps over shuffled epochs; deterministic for a seed. */
export function trainSoftmaxRegression(
  vectors: readonly SparseVector[],
  targets: readonly number[],
  labelCount: number,
  featureCount: number,
  options: SoftmaxTrainingOptions,
): SoftmaxModel {
  // Single precision halves memory and cache traffic; the model is far less precise than that anyway.
  const weights = new Float32Array(featureCount * labelCount);
  const squaredGradients = new Float32Array(featureCount * labelCount);
  const bias = new Float64Array(labelCount);
  const biasSquaredGradients = new Float64Array(labelCount);
  const gradient = new Float64Array(labelCount);
  const random = createRandom(options.seed);
  const order = vectors.map((_, index) => index);
  const { learningRate, l2 } = options;
  const totalSteps = options.epochs * vectors.length;
  const reportEvery = Math.max(1, Math.floor(totalSteps / PROGRESS_REPORTS));
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const example of order) {
      const vector = vectors[example] as SparseVector;
      const target = targets[example] as number;
      computeProbabilities(vector, weights, bias, gradient);
      // Gradient of the cross-entropy with respect to the scores: probabilities minus the one-hot target.
      gradient[target] = (gradient[target] as number) - 1;
      for (let label = 0; label < labelCount; label++) {
        const delta = gradient[label] as number;
        biasSquaredGradients[label] = (biasSquaredGradients[label] as number) + delta * delta;
        bias[label] =
          (bias[label] as number) -
          (learningRate * delta) / (Math.sqrt(biasSquaredGradients[label] as number) + ADAGRAD_EPSILON);
      }
      for (let position = 0; position < vector.indices.length; position++) {
        const value = vector.values[position] as number;
        const base = (vector.indices[position] as number) * labelCount;
        for (let label = 0; label < labelCount; label++) {
          const labelGradient = gradient[label] as number;
          if (labelGradient < NEGLIGIBLE_GRADIENT && labelGradient > -NEGLIGIBLE_GRADIENT) {
            continue;
          }
          const slot = base + label;
          const weight = weights[slot] as number;
          const delta = labelGradient * value + l2 * weight;
          const accumulated = (squaredGradients[slot] as number) + delta * delta;
          squaredGradients[slot] = accumulated;
          weights[slot] = weight - (learningRate * delta) / (Math.sqrt(accumulated) + ADAGRAD_EPSILON);
        }
      }
      step++;
      if (options.onProgress && (step % reportEvery === 0 || step === totalSteps)) {
        options.onProgress(step, totalSteps);
      }
    }
  }
  return {
    labelCount,
    probabilities: (vector) => computeProbabilities(vector, weights, bias, new Float64Array(labelCount)),
  };
}
