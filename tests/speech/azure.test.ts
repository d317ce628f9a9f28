// The Azure provider, without a network: what Loket hands the Speech SDK (the caller's audio format, the recognition
// settings, the SSML, the voice and the output format), using the SDK's own types and a recogniser and synthesiser
// that record their calls instead of opening a socket.
import {
  type AudioConfig,
  AudioInputStream,
  type AudioStreamFormat,
  OutputFormat,
  PropertyId,
  ResultReason,
  type SpeechConfig,
  SpeechRecognitionEventArgs,
  SpeechRecognitionResult,
  type SpeechRecognizer,
  SpeechSynthesisEventArgs,
  SpeechSynthesisOutputFormat,
  SpeechSynthesisResult,
  type SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { describe, expect, it } from 'vitest';
import type { Speech } from '../../fulfillment/core/types.ts';
import {
  type AzureSdkFactories,
  azureSpeechProvider,
  azureSsml,
  confidenceOf,
  SEGMENTATION_SILENCE_MS,
} from '../../fulfillment/speech/azure.ts';

class RecordingRecognizer {
  started = false;
  stopped = false;
  closed = false;
  recognizing?: (sender: unknown, event: SpeechRecognitionEventArgs) => void;
  recognized?: (sender: unknown, event: SpeechRecognitionEventArgs) => void;
  speechStartDetected?: (sender: unknown, event: unknown) => void;
  canceled?: (sender: unknown, event: unknown) => void;
  constructor(
    readonly speechConfig: SpeechConfig,
    readonly audioConfig: AudioConfig,
  ) {}
  startContinuousRecognitionAsync(done?: () => void) {
    this.started = true;
    done?.();
  }
  stopContinuousRecognitionAsync(done?: () => void) {
    this.stopped = true;
    done?.();
  }
  close(done?: () => void) {
    this.closed = true;
    done?.();
  }
}

class RecordingSynthesizer {
  readonly spoken: string[] = [];
  closed = false;
  synthesizing?: (sender: unknown, event: SpeechSynthesisEventArgs) => void;
  constructor(readonly speechConfig: SpeechConfig) {}
  speakSsmlAsync(ssml: string, done?: (result: SpeechSynthesisResult) => void) {
    this.spoken.push(ssml);
    // Two chunks of μ-law while "synthesising", then the final result, as the service streams them.
    for (const size of [800, 480]) {
      const chunk = new Uint8Array(size).fill(0x7f).buffer;
      this.synthesizing?.(
        this,
        new SpeechSynthesisEventArgs(new SpeechSynthesisResult('r', ResultReason.SynthesizingAudio, chunk)),
      );
    }
    setTimeout(() => done?.(new SpeechSynthesisResult('r', ResultReason.SynthesizingAudioCompleted)), 5);
  }
  close(done?: () => void) {
    this.closed = true;
    done?.();
  }
}

function recordingSdk() {
  const made = {
    formats: [] as AudioStreamFormat[],
    writes: [] as Buffer[],
    recognizers: [] as RecordingRecognizer[],
    synthesizers: [] as RecordingSynthesizer[],
  };
  const factories: AzureSdkFactories = {
    createPushStream: (format) => {
      made.formats.push(format);
      const stream = AudioInputStream.createPushStream(format);
      const write = stream.write.bind(stream);
      stream.write = (data: ArrayBuffer) => {
        made.writes.push(Buffer.from(data));
        write(data);
      };
      return stream;
    },
    createRecognizer: (speechConfig, audioConfig) => {
      const recognizer = new RecordingRecognizer(speechConfig, audioConfig);
      made.recognizers.push(recognizer);
      return recognizer as unknown as SpeechRecognizer;
    },
    createSynthesizer: (speechConfig) => {
      const synthesizer = new RecordingSynthesizer(speechConfig);
      made.synthesizers.push(synthesizer);
      return synthesizer as unknown as SpeechSynthesizer;
    },
  };
  return { made, factories };
}

const KEY = '0123456789abcdef0123456789abcdef';
const SPEECH: Speech = [
  { kind: 'emphasis', text: 'Goed' },
  { kind: 'text', text: ' nieuws: bestelling ' },
  { kind: 'say-as', as: 'digits', value: '45123', display: '45123' },
  { kind: 'text', text: ' is onderweg & komt morgen.' },
];
const events = () => {
  const heard: { speechStarts: number; texts: [string, number | undefined][]; errors: Error[] } = {
    speechStarts: 0,
    texts: [],
    errors: [],
  };
  return {
    heard,
    listener: {
      onSpeechStart: () => {
        heard.speechStarts += 1;
      },
      onRecognized: (text: string, confidence: number | undefined) => heard.texts.push([text, confidence]),
      onError: (error: Error) => heard.errors.push(error),
    },
  };
};

describe('the Azure provider', () => {
  it('recognises the caller from a μ-law 8 kHz push stream, continuously, with a lenient end of speech', async () => {
    const { made, factories } = recordingSdk();
    const provider = azureSpeechProvider({ key: KEY, region: 'westeurope', factories });
    const { heard, listener } = events();
    const call = provider.openCall('nl-NL', listener);

    const format = made.formats[0] as unknown as {
      formatTag: number;
      samplesPerSec: number;
      bitsPerSample: number;
      channels: number;
    };
    // formatTag 7 is WAVE_FORMAT_MULAW, which the SDK uses for AudioFormatTag.MuLaw.
    expect(format).toMatchObject({ formatTag: 7, samplesPerSec: 8000, bitsPerSample: 8, channels: 1 });
    const recognizer = made.recognizers[0] as RecordingRecognizer;
    expect(recognizer.started).toBe(true);
    expect(recognizer.speechConfig.speechRecognitionLanguage).toBe('nl-NL');
    expect(recognizer.speechConfig.region).toBe('westeurope');
    expect(recognizer.speechConfig.outputFormat).toBe(OutputFormat.Detailed);
    // getProperty takes a PropertyId at run time, though the type only admits a name.
    expect(
      recognizer.speechConfig.getProperty(
        PropertyId.Speech_SegmentationSilenceTimeoutMs as unknown as string,
      ),
    ).toBe(String(SEGMENTATION_SILENCE_MS));
    expect(SEGMENTATION_SILENCE_MS).toBeGreaterThan(1000);

    const frame = Buffer.alloc(160, 0xfe);
    call.pushAudio(frame);
    expect(made.writes).toEqual([frame]);

    // What the service reports becomes barge-in and a text turn with the best hypothesis' confidence.
    const partial = new SpeechRecognitionResult('p', ResultReason.RecognizingSpeech, 'waar blijft');
    recognizer.recognizing?.(recognizer, new SpeechRecognitionEventArgs(partial));
    recognizer.recognizing?.(recognizer, new SpeechRecognitionEventArgs(partial));
    const json = JSON.stringify({
      RecognitionStatus: 'Success',
      DisplayText: 'Waar blijft mijn bestelling?',
      NBest: [{ Confidence: 0.8731, Display: 'Waar blijft mijn bestelling?' }],
    });
    const final = new SpeechRecognitionResult(
      'f',
      ResultReason.RecognizedSpeech,
      'Waar blijft mijn bestelling?',
      1,
      0,
      undefined,
      undefined,
      undefined,
      undefined,
      json,
    );
    recognizer.recognized?.(recognizer, new SpeechRecognitionEventArgs(final));
    expect(heard.speechStarts).toBe(1);
    expect(heard.texts).toEqual([['Waar blijft mijn bestelling?', 0.8731]]);

    await call.close();
    expect(recognizer.stopped).toBe(true);
    expect(recognizer.closed).toBe(true);
  });

  it('synthesises SSML with the locale voice and style into Raw8Khz8BitMonoMULaw, streamed as it arrives', async () => {
    const { made, factories } = recordingSdk();
    const provider = azureSpeechProvider({ key: KEY, region: 'westeurope', factories });
    const call = provider.openCall('en-US', events().listener);
    const chunks: Buffer[] = [];
    await call.synthesize(
      { speech: SPEECH, text: '', locale: 'en-US', slow: true },
      (chunk) => chunks.push(chunk),
      new AbortController().signal,
    );
    const synthesizer = made.synthesizers[0] as RecordingSynthesizer;
    expect(synthesizer.speechConfig.speechSynthesisOutputFormat).toBe(
      SpeechSynthesisOutputFormat.Raw8Khz8BitMonoMULaw,
    );
    expect(synthesizer.speechConfig.speechSynthesisVoiceName).toBe('en-US-JennyNeural');
    expect(synthesizer.spoken).toEqual([
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xmlns:mstts="https://www.w3.org/2001/mstts" xml:lang="en-US">' +
        '<voice name="en-US-JennyNeural"><mstts:express-as style="customerservice">' +
        '<prosody rate="85%">Goed nieuws: bestelling <say-as interpret-as="digits">45123</say-as> is onderweg &amp; komt morgen.</prosody>' +
        '</mstts:express-as></voice></speak>',
    ]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([800, 480]);
    await call.close();
    expect(synthesizer.closed).toBe(true);
  });

  it('speaks Dutch with a Dutch neural voice and no style (Dutch voices have none)', () => {
    const ssml = azureSsml(
      { speech: SPEECH, text: '', locale: 'nl-NL', slow: false },
      { name: 'nl-NL-FennaNeural' },
    );
    expect(ssml).toContain('xml:lang="nl-NL"><voice name="nl-NL-FennaNeural">Goed nieuws');
    expect(ssml).not.toMatch(/express-as|emphasis|prosody/);
  });

  it('uses configured voices, and hands over nothing after a barge-in', async () => {
    const { made, factories } = recordingSdk();
    const provider = azureSpeechProvider({
      key: KEY,
      region: 'westeurope',
      voices: { 'nl-NL': { name: 'nl-NL-ColetteNeural' } },
      factories,
    });
    const call = provider.openCall('nl-NL', events().listener);
    const controller = new AbortController();
    const chunks: Buffer[] = [];
    await call.synthesize(
      { speech: SPEECH, text: '', locale: 'nl-NL', slow: false },
      (chunk) => {
        chunks.push(chunk);
        controller.abort();
      },
      controller.signal,
    );
    expect(chunks).toHaveLength(1);
    expect(made.synthesizers[0]?.speechConfig.speechSynthesisVoiceName).toBe('nl-NL-ColetteNeural');
    expect(made.synthesizers[0]?.spoken[0]).toContain('<voice name="nl-NL-ColetteNeural">');
    await call.close();
    await call.close();
    expect(made.recognizers[0]?.closed).toBe(true);
  });

  it('reads the confidence of the best hypothesis, and nothing from a malformed result', () => {
    expect(confidenceOf(JSON.stringify({ NBest: [{ Confidence: 0.42 }, { Confidence: 0.3 }] }))).toBe(0.42);
    expect(confidenceOf('{"NBest": []}')).toBeUndefined();
    expect(confidenceOf('not json')).toBeUndefined();
    expect(confidenceOf(undefined)).toBeUndefined();
  });
});
