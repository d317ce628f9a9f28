// The form fields Twilio posts to a voice webhook, a <Gather> action and a status callback, parsed with zod (unknown
// fields allowed: Twilio adds them over time). https://www.twilio.com/docs/voice/twiml#request-parameters
import { z } from 'zod';

const field = z.string().optional();

export const twilioVoiceParamsSchema = z.looseObject({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'CallSid must look like CA followed by 32 hex characters'),
  From: field,
  To: field,
  CallStatus: field,
  /** <Gather> results */
  SpeechResult: field,
  Confidence: field,
  Digits: field,
  /** <Dial> action */
  DialCallStatus: field,
  /** <Enqueue> action */
  QueueResult: field,
});
export type TwilioVoiceParams = z.infer<typeof twilioVoiceParamsSchema>;

/** An E.164 caller id, or undefined for "anonymous", "client:…", "sip:…" and other non-numbers. */
export function callerIdOf(from: string | undefined): string | undefined {
  const compact = from?.replace(/[\s()-]/g, '') ?? '';
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : undefined;
}

/**
 * Twilio's speech confidence as a number in [0, 1]. 0 means "not given" (speech engines report 0 when they have no
 * estimate), so it is treated as unknown rather than as a certain miss.
 */
export function confidenceOf(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const confidence = Number(value);
  return Number.isFinite(confidence) && confidence > 0 && confidence <= 1 ? confidence : undefined;
}

export function sessionIdOf(callSid: string): string {
  return `phone:${callSid}`;
}
