// The proto checker itself: it must reject what Dialogflow would drop, or the webhook tests prove nothing.
import { describe, expect, it } from 'vitest';
import { protoProblems } from './proto-check.ts';

const CX_RESPONSE = 'google.cloud.dialogflow.cx.v3.WebhookResponse';
const ES_RESPONSE = 'google.cloud.dialogflow.v2.WebhookResponse';
const ES_BETA_RESPONSE = 'google.cloud.dialogflow.v2beta1.WebhookResponse';
const strict = { rejectOutputOnly: true };

describe('protoProblems', () => {
  it('accepts a well-formed CX webhook response', () => {
    const response = {
      fulfillmentResponse: {
        messages: [{ text: { text: ['Hallo'] } }, { outputAudioText: { ssml: '<speak>Hallo</speak>' } }],
        mergeBehavior: 'REPLACE',
      },
      sessionInfo: { parameters: { loket_expecting: 'none', loket_ended: false, list: [1, 'a', null] } },
      targetPage: 'projects/p/locations/global/agents/a/flows/f/pages/END_SESSION',
    };
    expect(protoProblems(CX_RESPONSE, response, strict)).toEqual([]);
  });

  it('rejects unknown fields, snake_case names and wrong types', () => {
    expect(protoProblems(CX_RESPONSE, { fulfillmentResponse: { messages: [], merge: 'APPEND' } })).toEqual([
      "fulfillmentResponse.merge: no field 'merge' in .google.cloud.dialogflow.cx.v3.WebhookResponse.FulfillmentResponse",
    ]);
    expect(protoProblems(CX_RESPONSE, { fulfillment_response: {} })).toHaveLength(1);
    expect(
      protoProblems(CX_RESPONSE, { fulfillmentResponse: { messages: [{ text: { text: 'x' } }] } }),
    ).toEqual(['fulfillmentResponse.messages[0].text.text: repeated string must be an array']);
    expect(protoProblems(CX_RESPONSE, { fulfillmentResponse: { mergeBehavior: 'MERGE' } })[0]).toMatch(
      /not a value of enum/,
    );
    expect(protoProblems(CX_RESPONSE, { targetPage: null })[0]).toMatch(/null means/);
  });

  it('rejects two members of one oneof, and OUTPUT_ONLY fields when asked to', () => {
    const both = { fulfillmentResponse: { messages: [{ text: { text: ['a'] }, endInteraction: {} }] } };
    expect(protoProblems(CX_RESPONSE, both).join()).toMatch(/oneof message has more than one member/);
    const ending = { fulfillmentResponse: { messages: [{ endInteraction: {} }] } };
    expect(protoProblems(CX_RESPONSE, ending)).toEqual([]);
    expect(protoProblems(CX_RESPONSE, ending, strict)[0]).toMatch(/OUTPUT_ONLY/);
  });

  it('knows that telephony messages and endInteraction exist in ES v2beta1 only', () => {
    const phone = {
      fulfillmentText: 'Hallo',
      fulfillmentMessages: [
        { platform: 'TELEPHONY', telephonySynthesizeSpeech: { ssml: '<speak>Hallo</speak>' } },
      ],
      endInteraction: true,
    };
    expect(protoProblems(ES_BETA_RESPONSE, phone, strict)).toEqual([]);
    const v2 = protoProblems(ES_RESPONSE, phone, strict).join('\n');
    expect(v2).toMatch(/"TELEPHONY" is not a value of enum/);
    expect(v2).toMatch(/no field 'telephonySynthesizeSpeech'/);
    expect(v2).toMatch(/no field 'endInteraction'/);
  });
});
