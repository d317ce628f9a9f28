// The audio path to a phone line: G.711 μ-law against known values and against sox, the resampler's pitch and
// anti-aliasing, WAV headers as espeak-ng streams them, and 20 ms framing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createFramer, FRAME_BYTES } from '../../fulfillment/speech/frames.ts';
import {
  decodeMulaw,
  decodeMulawSample,
  encodeMulaw,
  encodeMulawSample,
} from '../../fulfillment/speech/mulaw.ts';
import { createResampler } from '../../fulfillment/speech/resample.ts';
import { readWavHeader, WavError } from '../../fulfillment/speech/wav.ts';

function sine(frequency: number, rate: number, seconds: number, amplitude = 10_000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, index) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * frequency * index) / rate)),
  );
}

function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let index = from; index < to; index += 1) sum += (samples[index] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

function zeroCrossings(samples: ArrayLike<number>, from: number, to: number): number {
  let count = 0;
  for (let index = from + 1; index < to; index += 1) {
    if (Math.sign(samples[index] ?? 0) !== Math.sign(samples[index - 1] ?? 0)) count += 1;
  }
  return count;
}

describe('G.711 μ-law', () => {
  it('encodes the known values', () => {
    expect(encodeMulawSample(0)).toBe(0xff);
    expect(encodeMulawSample(-100)).toBe(0x72);
    expect(encodeMulawSample(32_767)).toBe(0x80);
    expect(encodeMulawSample(-32_768)).toBe(0x00);
    expect(encodeMulawSample(1_000)).toBe(0xce);
    expect(encodeMulawSample(-1_000)).toBe(0x4e);
  });

  it('decodes the known values', () => {
    expect(decodeMulawSample(0xff)).toBe(0);
    expect(decodeMulawSample(0x80)).toBe(32_124);
    expect(decodeMulawSample(0x00)).toBe(-32_124);
    expect(decodeMulawSample(0xce)).toBe(988);
  });

  it('round-trips within the quantisation step of each segment', () => {
    for (let sample = -32_000; sample <= 32_000; sample += 97) {
      const back = decodeMulawSample(encodeMulawSample(sample));
      expect(Math.abs(back - sample)).toBeLessThanOrEqual(Math.max(8, Math.abs(sample) / 16));
    }
  });

  it('gives the same bytes as sox for every 16-bit sample value', () => {
    const input = Int16Array.from({ length: 65_536 }, (_, index) => index - 32_768);
    const sox = spawnSync(
      'sox',
      [
        '-D',
        '-t',
        'raw',
        '-r',
        '8000',
        '-e',
        'signed',
        '-b',
        '16',
        '-c',
        '1',
        '-L',
        '-',
        '-t',
        'raw',
        '-e',
        'u-law',
        '-',
      ],
      // -D: no dither, so sox encodes exactly the samples it was given.
      { input: Buffer.from(input.buffer) },
    );
    expect(sox.status, sox.stderr?.toString()).toBe(0);
    expect([...encodeMulaw(input)]).toEqual([...sox.stdout]);
    expect(decodeMulaw(sox.stdout).length).toBe(input.length);
  });
});

describe('createResampler', () => {
  it('keeps a 1 kHz tone at 1 kHz and at the same level, from 22.05 kHz to 8 kHz', () => {
    const resampler = createResampler(22_050, 8_000);
    const input = sine(1_000, 22_050, 1);
    // Fed in uneven chunks, as a synthesiser delivers them.
    const parts: Float32Array[] = [];
    for (let offset = 0; offset < input.length; offset += 1_237) {
      parts.push(resampler.push(input.subarray(offset, offset + 1_237)));
    }
    parts.push(resampler.flush());
    const output = Float32Array.from(parts.flatMap((part) => [...part]));
    expect(Math.abs(output.length - 8_000)).toBeLessThanOrEqual(1);
    // 1 kHz crosses zero 2,000 times a second; measured away from the edges.
    expect(zeroCrossings(output, 1_000, 7_000)).toBeGreaterThanOrEqual(1_498);
    expect(zeroCrossings(output, 1_000, 7_000)).toBeLessThanOrEqual(1_502);
    expect(rms(output, 1_000, 7_000) / rms(input)).toBeCloseTo(1, 1);
  });

  it('removes what a phone line cannot carry instead of folding it back (no aliasing)', () => {
    const resampler = createResampler(22_050, 8_000);
    const output = Float32Array.from([...resampler.push(sine(6_000, 22_050, 0.5)), ...resampler.flush()]);
    expect(rms(output, 200, output.length - 200)).toBeLessThan(10_000 * 0.01);
  });

  it('passes audio through unchanged at the same rate', () => {
    const resampler = createResampler(8_000, 8_000);
    expect([...resampler.push([1, 2, 3])]).toEqual([1, 2, 3]);
  });
});

describe('readWavHeader', () => {
  function header(sampleRate: number, dataSize = 0x7fffffff): Buffer {
    const bytes = Buffer.alloc(44);
    bytes.write('RIFF', 0, 'ascii');
    bytes.writeUInt32LE(0x7fffffff, 4);
    bytes.write('WAVE', 8, 'ascii');
    bytes.write('fmt ', 12, 'ascii');
    bytes.writeUInt32LE(16, 16);
    bytes.writeUInt16LE(1, 20);
    bytes.writeUInt16LE(1, 22);
    bytes.writeUInt32LE(sampleRate, 24);
    bytes.writeUInt32LE(sampleRate * 2, 28);
    bytes.writeUInt16LE(2, 32);
    bytes.writeUInt16LE(16, 34);
    bytes.write('data', 36, 'ascii');
    bytes.writeUInt32LE(dataSize, 40);
    return bytes;
  }

  it('reads a streamed header (unknown length), and waits for a partial one', () => {
    expect(readWavHeader(header(22_050))).toEqual({
      audioFormat: 1,
      channels: 1,
      sampleRate: 22_050,
      bitsPerSample: 16,
      dataOffset: 44,
    });
    expect(readWavHeader(header(22_050).subarray(0, 30))).toBeNull();
    expect(() => readWavHeader(Buffer.from('ID3 something else entirely'))).toThrow(WavError);
  });

  it('reads what espeak-ng writes to stdout', () => {
    const espeak = spawnSync('espeak-ng', ['-v', 'nl', '--stdout', 'hallo']);
    expect(espeak.status).toBe(0);
    expect(readWavHeader(espeak.stdout)).toMatchObject({ audioFormat: 1, channels: 1, bitsPerSample: 16 });
  });
});

describe('createFramer', () => {
  it('cuts 20 ms frames of 160 bytes, and pads the last one with silence', () => {
    const framer = createFramer();
    expect(framer.push(Buffer.alloc(100, 1))).toEqual([]);
    const frames = framer.push(Buffer.alloc(300, 2));
    expect(frames.map((frame) => frame.length)).toEqual([FRAME_BYTES, FRAME_BYTES]);
    const [last] = framer.flush();
    expect(last?.length).toBe(FRAME_BYTES);
    expect(last?.subarray(0, 80).every((byte) => byte === 2)).toBe(true);
    expect(last?.subarray(80).every((byte) => byte === 0xff)).toBe(true);
    expect(framer.flush()).toEqual([]);
  });
});
