// The media stream with a provider that hears speech (as Azure does), over a real WebSocket: speaking during playback
// clears it (barge-in), and recognised words become turns with their confidence. The provider is a stand-in that
// "recognises" scripted words when the caller's audio is loud, so no cloud is needed.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { handleMediaCall } from '../../fulfillment/channels/telephony/media-call.ts';
import { readTelephonySettings } from '../../fulfillment/channels/telephony/settings.ts';
import type { CallSpeech, RecognitionListener, SpeechProvider } from '../../fulfillment/speech/provider.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MediaPeer } from './media-peer.ts';
import { STRANGER } from './twilio-client.ts';

/** Words the stand-in recogniser hears next, with their confidence. */
const script: [string, number][] = [];
const opened: { locale: string; closed: boolean; audioBytes: number }[] = [];

const scriptedProvider: SpeechProvider = {
  name: 'azure',
  understandsSpeech: true,
  openCall: (locale: string, listener: RecognitionListener): CallSpeech => {
    const call = { locale, closed: false, audioBytes: 0 };
    opened.push(call);
    let loudFrames = 0;
    return {
      pushAudio: (mulaw) => {
        call.audioBytes += mulaw.length;
        // μ-law 0xff and 0x7f are silence; anything far from them counts as the caller talking.
        const loud = mulaw.some((byte) => (byte & 0x7f) < 0x60);
        if (!loud) return;
        loudFrames += 1;
        if (loudFrames === 1) listener.onSpeechStart();
        if (loudFrames === 10) {
          loudFrames = 0;
          const [text, confidence] = script.shift() ?? ['', 0];
          if (text) listener.onRecognized(text, confidence);
        }
      },
      synthesize: async (_request, onAudio, signal) => {
        // Two seconds of "speech", delivered in 100 ms pieces as a real synthesiser would.
        for (let piece = 0; piece < 20 && !signal.aborted; piece += 1) {
          onAudio(Buffer.alloc(800, 0x20));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      },
      close: async () => {
        call.closed = true;
      },
    };
  },
};

let server: TestServer;
let streams: WebSocketServer;
let streamUrl: string;
beforeAll(async () => {
  server = await startTestServer({ LOKET_TWILIO_VERIFY: 'false', LOKET_PHONE_NO_INPUT_SECONDS: '30' });
  const settings = readTelephonySettings(server.runtime.settings.env, server.runtime.locales());
  streams = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => streams.once('listening', resolve));
  streams.on('connection', (socket) =>
    handleMediaCall(socket, {
      conversation: server.runtime.deps,
      settings,
      speech: scriptedProvider,
      locales: server.runtime.locales,
      logger: server.runtime.deps.logger,
    }),
  );
  streamUrl = `ws://127.0.0.1:${(streams.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => streams?.close(resolve));
  await server?.close();
});

function talk(peer: MediaPeer, frames: number): void {
  for (let frame = 0; frame < frames; frame += 1) {
    peer.socket.send(
      JSON.stringify({
        event: 'media',
        streamSid: peer.streamSid,
        media: { track: 'inbound', payload: Buffer.alloc(160, 0x10).toString('base64') },
      }),
    );
  }
}

describe('a stream that hears speech', () => {
  it('clears playback when the caller talks over it, and answers the words with their confidence', async () => {
    const socket = new WebSocket(streamUrl);
    await new Promise((resolve) => socket.once('open', resolve));
    const peer = new MediaPeer(socket);
    peer.start({ locale: 'nl-NL', from: STRANGER });

    // The greeting starts playing; the caller talks over it: clear, then the words are a turn.
    await peer.next((message) => message.event === 'media');
    script.push(['waar blijft mijn bestelling', 0.92]);
    talk(peer, 10);
    const clear = await peer.next((message) => message.event === 'clear');
    expect(clear.streamSid).toBe(peer.streamSid);
    const question = await peer.reply();
    expect(question.frames.length).toBeGreaterThan(50);
    peer.played(question.mark);
    const asked = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    expect(asked?.expecting).toMatchObject({ type: 'slot', slot: 'orderNumber' });

    // A number heard with little confidence is read back for a yes (the engine, on the phone).
    script.push(['vier vijf een twee drie', 0.35]);
    talk(peer, 10);
    const readBack = await peer.reply();
    peer.played(readBack.mark);
    const confirming = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    expect(confirming?.expecting).toMatchObject({ type: 'confirmation', about: 'slot', slot: 'orderNumber' });

    script.push(['ja', 0.95]);
    talk(peer, 10);
    await peer.reply();
    const answered = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    expect(answered?.history.at(-1)).toMatchObject({
      intent: 'OrderStatus',
      slots: { orderNumber: '45123' },
    });
    expect(opened.at(-1)?.audioBytes).toBe(30 * 160);

    // Hang-up: the session closes and the provider's recogniser and synthesiser are released.
    peer.stop();
    peer.close();
    await waitFor(
      async () => (await server.runtime.deps.sessions.load(`phone:${peer.callSid}`))?.ended || null,
    );
    await waitFor(async () => opened.at(-1)?.closed || null);
    const transcript = await server.runtime.deps.records.listTranscript(`phone:${peer.callSid}`);
    const numberTurn = transcript.find(
      (entry) => entry.speaker === 'customer' && /vier vijf/.test(entry.text),
    );
    expect(numberTurn).toBeDefined();
  });
});

async function waitFor<T>(check: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
