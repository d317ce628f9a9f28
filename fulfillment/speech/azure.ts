// The Azure speech provider (microsoft-cognitiveservices-speech-sdk): continuous recognition of the caller's μ-law
// audio through a push stream, and neural-voice synthesis straight into 8 kHz μ-law, handed over while it is made.
// https://learn.microsoft.com/azure/ai-services/speech-service/how-to-use-codec-compressed-audio-input-streams
import {
  AudioConfig,
  AudioFormatTag,
  AudioInputStream,
  AudioStreamFormat,
  OutputFormat,
  PropertyId,
  type PushAudioInputStream,
  ResultReason,
  SpeechConfig,
  SpeechRecognizer,
  SpeechSynthesisOutputFormat,
  SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { escapeXml, renderSsml } from '../compose/render.ts';
import type { CallSpeech, RecognitionListener, SpeechProvider, SynthesisRequest } from './provider.ts';

export interface AzureVoice {
  name: string;
  /** an mstts:express-as style, for voices that have styles (en-US-JennyNeural: customerservice) */
  style?: string;
}

/** Dutch neural voices have no speaking styles: prosody alone; Jenny speaks in her customer-service style. */
export const DEFAULT_AZURE_VOICES: Readonly<Record<string, AzureVoice>> = {
  'nl-NL': { name: 'nl-NL-FennaNeural' },
  'en-US': { name: 'en-US-JennyNeural', style: 'customerservice' },
};

/**
 * How long the caller may pause before an utterance counts as finished. The service default (about 500 ms) cuts older
 * callers off mid-sentence; 1.5 s lets them think, and the valid range is 100 to 5000 ms.
 * https://aka.ms/csspeech/timeouts
 */
export const SEGMENTATION_SILENCE_MS = 1_500;

/** The SDK objects that talk to the service; tests pass their own to see what Loket hands the SDK. */
export interface AzureSdkFactories {
  createPushStream: (format: AudioStreamFormat) => PushAudioInputStream;
  createRecognizer: (speechConfig: SpeechConfig, audioConfig: AudioConfig) => SpeechRecognizer;
  createSynthesizer: (speechConfig: SpeechConfig) => SpeechSynthesizer;
}

export const realFactories: AzureSdkFactories = {
  createPushStream: (format) => AudioInputStream.createPushStream(format),
  createRecognizer: (speechConfig, audioConfig) => new SpeechRecognizer(speechConfig, audioConfig),
  // null: keep the audio in memory instead of playing it on a speaker.
  createSynthesizer: (speechConfig) => new SpeechSynthesizer(speechConfig, null),
};

export interface AzureOptions {
  key: string;
  region: string;
  voices?: Readonly<Record<string, AzureVoice>>;
  factories?: AzureSdkFactories;
}

export function azureVoiceFor(
  locale: string,
  voices: Readonly<Record<string, AzureVoice>> = DEFAULT_AZURE_VOICES,
): AzureVoice {
  const language = locale.split('-')[0];
  return (
    voices[locale] ??
    Object.entries(voices).find(([key]) => key.split('-')[0] === language)?.[1] ??
    DEFAULT_AZURE_VOICES['en-US'] ?? { name: 'en-US-JennyNeural' }
  );
}

/**
 * Azure SSML around Loket's speech markup: the voice, its style when it has one, the locale. Emphasis is left out:
 * most neural voices ignore or reject it. https://learn.microsoft.com/azure/ai-services/speech-service/speech-synthesis-markup-voice
 */
export function azureSsml(request: SynthesisRequest, voice: AzureVoice): string {
  const inner = renderSsml(request.speech, { dialect: 'azure', slow: request.slow })
    .replace(/^<speak>|<\/speak>$/g, '')
    .replace(/<\/?emphasis[^>]*>/g, '');
  const styled = voice.style
    ? `<mstts:express-as style="${escapeXml(voice.style)}">${inner}</mstts:express-as>`
    : inner;
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xmlns:mstts="https://www.w3.org/2001/mstts" ` +
    `xml:lang="${escapeXml(request.locale)}"><voice name="${escapeXml(voice.name)}">${styled}</voice></speak>`
  );
}

/** μ-law, 8 kHz, 8 bits, mono: the phone line's own format, so nothing is transcoded on the way in. */
export function callerAudioFormat(): AudioStreamFormat {
  return AudioStreamFormat.getWaveFormat(8_000, 8, 1, AudioFormatTag.MuLaw);
}

export function recognitionConfig(options: AzureOptions, locale: string): SpeechConfig {
  const config = SpeechConfig.fromSubscription(options.key, options.region);
  config.speechRecognitionLanguage = locale;
  // Detailed results carry a confidence per hypothesis, which decides between implicit and explicit confirmation.
  config.outputFormat = OutputFormat.Detailed;
  config.setProperty(PropertyId.Speech_SegmentationSilenceTimeoutMs, String(SEGMENTATION_SILENCE_MS));
  return config;
}

export function synthesisConfig(options: AzureOptions, locale: string): SpeechConfig {
  const config = SpeechConfig.fromSubscription(options.key, options.region);
  config.speechSynthesisLanguage = locale;
  config.speechSynthesisVoiceName = azureVoiceFor(locale, options.voices).name;
  config.speechSynthesisOutputFormat = SpeechSynthesisOutputFormat.Raw8Khz8BitMonoMULaw;
  return config;
}

/** The best hypothesis' confidence from a detailed result, if the service sent one. */
export function confidenceOf(json: string | undefined): number | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as { NBest?: { Confidence?: unknown }[] };
    const confidence = parsed.NBest?.[0]?.Confidence;
    return typeof confidence === 'number' && confidence >= 0 && confidence <= 1 ? confidence : undefined;
  } catch {
    return undefined;
  }
}

export function azureSpeechProvider(options: AzureOptions): SpeechProvider {
  const factories = options.factories ?? realFactories;
  const voices = options.voices ?? DEFAULT_AZURE_VOICES;

  const openCall = (locale: string, listener: RecognitionListener): CallSpeech => {
    const pushStream = factories.createPushStream(callerAudioFormat());
    const recognizer = factories.createRecognizer(
      recognitionConfig(options, locale),
      AudioConfig.fromStreamInput(pushStream),
    );
    let heardSpeech = false;
    const speechStarted = () => {
      if (heardSpeech) return;
      heardSpeech = true;
      listener.onSpeechStart();
    };
    recognizer.speechStartDetected = speechStarted;
    recognizer.recognizing = speechStarted;
    recognizer.recognized = (_sender, event) => {
      heardSpeech = false;
      if (event.result.reason !== ResultReason.RecognizedSpeech || !event.result.text.trim()) return;
      listener.onRecognized(event.result.text, confidenceOf(event.result.json));
    };
    recognizer.canceled = (_sender, event) => {
      if (event.errorDetails)
        listener.onError(new Error(`Azure recognition canceled: ${event.errorDetails}`));
    };
    recognizer.startContinuousRecognitionAsync(undefined, (error) =>
      listener.onError(new Error(`Azure recognition did not start: ${error}`)),
    );

    // One synthesiser per call, created on first use; audio chunks go to whichever request is current.
    let synthesizer: SpeechSynthesizer | null = null;
    let deliver: ((chunk: Buffer) => void) | null = null;
    const synthesizerFor = (): SpeechSynthesizer => {
      if (synthesizer) return synthesizer;
      const created = factories.createSynthesizer(synthesisConfig({ ...options, voices }, locale));
      created.synthesizing = (_sender, event) => {
        const audio = event.result.audioData;
        if (deliver && audio.byteLength > 0) deliver(Buffer.from(audio));
      };
      synthesizer = created;
      return created;
    };

    let closed = false;
    return {
      pushAudio: (mulaw) => {
        if (closed) return;
        pushStream.write(
          mulaw.buffer.slice(mulaw.byteOffset, mulaw.byteOffset + mulaw.byteLength) as ArrayBuffer,
        );
      },
      synthesize: (request, onAudio, signal) =>
        new Promise((resolve, reject) => {
          if (signal.aborted || closed) {
            resolve();
            return;
          }
          const current = (chunk: Buffer) => {
            if (!signal.aborted) onAudio(chunk);
          };
          deliver = current;
          // The SDK cannot cancel one utterance, so a barge-in just stops listening to it.
          const finish = () => {
            if (deliver === current) deliver = null;
            resolve();
          };
          signal.addEventListener('abort', finish, { once: true });
          synthesizerFor().speakSsmlAsync(
            azureSsml(request, azureVoiceFor(request.locale, voices)),
            (result) => {
              signal.removeEventListener('abort', finish);
              if (deliver === current) deliver = null;
              if (result.reason === ResultReason.Canceled && !signal.aborted) {
                reject(new Error(`Azure synthesis canceled: ${result.errorDetails}`));
                return;
              }
              resolve();
            },
            (error) => {
              signal.removeEventListener('abort', finish);
              if (deliver === current) deliver = null;
              if (signal.aborted) resolve();
              else reject(new Error(`Azure synthesis failed: ${error}`));
            },
          );
        }),
      // The SDK keeps sockets and timers alive until recognisers and synthesisers are closed: always close both.
      close: async () => {
        if (closed) return;
        closed = true;
        deliver = null;
        pushStream.close();
        await new Promise<void>((resolve) =>
          recognizer.stopContinuousRecognitionAsync(
            () => resolve(),
            () => resolve(),
          ),
        );
        await new Promise<void>((resolve) =>
          recognizer.close(
            () => resolve(),
            () => resolve(),
          ),
        );
        if (synthesizer) {
          const closing = synthesizer;
          synthesizer = null;
          await new Promise<void>((resolve) =>
            closing.close(
              () => resolve(),
              () => resolve(),
            ),
          );
        }
      },
    };
  };

  return { name: 'azure', understandsSpeech: true, openCall };
}
