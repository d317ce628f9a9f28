// G.711 μ-law, the telephone network's 8-bit audio coding: 16-bit linear PCM in, one byte per sample out, and back.
// The encoder rounds the sample to 14 bits and then applies the classic Sun/CCITT segment coding (g711.c: bias 33,
// clip 8159): bit for bit what sox produces.

const BIAS = 0x84;
const CLIP_14 = 8_159;
/** the top of each of the 8 segments, in 14-bit magnitude plus bias */
const SEGMENT_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];

export function encodeMulawSample(linear: number): number {
  // Rounded (not truncated) to 14 bits, so positive and negative values are treated alike.
  let value = (Math.max(-32_768, Math.min(32_767, Math.round(linear))) + 2) >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  value = Math.min(value, CLIP_14) + (BIAS >> 2);
  const segment = SEGMENT_ENDS.findIndex((end) => value <= end);
  if (segment === -1) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0x0f)) ^ mask;
}

export function decodeMulawSample(byte: number): number {
  const inverted = ~byte & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const magnitude = ((((inverted & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return inverted & 0x80 ? -magnitude : magnitude;
}

export function encodeMulaw(samples: ArrayLike<number>): Buffer {
  const encoded = Buffer.alloc(samples.length);
  for (let index = 0; index < samples.length; index += 1) {
    encoded[index] = encodeMulawSample(samples[index] ?? 0);
  }
  return encoded;
}

export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.length);
  for (let index = 0; index < bytes.length; index += 1)
    samples[index] = decodeMulawSample(bytes[index] ?? 0xff);
  return samples;
}
