// Renders a reply as a Dialogflow CX webhook response: google.cloud.dialogflow.cx.v3.WebhookResponse in its JSON form.
// https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookResponse
import type { CxWebhookRequest } from './cx-request.ts';
import type { PhoneGateway } from './phone-gateway.ts';
import { expectationLabel, type WebhookReply } from './webhook-reply.ts';

/** One google.cloud.dialogflow.cx.v3.ResponseMessage; exactly one of its `message` oneof is set. */
export type CxResponseMessage =
  | { text: { text: string[] } }
  | { outputAudioText: { ssml: string } }
  | { liveAgentHandoff: { metadata: Record<string, string> } }
  | { telephonyTransferCall: { phoneNumber: string } };

export interface CxWebhookResponse {
  fulfillmentResponse: { messages: CxResponseMessage[]; mergeBehavior: 'REPLACE' };
  sessionInfo: { parameters: Record<string, string | boolean> };
  targetPage?: string;
}

// The start flow of every CX agent has this id; END_SESSION is the symbolic page that ends the session.
// https://cloud.google.com/dialogflow/cx/docs/concept/handler#symbolic (`endInteraction` is output-only in a
// ResponseMessage, so Dialogflow would drop it from a webhook response: a webhook ends a session by moving there.)
const DEFAULT_START_FLOW = '00000000-0000-0000-0000-000000000000';

export function endSessionPage(request: CxWebhookRequest): string | null {
  const page = /^(projects\/[^/]+\/locations\/[^/]+\/agents\/[^/]+\/flows\/[^/]+)\/pages\/[^/]+$/.exec(
    request.pageInfo?.currentPage ?? '',
  );
  if (page) return `${page[1]}/pages/END_SESSION`;
  const agent = /^(projects\/[^/]+\/locations\/[^/]+\/agents\/[^/]+)\//.exec(request.sessionInfo.session);
  return agent ? `${agent[1]}/flows/${DEFAULT_START_FLOW}/pages/END_SESSION` : null;
}

export function cxWebhookResponse(
  reply: WebhookReply,
  request: CxWebhookRequest,
  phone: PhoneGateway | null,
  agentPhoneNumber: string | null,
): CxWebhookResponse {
  // With an outputAudioText present, voice channels speak that and show the text: both are needed.
  // (See the ResponseMessage comment in google/cloud/dialogflow/cx/v3/response_message.proto.)
  const messages: CxResponseMessage[] = [];
  if (reply.text) messages.push({ text: { text: [reply.text] } });
  messages.push({ outputAudioText: { ssml: reply.ssml } });
  const parameters: Record<string, string | boolean> = {
    loket_expecting: expectationLabel(reply),
    loket_ended: reply.end,
  };
  const transfer = reply.handoff !== null && phone !== null && agentPhoneNumber !== null;
  if (reply.handoff) {
    const { id, code, reason, queue } = reply.handoff;
    // A contact-centre integration reads the handoff from this metadata and fetches the package by its id.
    messages.push({
      liveAgentHandoff: {
        metadata: { reason, queue, ...(id ? { handoffId: id } : {}), ...(code ? { code } : {}) },
      },
    });
    if (transfer) messages.push({ telephonyTransferCall: { phoneNumber: agentPhoneNumber } });
    Object.assign(parameters, {
      loket_handoff_reason: reason,
      loket_handoff_queue: queue,
      ...(id ? { loket_handoff_id: id } : {}),
      ...(code ? { loket_handoff_code: code } : {}),
    });
  }
  // A transfer ends the call's time with us anyway; ending the session as well could hang up before it connects.
  const target = reply.end && !transfer ? endSessionPage(request) : null;
  return {
    fulfillmentResponse: { messages, mergeBehavior: 'REPLACE' },
    sessionInfo: { parameters },
    ...(target ? { targetPage: target } : {}),
  };
}
