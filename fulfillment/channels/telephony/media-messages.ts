// Twilio's bidirectional Media Streams protocol: the JSON messages Twilio sends (connected, start, media, dtmf, mark,
// stop) parsed with zod, and the ones Loket sends back (media, mark, clear).
// https://www.twilio.com/docs/voice/media-streams/websocket-messages
import { z } from 'zod';

const connectedSchema = z.looseObject({ event: z.literal('connected'), protocol: z.string().optional() });

const startSchema = z.looseObject({
  event: z.literal('start'),
  sequenceNumber: z.string().optional(),
  streamSid: z.string().optional(),
  start: z.looseObject({
    streamSid: z.string().min(1),
    callSid: z.string().min(1),
    accountSid: z.string().optional(),
    tracks: z.array(z.string()).optional(),
    customParameters: z.record(z.string(), z.string()).optional(),
    mediaFormat: z
      .looseObject({ encoding: z.string(), sampleRate: z.number(), channels: z.number() })
      .optional(),
  }),
});

const mediaSchema = z.looseObject({
  event: z.literal('media'),
  streamSid: z.string().optional(),
  media: z.looseObject({
    track: z.string().optional(),
    chunk: z.string().optional(),
    timestamp: z.string().optional(),
    payload: z.string(),
  }),
});

const dtmfSchema = z.looseObject({
  event: z.literal('dtmf'),
  streamSid: z.string().optional(),
  dtmf: z.looseObject({ track: z.string().optional(), digit: z.string().regex(/^[0-9*#A-D]$/) }),
});

const markSchema = z.looseObject({
  event: z.literal('mark'),
  streamSid: z.string().optional(),
  mark: z.looseObject({ name: z.string() }),
});

const stopSchema = z.looseObject({
  event: z.literal('stop'),
  streamSid: z.string().optional(),
  stop: z.looseObject({ callSid: z.string().optional() }).optional(),
});

export const inboundMessageSchema = z.discriminatedUnion('event', [
  connectedSchema,
  startSchema,
  mediaSchema,
  dtmfSchema,
  markSchema,
  stopSchema,
]);
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
export type StartMessage = z.infer<typeof startSchema>;

/** A message Loket does not know (or a broken one) is ignored, never fatal: Twilio may add events. */
export function parseInbound(data: string): InboundMessage | null {
  try {
    const parsed = inboundMessageSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** 20 ms of 8 kHz μ-law for the caller to hear. */
export function mediaMessage(streamSid: string, frame: Uint8Array): string {
  return JSON.stringify({
    event: 'media',
    streamSid,
    media: { payload: Buffer.from(frame).toString('base64') },
  });
}

/** Twilio echoes a mark back once everything sent before it has been played to the caller. */
export function markMessage(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

/** Drops the audio Twilio still has buffered: the caller barged in. */
export function clearMessage(streamSid: string): string {
  return JSON.stringify({ event: 'clear', streamSid });
}
