// Recognises a call through Dialogflow's phone gateway from the request payload, and reads the caller id from it.
import { z } from 'zod';

// The gateway puts `{"telephony": {"caller_id": "+18558363987"}}` in the payload; trial agents get a redacted id.
// https://cloud.google.com/dialogflow/es/docs/reference/rest/v2/OriginalDetectIntentRequest and
// https://cloud.google.com/dialogflow/cx/docs/concept/integration/phone-gateway
const telephonyPayloadSchema = z.looseObject({
  telephony: z.looseObject({ caller_id: z.string().optional() }),
});

export interface PhoneGateway {
  /** E.164, or null when the gateway redacted or left it out */
  callerId: string | null;
}

export function phoneGatewayOf(payload: unknown): PhoneGateway | null {
  const parsed = telephonyPayloadSchema.safeParse(payload);
  if (!parsed.success) return null;
  const callerId = parsed.data.telephony.caller_id?.replace(/[\s()-]/g, '') ?? '';
  return { callerId: /^\+?[1-9]\d{5,14}$/.test(callerId) ? callerId : null };
}
