// The Dialogflow CX webhook request, as far as Loket reads it: google.cloud.dialogflow.cx.v3.WebhookRequest in its JSON
// form. https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookRequest
// Objects are loose because Google keeps adding fields ("You may see undocumented fields in an actual request").
import { z } from 'zod';

const parameterValueSchema = z.looseObject({
  originalValue: z.string().optional(),
  /** google.protobuf.Value: a string, number, boolean, struct (a date is {year, month, day}) or list */
  resolvedValue: z.unknown().optional(),
});

export const cxWebhookRequestSchema = z.looseObject({
  detectIntentResponseId: z.string().max(200).optional(),
  languageCode: z.string().min(1, 'languageCode is empty').max(35),
  fulfillmentInfo: z.looseObject({ tag: z.string().max(200).optional() }).optional(),
  intentInfo: z
    .looseObject({
      lastMatchedIntent: z.string().optional(),
      displayName: z.string().max(200).optional(),
      parameters: z.record(z.string(), parameterValueSchema).optional(),
      confidence: z.number().optional(),
    })
    .optional(),
  pageInfo: z
    .looseObject({ currentPage: z.string().optional(), displayName: z.string().optional() })
    .optional(),
  sessionInfo: z.looseObject({
    // projects/<P>/locations/<L>/agents/<A>/[environments/<E>/]sessions/<S>
    session: z
      .string()
      .max(500)
      .regex(/(^|\/)[^/\s]{1,128}$/, 'sessionInfo.session must end in a session id'),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
  // The query oneof: at most one of these is set.
  text: z.string().max(5000).optional(),
  triggerIntent: z.string().optional(),
  transcript: z.string().max(5000).optional(),
  triggerEvent: z.string().max(200).optional(),
  dtmfDigits: z.string().max(64).optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

export type CxWebhookRequest = z.infer<typeof cxWebhookRequestSchema>;
