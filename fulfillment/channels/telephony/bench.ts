// The phone line's part of `npm run bench`: signed Twilio <Gather> results under load, and on the media stream the
// time from the caller's final key to the first outbound audio frame, with the offline voice (espeak-ng).
import { createHash, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { twilioSignature } from './signature.ts';

/** Not a secret: the bench server exists for the length of the run, on loopback. */
const BENCH_TOKEN = randomBytes(16).toString('hex');
const BENCH_PUBLIC_URL = 'https://loket-bench.example.com';

/** What the bench's Loket server needs to answer signed Twilio requests and to run the media stream offline. */
export const PHONE_BENCH_ENV: Readonly<Record<string, string>> = {
  LOKET_TWILIO_AUTH_TOKEN: BENCH_TOKEN,
  LOKET_PUBLIC_URL: BENCH_PUBLIC_URL,
  LOKET_AGENT_SIP_URI: 'sip:agents@pbx.bench.example',
  LOKET_PHONE_STREAM: 'true',
};

export interface BenchTurn {
  sessionId: string;
  locale: string;
  text: string;
}

export interface LoadCounts {
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** A CallSid per bench session, stable, in Twilio's shape. */
function callSidOf(sessionId: string): string {
  return `CA${createHash('sha256').update(sessionId).digest('hex').slice(0, 32)}`;
}

/** One <Gather> result as Twilio posts it: the form body and its signature. */
export function gatherRequest(turn: BenchTurn): { path: string; body: string; signature: string } {
  const path = `/telephony/twilio/gather?locale=${turn.locale}`;
  const params = {
    CallSid: callSidOf(turn.sessionId),
    AccountSid: `AC${'0'.repeat(32)}`,
    From: '+31611112222',
    To: '+31201234567',
    CallStatus: 'in-progress',
    SpeechResult: turn.text,
    Confidence: '0.91',
  };
  return {
    path,
    body: new URLSearchParams(params).toString(),
    signature: twilioSignature(BENCH_TOKEN, `${BENCH_PUBLIC_URL}${path}`, params),
  };
}

/** Drives POST /telephony/twilio/gather with signed, varied speech results; latency per response in ms. */
export function loadPhoneWebhook(
  baseUrl: string,
  seconds: number,
  connections: number,
  nextTurn: () => BenchTurn,
): Promise<{ counts: LoadCounts; latenciesMs: number[] }> {
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    const instance = autocannon(
      {
        url: `${baseUrl}/telephony/twilio/gather`,
        method: 'POST',
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => {
              const { path, body, signature } = gatherRequest(nextTurn());
              return {
                ...request,
                path,
                body,
                headers: {
                  ...request.headers,
                  'content-type': 'application/x-www-form-urlencoded',
                  'x-twilio-signature': signature,
                },
              };
            },
          },
        ],
      },
      (error, result) =>
        error
          ? reject(error)
          : resolve({
              counts: {
                requests: result.requests.total,
                seconds: result.duration,
                non2xx: result.non2xx,
                errors: result.errors,
                timeouts: result.timeouts,
              },
              latenciesMs,
            }),
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => latenciesMs.push(responseTimeMs));
  });
}

interface StreamMessage {
  event: string;
  mark?: { name: string };
}

/** A minimal Twilio side of the media stream, enough to time replies. */
class BenchStream {
  private readonly inbox: StreamMessage[] = [];
  private wake: (() => void) | null = null;
  private readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.inbox.push(JSON.parse(data.toString()) as StreamMessage);
      this.wake?.();
    });
  }

  static open(baseUrl: string): Promise<BenchStream> {
    const path = '/telephony/stream';
    const signature = twilioSignature(BENCH_TOKEN, `${BENCH_PUBLIC_URL.replace(/^http/, 'ws')}${path}`, {});
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, {
      headers: { 'x-twilio-signature': signature },
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new BenchStream(socket)));
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`media stream refused with ${response.statusCode}`)),
      );
    });
  }

  send(message: Record<string, unknown>): void {
    this.socket.send(JSON.stringify({ ...message, streamSid: this.streamSid }));
  }

  start(locale: string): void {
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({
      event: 'start',
      start: {
        streamSid: this.streamSid,
        callSid: `CA${randomBytes(16).toString('hex')}`,
        tracks: ['inbound'],
        customParameters: { locale, from: '+31611112222' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
  }

  keys(digits: string): void {
    for (const digit of digits) this.send({ event: 'dtmf', dtmf: { track: 'inbound_track', digit } });
  }

  async next(timeoutMs = 15_000): Promise<StreamMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the media stream sent nothing in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
    return this.inbox.shift() as StreamMessage;
  }

  /** Waits for the reply's first frame (timed from `since`), plays it out, and acknowledges its mark. */
  async reply(since: number): Promise<number> {
    let firstFrameMs = Number.NaN;
    for (;;) {
      const message = await this.next();
      if (message.event === 'media' && Number.isNaN(firstFrameMs)) firstFrameMs = performance.now() - since;
      if (message.event === 'mark' && message.mark) {
        this.send({ event: 'mark', mark: { name: message.mark.name } });
        return firstFrameMs;
      }
    }
  }

  close(): void {
    this.send({ event: 'stop', stop: {} });
    this.socket.close();
  }
}

/**
 * On the media stream, with the offline voice: the time from the caller's final key (the menu choice, or the # after
 * an order number) to the first 20 ms audio frame of the reply, over `turns` turns in a few calls.
 */
export async function measureStreamLatency(baseUrl: string, turns: number): Promise<number[]> {
  const latenciesMs: number[] = [];
  const perCall = 10;
  for (let call = 0; latenciesMs.length < turns; call += 1) {
    const stream = await BenchStream.open(baseUrl);
    stream.start(call % 2 === 0 ? 'nl-NL' : 'en-US');
    await stream.reply(performance.now());
    for (let turn = 0; turn < perCall && latenciesMs.length < turns; turn += 1) {
      // 2 picks the order from the menu; then the order number, ended with #; the answer asks "anything else?".
      const keys = turn % 2 === 0 ? '2' : '45123#';
      stream.keys(keys);
      latenciesMs.push(await stream.reply(performance.now()));
    }
    stream.close();
  }
  return latenciesMs;
}
