// A test peer that speaks Twilio's bidirectional Media Streams protocol over a real WebSocket: it plays Twilio's part
// (connected, start, media, dtmf, mark echoes, stop) and collects what Loket sends back.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import WebSocket from 'ws';
import { AUTH_TOKEN, PUBLIC_URL } from './twilio-client.ts';

export interface Outbound {
  event: string;
  streamSid?: string;
  media?: { payload: string };
  mark?: { name: string };
}

export interface Reply {
  frames: Buffer[];
  /** the mark Loket put after the reply */
  mark: string;
  /** ms from `since` to the first media frame */
  firstFrameMs: number;
}

export class MediaPeer {
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  private sequence = 0;
  private readonly inbox: Outbound[] = [];
  private waiter: (() => void) | null = null;
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.inbox.push(JSON.parse(data.toString()) as Outbound);
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  }

  private send(message: Record<string, unknown>): void {
    this.sequence += 1;
    this.socket.send(JSON.stringify({ ...message, sequenceNumber: String(this.sequence) }));
  }

  start(customParameters: Record<string, string>): void {
    this.socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    this.send({
      event: 'start',
      streamSid: this.streamSid,
      start: {
        streamSid: this.streamSid,
        accountSid: `AC${'0'.repeat(32)}`,
        callSid: this.callSid,
        tracks: ['inbound'],
        customParameters,
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
  }

  /** 20 ms of caller audio (silence) */
  media(): void {
    this.send({
      event: 'media',
      streamSid: this.streamSid,
      media: {
        track: 'inbound',
        chunk: String(this.sequence),
        timestamp: '0',
        payload: Buffer.alloc(160, 0xff).toString('base64'),
      },
    });
  }

  dtmf(digit: string): void {
    this.send({ event: 'dtmf', streamSid: this.streamSid, dtmf: { track: 'inbound_track', digit } });
  }

  keys(digits: string): void {
    for (const digit of digits) this.dtmf(digit);
  }

  /** Twilio echoes a mark once the audio before it has been played. */
  played(name: string): void {
    this.send({ event: 'mark', streamSid: this.streamSid, mark: { name } });
  }

  stop(): void {
    this.send({
      event: 'stop',
      streamSid: this.streamSid,
      stop: { accountSid: `AC${'0'.repeat(32)}`, callSid: this.callSid },
    });
  }

  /** The next message Loket sent that matches, waiting up to `timeoutMs`; earlier non-matching ones are dropped. */
  async next(matches: (message: Outbound) => boolean, timeoutMs = 15_000): Promise<Outbound> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.inbox.length > 0) {
        const message = this.inbox.shift() as Outbound;
        if (matches(message)) return message;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message from Loket');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  /** Media frames up to the next mark: one spoken reply. */
  async reply(since = Date.now(), timeoutMs = 20_000): Promise<Reply> {
    const frames: Buffer[] = [];
    let firstFrameMs = Number.NaN;
    for (;;) {
      const message = await this.next(
        (candidate) => candidate.event === 'media' || candidate.event === 'mark',
        timeoutMs,
      );
      if (message.event === 'mark') return { frames, mark: message.mark?.name ?? '', firstFrameMs };
      if (frames.length === 0) firstFrameMs = Date.now() - since;
      frames.push(Buffer.from(message.media?.payload ?? '', 'base64'));
    }
  }

  /** Messages already received and not yet read. */
  pending(): Outbound[] {
    return [...this.inbox];
  }

  close(): void {
    this.socket.close();
  }
}

export function streamSignature(path = '/telephony/stream'): string {
  return twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL.replace(/^http/, 'ws')}${path}`, {});
}

/** Opens the media stream as Twilio would; rejects with the HTTP status when the upgrade is refused. */
export function openStream(
  serverUrl: string,
  options: { signature?: string | null; path?: string } = {},
): Promise<MediaPeer> {
  const path = options.path ?? '/telephony/stream';
  const signature = options.signature === undefined ? streamSignature(path) : options.signature;
  const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}${path}`, {
    headers: signature ? { 'x-twilio-signature': signature } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(new MediaPeer(socket)));
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`upgrade refused with ${response.statusCode}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}
