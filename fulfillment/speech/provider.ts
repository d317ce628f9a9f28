// The phone line's speech, behind one small interface: what a media-stream call needs from a speech provider.
// Two providers: Azure (fulfillment/speech/azure.ts) hears and speaks; offline (fulfillment/speech/offline.ts) speaks
// with espeak-ng and hears only the keypad.
import type { Speech } from '../core/types.ts';

/** What to say: the channel-neutral speech markup, so each provider renders the SSML its engine understands. */
export interface SynthesisRequest {
  speech: Speech;
  /** plain text of the same speech, for engines without SSML */
  text: string;
  locale: string;
  /** the caller asked for slower speech */
  slow: boolean;
}

export interface RecognitionListener {
  /** the caller started talking: stop playback and listen (barge-in) */
  onSpeechStart: () => void;
  /** a final result at the end of an utterance; confidence in [0, 1] when the engine gives one */
  onRecognized: (text: string, confidence: number | undefined) => void;
  onError: (error: Error) => void;
}

/** One call's speech: created when the stream starts, closed when the caller hangs up. */
export interface CallSpeech {
  /** caller audio: 8 kHz μ-law bytes, as the media stream delivers them */
  pushAudio: (mulaw: Uint8Array) => void;
  /**
   * Speaks the request, handing over 8 kHz μ-law audio as it is produced (any length; the channel frames it).
   * Resolves when synthesis is done or `signal` was aborted (barge-in): nothing is handed over after an abort.
   */
  synthesize: (
    request: SynthesisRequest,
    onAudio: (mulaw: Buffer) => void,
    signal: AbortSignal,
  ) => Promise<void>;
  /** frees recognisers and synthesisers; safe to call twice */
  close: () => Promise<void>;
}

export interface SpeechProvider {
  name: 'azure' | 'offline';
  /** false: the caller can only use the keypad, and the IVR offers keypad menus */
  understandsSpeech: boolean;
  openCall: (locale: string, listener: RecognitionListener) => CallSpeech;
}
