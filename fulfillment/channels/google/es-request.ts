// The Dialogflow ES webhook request, as far as Loket reads it: google.cloud.dialogflow.v2.WebhookRequest in its JSON
// form (v2beta1 adds fields, which the loose objects let through).
// https://cloud.google.com/dialogflow/es/docs/reference/rest/v2/WebhookRequest
import { z } from 'zod';

const contextSchema = z.looseObject({
  name: z.string(),
  lifespanCount: z.number().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const esWebhookRequestSchema = z.looseObject({
  // projects/<P>/[locations/<L>/]agent/[environments/<E>/users/<U>/]sessions/<S>
  session: z
    .string()
    .max(500)
    .regex(/\/sessions\/[^/\s]{1,128}$/, 'session must be projects/<project>/agent/sessions/<session id>'),
  responseId: z.string().max(200).optional(),
  queryResult: z.looseObject({
    queryText: z.string().max(5000).optional(),
    languageCode: z.string().min(1, 'languageCode is empty').max(35),
    parameters: z.record(z.string(), z.unknown()).optional(),
    allRequiredParamsPresent: z.boolean().optional(),
    intent: z
      .looseObject({ name: z.string().optional(), displayName: z.string().max(200).optional() })
      .optional(),
    intentDetectionConfidence: z.number().optional(),
    outputContexts: z.array(contextSchema).optional(),
  }),
  originalDetectIntentRequest: z
    .looseObject({
      source: z.string().optional(),
      version: z.string().optional(),
      payload: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export type EsWebhookRequest = z.infer<typeof esWebhookRequestSchema>;
