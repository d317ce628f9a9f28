// The offline speech provider: espeak-ng speaks (converted here to 8 kHz μ-law while it talks), the caller uses the
// keypad. A real IVR mode for running a phone line without a cloud account, not a test stub.
import { spawn, spawnSync } from 'node:child_process';
import { renderSsml } from '../compose/render.ts';
import { encodeMulaw } from './mulaw.ts';
import type { CallSpeech, SpeechProvider, SynthesisRequest } from './provider.ts';
import { createResampler, type Resampler } from './resample.ts';
import { readWavHeader, WavError, type WavFormat } from './wav.ts';

/** espeak-ng voices per language; `espeak-ng --voices` lists them */
const ESPEAK_VOICES: Record<string, string> = { nl: 'nl', en: 'en-us' };
/** words per minute: a little under espeak's 175, because callers on a phone line need a calm pace */
const NORMAL_RATE = 160;
const SLOW_RATE = 130;

export function espeakVoiceFor(locale: string): string {
  const exact: Record<string, string> = { 'en-US': 'en-us', 'en-GB': 'en-gb', 'nl-NL': 'nl', 'nl-BE': 'nl' };
  return exact[locale] ?? ESPEAK_VOICES[locale.split('-')[0]?.toLowerCase() ?? ''] ?? 'en-us';
}

/** espeak-ng reads SSML with -m; the pace comes from -s, so the prosody tag is left out. */
export function espeakSsml(request: SynthesisRequest): string {
  return renderSsml(request.speech, { dialect: 'generic', slow: false });
}

/** Whether espeak-ng can be started on this machine (checked once at start-up, for a clear warning). */
export function espeakAvailable(command = 'espeak-ng'): boolean {
  const probe = spawnSync(command, ['--version'], { stdio: 'ignore', timeout: 5_000 });
  return probe.status === 0;
}

/** Turns a WAV byte stream into 8 kHz μ-law, chunk by chunk. */
export function wavToMulawStream(): { push: (chunk: Buffer) => Buffer; end: () => Buffer } {
  let header = Buffer.alloc(0);
  let format: WavFormat | null = null;
  let resampler: Resampler | null = null;
  let carry = Buffer.alloc(0);
  const decode = (bytes: Buffer): Buffer => {
    if (!format || !resampler) return Buffer.alloc(0);
    const data = Buffer.concat([carry, bytes]);
    const frameBytes = (format.bitsPerSample / 8) * format.channels;
    const usable = data.length - (data.length % frameBytes);
    carry = data.subarray(usable);
    const samples = new Int16Array(usable / frameBytes);
    for (let index = 0; index < samples.length; index += 1) {
      // The first channel is enough for a phone line.
      samples[index] = data.readInt16LE(index * frameBytes);
    }
    return encodeMulaw(resampler.push(samples));
  };
  return {
    push: (chunk) => {
      if (format) return decode(chunk);
      header = Buffer.concat([header, chunk]);
      format = readWavHeader(header);
      if (!format) return Buffer.alloc(0);
      if (format.audioFormat !== 1 || format.bitsPerSample !== 16) {
        throw new WavError(
          `expected 16-bit PCM, got format ${format.audioFormat} at ${format.bitsPerSample} bits`,
        );
      }
      resampler = createResampler(format.sampleRate, 8_000);
      return decode(header.subarray(format.dataOffset));
    },
    end: () => (resampler ? encodeMulaw(resampler.flush()) : Buffer.alloc(0)),
  };
}

export interface OfflineOptions {
  /** the espeak-ng executable; tests and unusual installs can point elsewhere */
  command?: string;
}

export function offlineSpeechProvider(options: OfflineOptions = {}): SpeechProvider {
  const command = options.command ?? 'espeak-ng';
  const synthesize = (
    request: SynthesisRequest,
    onAudio: (mulaw: Buffer) => void,
    signal: AbortSignal,
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const rate = request.slow ? SLOW_RATE : NORMAL_RATE;
      const child = spawn(
        command,
        ['-v', espeakVoiceFor(request.locale), '-s', String(rate), '-m', '--stdin', '--stdout'],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      const converter = wavToMulawStream();
      let failed = false;
      let stderr = '';
      const stop = () => child.kill('SIGTERM');
      signal.addEventListener('abort', stop, { once: true });
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        signal.removeEventListener('abort', stop);
        child.kill('SIGTERM');
        reject(error);
      };
      child.on('error', (error: NodeJS.ErrnoException) =>
        fail(
          error.code === 'ENOENT'
            ? new Error(`${command} is not installed: the offline voice needs it (apt-get install espeak-ng)`)
            : error,
        ),
      );
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (signal.aborted || failed) return;
        try {
          const audio = converter.push(chunk);
          if (audio.length > 0) onAudio(audio);
        } catch (error) {
          fail(error as Error);
        }
      });
      child.on('close', (code) => {
        if (failed) return;
        signal.removeEventListener('abort', stop);
        if (signal.aborted) {
          resolve();
          return;
        }
        if (code !== 0) {
          reject(new Error(`${command} exited with ${code}: ${stderr.trim().slice(0, 300)}`));
          return;
        }
        const tail = converter.end();
        if (tail.length > 0) onAudio(tail);
        resolve();
      });
      // A caller who hangs up mid-sentence closes stdin early; that is not an error worth a crash.
      child.stdin.on('error', () => {});
      child.stdin.end(espeakSsml(request));
    });

  return {
    name: 'offline',
    understandsSpeech: false,
    openCall: (): CallSpeech => ({
      // Without a recogniser the caller's audio has nowhere to go; DTMF arrives as its own message.
      pushAudio: () => {},
      synthesize,
      close: async () => {},
    }),
  };
}
