// A streaming sample-rate converter (windowed-sinc low-pass), so speech synthesised at 16 or 22 kHz can go down a
// phone line at 8 kHz without aliasing, chunk by chunk while the synthesiser is still talking.

export interface Resampler {
  /** converts the next chunk; keeps the tail it still needs for the next call */
  push: (samples: ArrayLike<number>) => Float32Array;
  /** the last samples, once the input has ended */
  flush: () => Float32Array;
}

/** zero crossings of the sinc on each side: enough to keep 4 kHz images out of a phone line */
const ZERO_CROSSINGS = 10;
/** keep 10 % below the output's Nyquist frequency, where the telephone band ends anyway */
const PASSBAND = 0.9;

function blackman(position: number): number {
  // position in [-1, 1]
  const x = (position + 1) / 2;
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * x) + 0.08 * Math.cos(4 * Math.PI * x);
}

export function createResampler(inputRate: number, outputRate: number): Resampler {
  if (inputRate === outputRate) {
    return { push: (samples) => Float32Array.from(samples), flush: () => new Float32Array(0) };
  }
  const step = inputRate / outputRate;
  // The cut-off, relative to the input's Nyquist frequency: below the output's Nyquist when downsampling.
  const cutoff = Math.min(1, outputRate / inputRate) * PASSBAND;
  const halfWidth = Math.ceil(ZERO_CROSSINGS / cutoff);
  const kernel = (distance: number): number => {
    if (Math.abs(distance) >= halfWidth) return 0;
    const x = cutoff * distance;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return cutoff * sinc * blackman(distance / halfWidth);
  };

  let buffer = new Float32Array(0);
  /** absolute index of buffer[0] in the input */
  let bufferStart = 0;
  /** absolute index of the next output sample */
  let nextOutput = 0;

  /** output samples whose centre lies before `centreLimit`; input beyond the buffer reads as silence */
  const produce = (centreLimit: number): Float32Array => {
    const output: number[] = [];
    for (let centre = nextOutput * step; centre < centreLimit; centre = nextOutput * step) {
      let sum = 0;
      const first = Math.max(Math.ceil(centre - halfWidth), bufferStart);
      const last = Math.floor(centre + halfWidth);
      for (let index = first; index <= last; index += 1) {
        sum += (buffer[index - bufferStart] ?? 0) * kernel(centre - index);
      }
      output.push(sum);
      nextOutput += 1;
    }
    // Drop what no later output sample can reach any more.
    const keepFrom = Math.min(
      Math.max(Math.floor(nextOutput * step - halfWidth), bufferStart),
      bufferStart + buffer.length,
    );
    buffer = buffer.slice(keepFrom - bufferStart);
    bufferStart = keepFrom;
    return Float32Array.from(output);
  };

  const append = (samples: ArrayLike<number>): void => {
    const grown = new Float32Array(buffer.length + samples.length);
    grown.set(buffer);
    for (let index = 0; index < samples.length; index += 1)
      grown[buffer.length + index] = samples[index] ?? 0;
    buffer = grown;
  };

  return {
    // An output sample is final once every input sample its kernel reaches has arrived.
    push: (samples) => {
      append(samples);
      return produce(bufferStart + buffer.length - halfWidth);
    },
    flush: () => produce(bufferStart + buffer.length),
  };
}
