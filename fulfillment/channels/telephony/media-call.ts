// One phone call on Twilio's bidirectional media stream: the caller's audio goes to the speech provider, its words and
// keys become turns, and each reply is synthesised into 20 ms μ-law frames with a mark after it, so Loket knows when
// the caller has heard it. Speech or a key during playback clears the audio and listens (barge-in).
// https://www.twilio.com/docs/voice/media-streams/websocket-messages
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { renderText } from '../../compose/render.ts';
import { type ConversationDeps, takeTurn } from '../../conversation/take-turn.ts';
import type { Expectation, Session, Speech, Turn, TurnInput } from '../../core/types.ts';
import { canBeKeyedIn } from '../../dialogue/keypad.ts';
import { failureReasonOf, type LoketMetrics, recordWebhookFailure } from '../../observability/metrics.ts';
import { createFramer } from '../../speech/frames.ts';
import type { CallSpeech, SpeechProvider } from '../../speech/provider.ts';
import { ENGINE_KEYPAD_PROMPTS, keypadGuide } from './keypad-guide.ts';
import {
  clearMessage,
  markMessage,
  mediaMessage,
  parseInbound,
  type StartMessage,
} from './media-messages.ts';
import { nextStep } from './reply-twiml.ts';
import { canTransfer, type TelephonySettings } from './settings.ts';
import { callerIdOf, sessionIdOf } from './twilio-params.ts';

/** Seconds between two keys before a number being keyed in counts as complete (# completes it at once). */
export const INTER_DIGIT_SECONDS = 3;

export interface MediaCallDeps {
  conversation: ConversationDeps;
  settings: TelephonySettings;
  speech: SpeechProvider;
  locales: () => string[];
  logger: Logger;
  /** counts failed turns in loket_webhook_failures_total{channel="stream"}; nothing is counted without it */
  metrics?: LoketMetrics;
}

function localeFor(start: StartMessage['start'], deps: MediaCallDeps): string {
  const locales = deps.locales();
  const wanted = start.customParameters?.locale;
  if (wanted && locales.includes(wanted)) return wanted;
  const to = start.customParameters?.to;
  const byNumber = to ? deps.settings.numberLocales.get(to) : undefined;
  return byNumber ?? deps.settings.defaultLocale ?? locales[0] ?? 'en-US';
}

function changedVariants(before: Session | null, after: Session, keys: readonly string[]): boolean {
  return keys.some(
    (key) =>
      JSON.stringify(before?.usedVariants[key] ?? []) !== JSON.stringify(after.usedVariants[key] ?? []),
  );
}

export function handleMediaCall(socket: WebSocket, deps: MediaCallDeps): void {
  const { logger, settings } = deps;
  const keypadOnly = !deps.speech.understandsSpeech;

  let streamSid = '';
  let callSid = '';
  let locale = '';
  let callerId: string | undefined;
  let speech: CallSpeech | null = null;
  let session: Session | null = null;
  let expecting: Expectation | null = null;
  /** the reply being spoken: aborted on barge-in */
  let playback: AbortController | null = null;
  /** marks sent and not yet echoed: while any is out, the caller is still hearing Loket */
  const pendingMarks = new Set<string>();
  let replyMark: string | null = null;
  let markCount = 0;
  /** after a goodbye or a handoff: close once the caller has heard it, and take no more input */
  let leaving = false;
  let hungUp = false;
  let turns: Promise<void> = Promise.resolve();
  let digits = '';
  let digitTimer: NodeJS.Timeout | null = null;
  let silenceTimer: NodeJS.Timeout | null = null;

  const send = (message: string) => {
    if (socket.readyState === socket.OPEN) socket.send(message);
  };
  const stopTimers = () => {
    if (digitTimer) clearTimeout(digitTimer);
    if (silenceTimer) clearTimeout(silenceTimer);
    digitTimer = null;
    silenceTimer = null;
  };

  const speaking = () => playback !== null || pendingMarks.size > 0;

  /** The caller spoke or pressed a key while Loket was talking: stop talking and listen. */
  const bargeIn = () => {
    if (!speaking() || leaving) return;
    playback?.abort();
    playback = null;
    pendingMarks.clear();
    replyMark = null;
    send(clearMessage(streamSid));
  };

  const listenForSilence = () => {
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => {
      silenceTimer = null;
      if (!speaking() && !digits && !leaving) enqueue({ type: 'no-input' });
    }, settings.noInputSeconds * 1_000);
  };

  const speak = async (words: Speech, slow: boolean): Promise<void> => {
    if (!speech || words.length === 0) return;
    const controller = new AbortController();
    playback = controller;
    const framer = createFramer();
    const sendFrames = (frames: Buffer[]) => {
      for (const frame of frames) send(mediaMessage(streamSid, frame));
    };
    try {
      await speech.synthesize(
        { speech: words, text: renderText(words), locale, slow },
        (audio) => sendFrames(framer.push(audio)),
        controller.signal,
      );
    } catch (error) {
      logger.error({ err: error, callSid }, 'speech synthesis failed');
    }
    if (controller.signal.aborted) return;
    sendFrames(framer.flush());
    playback = null;
    markCount += 1;
    const name = `reply-${markCount}`;
    pendingMarks.add(name);
    replyMark = name;
    send(markMessage(streamSid, name));
  };

  const streamTurn = (input: TurnInput): Turn => ({
    turnId: randomUUID(),
    channel: 'stream',
    sessionId: sessionIdOf(callSid),
    locale,
    ...(callerId ? { callerId } : {}),
    input,
    capabilities: {
      ssmlDialect: deps.speech.name === 'azure' ? 'azure' : 'generic',
      canTransfer: canTransfer(settings),
      progressiveResponse: false,
      screen: false,
      dtmf: true,
    },
  });

  const runTurn = async (input: TurnInput): Promise<void> => {
    if (hungUp && input.type !== 'end') return;
    const result = await takeTurn(deps.conversation, streamTurn(input));
    if (input.type === 'end') return;
    const before = session;
    session = result.session;
    expecting = result.reply.expecting;
    // After a goodbye or a transfer, the stream closes once the caller has heard it; an offered callback goes on.
    leaving = nextStep({ ...result.reply, handoff: result.handoff }, canTransfer(settings)) !== 'listen';
    let words = result.reply.speech;
    if (keypadOnly && !leaving && !changedVariants(before, result.session, ENGINE_KEYPAD_PROMPTS)) {
      const localeModel = deps.conversation.current().model.locales[locale];
      const guide = localeModel ? keypadGuide(localeModel, expecting, deps.conversation.random) : null;
      if (guide) words = [...words, { kind: 'text', text: ' ' }, ...guide];
    }
    await speak(words, result.reply.slow);
  };

  const enqueue = (input: TurnInput) => {
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = null;
    turns = turns
      .then(() => runTurn(input))
      .catch((error) => {
        recordWebhookFailure(deps.metrics, 'stream', failureReasonOf(error));
        logger.error({ err: error, callSid, input: input.type }, 'stream turn failed');
        // No dead air: hand the call back to Twilio, whose <Connect> action carries on by webhooks (and, if Loket is
        // still failing there, apologises and transfers).
        if (input.type !== 'end' && !hungUp) {
          leaving = true;
          socket.close(1011, 'turn failed');
        }
      });
  };

  const finishDigits = () => {
    if (digitTimer) clearTimeout(digitTimer);
    digitTimer = null;
    const entered = digits;
    digits = '';
    if (entered) enqueue({ type: 'dtmf', digits: entered });
  };

  const onDigit = (digit: string) => {
    if (leaving) return;
    bargeIn();
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = null;
    const keyingNumber =
      (expecting?.type === 'slot' || expecting?.type === 'verification') && canBeKeyedIn(expecting.entity);
    if (!keyingNumber) {
      // A menu choice or a yes/no is one key, acted on at once.
      if (digit !== '#') enqueue({ type: 'dtmf', digits: digit });
      return;
    }
    if (digit === '#') {
      finishDigits();
      return;
    }
    digits += digit;
    if (digitTimer) clearTimeout(digitTimer);
    digitTimer = setTimeout(finishDigits, INTER_DIGIT_SECONDS * 1_000);
  };

  const hangUp = () => {
    if (hungUp) return;
    hungUp = true;
    stopTimers();
    playback?.abort();
    // The hang-up closes the session; the transcript is already in the records store.
    if (callSid && !leaving) enqueue({ type: 'end', reason: 'caller hung up' });
    turns = turns.then(async () => {
      await speech?.close();
      speech = null;
    });
  };

  const start = (message: StartMessage) => {
    streamSid = message.start.streamSid;
    callSid = message.start.callSid;
    locale = localeFor(message.start, deps);
    callerId = callerIdOf(message.start.customParameters?.from);
    speech = deps.speech.openCall(locale, {
      onSpeechStart: () => {
        if (silenceTimer) clearTimeout(silenceTimer);
        silenceTimer = null;
        bargeIn();
      },
      onRecognized: (text, confidence) => {
        if (leaving || hungUp) return;
        enqueue(
          confidence === undefined
            ? { type: 'text', text }
            : { type: 'text', text, asrConfidence: confidence },
        );
      },
      onError: (error) => logger.error({ err: error, callSid }, 'speech recognition failed'),
    });
    logger.info({ callSid, streamSid, locale, speech: deps.speech.name }, 'media stream started');
    enqueue({ type: 'launch' });
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = parseInbound(data.toString());
    if (!message) return;
    switch (message.event) {
      case 'connected':
        return;
      case 'start':
        if (!callSid) start(message);
        return;
      case 'media':
        if (message.media.track && message.media.track !== 'inbound') return;
        speech?.pushAudio(Buffer.from(message.media.payload, 'base64'));
        return;
      case 'dtmf':
        onDigit(message.dtmf.digit);
        return;
      case 'mark': {
        pendingMarks.delete(message.mark.name);
        if (message.mark.name !== replyMark) return;
        replyMark = null;
        // The caller has heard the whole reply: leave now, or start waiting (patiently) for an answer.
        if (leaving) socket.close(1000, 'conversation handed on');
        else listenForSilence();
        return;
      }
      case 'stop':
        hangUp();
        return;
    }
  });
  socket.on('close', () => {
    // Loket closes the socket itself after a goodbye or a handoff; any other close is the caller going away.
    if (!leaving) hangUp();
    else {
      stopTimers();
      turns = turns.then(async () => {
        await speech?.close();
        speech = null;
      });
    }
  });
  socket.on('error', (error) => logger.warn({ err: error, callSid }, 'media stream socket error'));
}
