// The offline voice: espeak-ng's speech, converted in Loket to 8 kHz μ-law while espeak-ng talks. Compared against
// espeak-ng's own WAV and against sox's conversion of it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Speech } from '../../fulfillment/core/types.ts';
import { decodeMulaw } from '../../fulfillment/speech/mulaw.ts';
import { espeakSsml, espeakVoiceFor, offlineSpeechProvider } from '../../fulfillment/speech/offline.ts';
import type { SynthesisRequest } from '../../fulfillment/speech/provider.ts';
import { readWavHeader } from '../../fulfillment/speech/wav.ts';

const SPEECH: Speech = [
  { kind: 'text', text: 'Uw bestelling ' },
  { kind: 'say-as', as: 'digits', value: '45123', display: '45123' },
  { kind: 'text', text: ' is verzonden.' },
  { kind: 'pause', ms: 350 },
  { kind: 'text', text: ' Kan ik u nog ergens mee helpen?' },
];
const REQUEST: SynthesisRequest = { speech: SPEECH, text: '', locale: 'nl-NL', slow: false };
const noListener = { onSpeechStart: () => {}, onRecognized: () => {}, onError: () => {} };

async function synthesize(request: SynthesisRequest, signal = new AbortController().signal) {
  const call = offlineSpeechProvider().openCall(request.locale, noListener);
  const chunks: Buffer[] = [];
  await call.synthesize(request, (chunk) => chunks.push(chunk), signal);
  await call.close();
  return { audio: Buffer.concat(chunks), chunks: chunks.length };
}

function correlation(left: ArrayLike<number>, right: ArrayLike<number>): number {
  const length = Math.min(left.length, right.length);
  let product = 0;
  let leftSquares = 0;
  let rightSquares = 0;
  for (let index = 0; index < length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    product += a * b;
    leftSquares += a * a;
    rightSquares += b * b;
  }
  return product / Math.sqrt(leftSquares * rightSquares);
}

describe('the offline voice', () => {
  it('picks an espeak-ng voice per locale', () => {
    expect(espeakVoiceFor('nl-NL')).toBe('nl');
    expect(espeakVoiceFor('en-US')).toBe('en-us');
    expect(espeakVoiceFor('nl-BE')).toBe('nl');
    expect(espeakSsml(REQUEST)).toMatch(/^<speak>Uw bestelling .*45123.*<break time="350ms"\/>.*<\/speak>$/);
  });

  it("speaks as long as espeak-ng's own recording, at 8 kHz, streamed in several chunks", async () => {
    const { audio, chunks } = await synthesize(REQUEST);
    const wav = spawnSync('espeak-ng', ['-v', 'nl', '-s', '160', '-m', '--stdin', '--stdout'], {
      input: espeakSsml(REQUEST),
    });
    const format = readWavHeader(wav.stdout);
    expect(format).not.toBeNull();
    const seconds = (wav.stdout.length - (format?.dataOffset ?? 44)) / 2 / (format?.sampleRate ?? 22_050);
    expect(audio.length / 8_000).toBeCloseTo(seconds, 2);
    expect(seconds).toBeGreaterThan(2);
    expect(chunks).toBeGreaterThan(1);
  });

  it("sounds like sox's conversion of the same recording", async () => {
    const { audio } = await synthesize(REQUEST);
    const wav = spawnSync('espeak-ng', ['-v', 'nl', '-s', '160', '-m', '--stdin', '--stdout'], {
      input: espeakSsml(REQUEST),
    });
    const sox = spawnSync(
      'sox',
      ['-D', '-t', 'wav', '-', '-t', 'raw', '-r', '8000', '-e', 'u-law', '-c', '1', '-'],
      {
        input: wav.stdout,
      },
    );
    expect(sox.status, sox.stderr?.toString()).toBe(0);
    expect(Math.abs(sox.stdout.length - audio.length)).toBeLessThan(40);
    expect(correlation(decodeMulaw(audio), decodeMulaw(sox.stdout))).toBeGreaterThan(0.9);
  });

  it('speaks more slowly when asked to', async () => {
    const normal = await synthesize(REQUEST);
    const slow = await synthesize({ ...REQUEST, slow: true });
    expect(slow.audio.length).toBeGreaterThan(normal.audio.length * 1.1);
  });

  it('stops at once on barge-in, and hands over nothing after that', async () => {
    const controller = new AbortController();
    const call = offlineSpeechProvider().openCall('en-US', noListener);
    const chunks: Buffer[] = [];
    let afterAbort = 0;
    const long: Speech = [{ kind: 'text', text: 'This is a long sentence. '.repeat(20) }];
    await call.synthesize(
      { speech: long, text: '', locale: 'en-US', slow: false },
      (chunk) => {
        if (controller.signal.aborted) afterAbort += 1;
        chunks.push(chunk);
        if (chunks.length === 1) controller.abort();
      },
      controller.signal,
    );
    expect(chunks.length).toBe(1);
    expect(afterAbort).toBe(0);
  });

  it('says clearly when espeak-ng is missing', async () => {
    const call = offlineSpeechProvider({ command: 'espeak-ng-not-installed' }).openCall('nl-NL', noListener);
    await expect(call.synthesize(REQUEST, () => {}, new AbortController().signal)).rejects.toThrow(
      /espeak-ng-not-installed is not installed/,
    );
  });
});
