// Renders a reply as a Dialogflow ES webhook response: google.cloud.dialogflow.v2.WebhookResponse in its JSON form, and
// on the phone gateway the v2beta1 additions it needs (TELEPHONY messages, endInteraction, liveAgentHandoff).
// https://cloud.google.com/dialogflow/es/docs/reference/rest/v2/WebhookResponse
// https://cloud.google.com/dialogflow/es/docs/reference/rest/v2beta1/WebhookResponse
import type { EsWebhookRequest } from './es-request.ts';
import type { PhoneGateway } from './phone-gateway.ts';
import { expectationLabel, type WebhookReply } from './webhook-reply.ts';

/** One google.cloud.dialogflow.v2(beta1).Intent.Message; exactly one of its `message` oneof is set. */
export type EsMessage =
  | { text: { text: string[] } }
  | { platform: 'TELEPHONY'; telephonySynthesizeSpeech: { ssml: string } }
  | { platform: 'TELEPHONY'; telephonyTransferCall: { phoneNumber: string } };

export interface EsWebhookResponse {
  fulfillmentText: string;
  fulfillmentMessages: EsMessage[];
  source: string;
  outputContexts: { name: string; lifespanCount: number; parameters: Record<string, string | boolean> }[];
  payload?: { loket: { handoff: Record<string, string> } };
  /** v2beta1: hang up after this reply */
  endInteraction?: boolean;
  /** v2beta1 */
  liveAgentHandoff?: boolean;
}

/** Loket's own context: it carries what Loket expects next and any handoff, for the agent's conditions and logs. */
export const LOKET_CONTEXT = 'loket';
const CONTEXT_LIFESPAN_TURNS = 20;

export function esWebhookResponse(
  reply: WebhookReply,
  request: EsWebhookRequest,
  phone: PhoneGateway | null,
  agentPhoneNumber: string | null,
): EsWebhookResponse {
  const messages: EsMessage[] = [];
  // The phone gateway only plays TELEPHONY messages when there are any; SSML needs telephonySynthesizeSpeech.
  // Telephony messages are v2beta1 and only the phone gateway (a beta feature) gets them.
  // https://cloud.google.com/dialogflow/es/docs/integrations/phone-gateway
  if (phone) messages.push({ platform: 'TELEPHONY', telephonySynthesizeSpeech: { ssml: reply.ssml } });
  if (reply.handoff && phone && agentPhoneNumber) {
    messages.push({ platform: 'TELEPHONY', telephonyTransferCall: { phoneNumber: agentPhoneNumber } });
  }
  messages.push({ text: { text: [reply.text] } });

  const parameters: Record<string, string | boolean> = {
    expecting: expectationLabel(reply),
    ended: reply.end,
  };
  let handoff: Record<string, string> | null = null;
  if (reply.handoff) {
    const { id, code, reason, queue } = reply.handoff;
    handoff = { reason, queue, ...(id ? { handoffId: id } : {}), ...(code ? { code } : {}) };
    Object.assign(parameters, { handoffReason: reason, handoffQueue: queue });
    if (id) parameters.handoffId = id;
    if (code) parameters.handoffCode = code;
  }
  return {
    fulfillmentText: reply.text,
    fulfillmentMessages: messages,
    source: 'loket',
    outputContexts: [
      {
        name: `${request.session}/contexts/${LOKET_CONTEXT}`,
        lifespanCount: reply.end ? 0 : CONTEXT_LIFESPAN_TURNS,
        parameters,
      },
    ],
    // The payload reaches the integration or API caller as webhookPayload: how a non-phone frontend learns of a handoff.
    ...(handoff ? { payload: { loket: { handoff } } } : {}),
    ...(phone && reply.end && !(reply.handoff && agentPhoneNumber) ? { endInteraction: true } : {}),
    ...(phone && reply.handoff ? { liveAgentHandoff: true } : {}),
  };
}
