// Accepts Twilio's media-stream WebSocket at /telephony/stream, after checking the X-Twilio-Signature Twilio puts on
// the upgrade request (over the wss:// URL, no parameters), and hands each connection to handleMediaCall.
// https://www.twilio.com/docs/voice/media-streams#secure-your-websocket-server
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { recordWebhookFailure } from '../../observability/metrics.ts';
import type { Runtime } from '../../server/runtime.ts';
import type { SpeechProvider } from '../../speech/provider.ts';
import { handleMediaCall } from './media-call.ts';
import { readTelephonySettings, type TelephonySettings } from './settings.ts';
import { isValidTwilioSignature } from './signature.ts';
import { speechProviderFor } from './speech-provider.ts';

export const STREAM_PATH = '/telephony/stream';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

function refuse(socket: Duplex, status: string, reason: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\r\n`);
}

/** Why an upgrade is refused, or null when Twilio signed it. */
export function streamRefusal(settings: TelephonySettings, request: IncomingMessage): string | null {
  if (!settings.verify) return null;
  if (!settings.authToken || !settings.publicUrl) {
    return 'the phone line is not configured: set LOKET_TWILIO_AUTH_TOKEN and LOKET_PUBLIC_URL';
  }
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string') return 'missing X-Twilio-Signature';
  const path = request.url ?? STREAM_PATH;
  const wss = `${settings.publicUrl.replace(/^http/, 'ws')}${path}`;
  const https = `${settings.publicUrl}${path}`;
  // Twilio signs the URL it opened (wss://); the https:// form is accepted too, for proxies that rewrite the scheme.
  const valid = [wss, https].some((url) =>
    isValidTwilioSignature(settings.authToken ?? '', signature, url, {}),
  );
  return valid ? null : 'X-Twilio-Signature does not match';
}

export interface StreamUpgradeOptions {
  /** the speech provider; chosen from the settings unless given */
  speech?: SpeechProvider;
}

export function telephonyStreamUpgrade(runtime: Runtime, options: StreamUpgradeOptions = {}): UpgradeHandler {
  const settings = readTelephonySettings(runtime.settings.env, runtime.locales());
  const speech = options.speech ?? speechProviderFor(settings);
  // Media frames are small; a megabyte is far beyond any message Twilio sends.
  const server = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const { logger } = runtime.deps;
  return (request, socket, head) => {
    const refusal = streamRefusal(settings, request);
    if (refusal) {
      logger.warn({ path: request.url, reason: refusal }, 'media stream refused');
      recordWebhookFailure(runtime.metrics, 'stream', 'signature');
      refuse(socket, '403 Forbidden', `forbidden: ${refusal}`);
      return;
    }
    server.handleUpgrade(request, socket, head, (websocket) => {
      handleMediaCall(websocket, {
        conversation: runtime.deps,
        settings,
        speech,
        locales: runtime.locales,
        logger,
        metrics: runtime.metrics,
      });
    });
  };
}
