// The media stream through a real WebSocket, with a peer speaking Twilio's protocol and the offline voice (espeak-ng):
// the greeting arrives as μ-law audio, keys drive the conversation, a key during playback clears it (barge-in),
// 0 hands over, and stop hangs up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_BYTES, FRAME_MS } from '../../fulfillment/speech/frames.ts';
import { decodeMulaw } from '../../fulfillment/speech/mulaw.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { openStream } from './media-peer.ts';
import { AUTH_TOKEN, JAN, PUBLIC_URL, postTwilio, SIP_URI, STRANGER } from './twilio-client.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    LOKET_PUBLIC_URL: PUBLIC_URL,
    LOKET_AGENT_SIP_URI: SIP_URI,
    LOKET_PHONE_STREAM: 'true',
    LOKET_PHONE_NO_INPUT_SECONDS: '2',
  });
});
afterAll(async () => {
  await server?.close();
});

function seconds(frames: Buffer[]): number {
  return (frames.length * FRAME_MS) / 1000;
}

/** Root-mean-square level of the μ-law audio: speech, not silence. */
function loudness(frames: Buffer[]): number {
  const samples = decodeMulaw(Buffer.concat(frames));
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

describe('the media stream', () => {
  it('greets in μ-law, takes keys, clears playback on a key, and hands over on 0', async () => {
    const peer = await openStream(server.url);
    peer.start({ locale: 'nl-NL', from: JAN });
    peer.media();

    // The greeting, with the keypad menu (the offline voice hears no words): seconds of 20 ms μ-law frames.
    const greeting = await peer.reply();
    expect(greeting.frames.every((frame) => frame.length === FRAME_BYTES)).toBe(true);
    console.log(`greeting: ${greeting.frames.length} frames, ${seconds(greeting.frames)} s`);
    expect(seconds(greeting.frames)).toBeGreaterThan(5);
    expect(seconds(greeting.frames)).toBeLessThan(30);
    expect(loudness(greeting.frames)).toBeGreaterThan(300);
    const session = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    expect(session?.customer?.firstName).toBe('Jan');
    peer.played(greeting.mark);

    // 2: the order; the question comes with how to key the number in.
    peer.dtmf('2');
    const question = await peer.reply();
    expect(seconds(question.frames)).toBeGreaterThan(1);
    peer.played(question.mark);
    const asked = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    expect(asked?.expecting).toMatchObject({ type: 'slot', slot: 'orderNumber' });

    // A number the backend does not know; while Loket says so, the caller starts keying the right one in: the first
    // key clears the playback (barge-in) and counts as the first digit.
    peer.keys('99999#');
    await peer.next((message) => message.event === 'media');
    peer.dtmf('4');
    const clear = await peer.next((message) => message.event === 'clear' || message.event === 'mark');
    expect(clear).toEqual({ event: 'clear', streamSid: peer.streamSid });
    peer.keys('5123#');
    const answered = await waitFor(async () => {
      const current = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
      return current?.history.find((entry) => entry.slots.orderNumber === '45123') ? current : null;
    });
    expect(answered.history.at(-1)).toMatchObject({ intent: 'OrderStatus', slots: { orderNumber: '45123' } });
    const answer = await peer.reply();
    peer.played(answer.mark);

    // 0 reaches a person: the handoff line, then Loket closes the stream so Twilio can transfer the call.
    peer.dtmf('0');
    const handoffLine = await peer.reply();
    expect(seconds(handoffLine.frames)).toBeGreaterThan(1);
    peer.played(handoffLine.mark);
    expect(await peer.closed).toBe(1000);
    const handedOver = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    const handoff = await server.runtime.deps.records.getHandoff(handedOver?.handoffId ?? '');
    expect(handoff).toMatchObject({ reason: 'asked-for-person', channel: 'stream', locale: 'nl-NL' });
    expect(handedOver?.ended).toBe(false);

    // Twilio then asks the <Connect> action what next: the transfer, with the handoff id in the SIP header.
    const next = await postTwilio(server.url, '/telephony/twilio/stream-ended?locale=nl-NL', {
      CallSid: peer.callSid,
      From: JAN,
      To: '+31201234567',
      CallStatus: 'in-progress',
    });
    expect(String(next.response.Dial.Sip)).toBe(`${SIP_URI}?X-Loket-Handoff=${handoff?.id}`);
  });

  it('reprompts patiently after silence, once the caller has heard the question', async () => {
    const peer = await openStream(server.url);
    peer.start({ locale: 'en-US', from: STRANGER });
    const greeting = await peer.reply();
    const heardAt = Date.now();
    peer.played(greeting.mark);
    const reprompt = await peer.reply(heardAt, 10_000);
    expect(reprompt.firstFrameMs).toBeGreaterThanOrEqual(1_900);
    const session = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
    expect(session?.noInputCount).toBe(1);
    peer.stop();
    peer.close();
  });

  it('closes the session when the caller hangs up (stop), and keeps the transcript', async () => {
    const peer = await openStream(server.url);
    peer.start({ locale: 'nl-NL', from: STRANGER });
    const greeting = await peer.reply();
    peer.played(greeting.mark);
    peer.dtmf('1');
    await peer.reply();
    peer.stop();
    peer.close();
    const ended = await waitFor(async () => {
      const current = await server.runtime.deps.sessions.load(`phone:${peer.callSid}`);
      return current?.ended ? current : null;
    });
    expect(ended.ended).toBe(true);
    const transcript = await server.runtime.deps.records.listTranscript(`phone:${peer.callSid}`);
    expect(transcript.map((entry) => entry.text)).toEqual(expect.arrayContaining(['[launch]', '[dtmf 1]']));
  });

  it('answers the <Connect> action with a hang-up once the conversation is over', async () => {
    const peer = await openStream(server.url);
    peer.start({ locale: 'nl-NL', from: STRANGER });
    const greeting = await peer.reply();
    peer.played(greeting.mark);
    peer.stop();
    peer.close();
    await waitFor(
      async () => (await server.runtime.deps.sessions.load(`phone:${peer.callSid}`))?.ended || null,
    );
    const next = await postTwilio(server.url, '/telephony/twilio/stream-ended?locale=nl-NL', {
      CallSid: peer.callSid,
      From: STRANGER,
      To: '+31201234567',
    });
    expect(next.response.Hangup).toBeDefined();
    expect(next.response.Dial).toBeUndefined();
  });

  it('refuses an upgrade without a valid Twilio signature, and other WebSocket paths', async () => {
    await expect(openStream(server.url, { signature: null })).rejects.toThrow(/403/);
    await expect(openStream(server.url, { signature: 'bm90IGEgc2lnbmF0dXJl' })).rejects.toThrow(/403/);
    await expect(openStream(server.url, { path: '/somewhere/else' })).rejects.toThrow(/404/);
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
