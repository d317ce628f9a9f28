// The parts of an Alexa request envelope Loket reads, as zod schemas that let every other field through.
// Shapes: https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html
// and https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-types-reference.html
import { z } from 'zod';

const resolutionsSchema = z.looseObject({
  resolutionsPerAuthority: z
    .array(
      z.looseObject({
        authority: z.string().optional(),
        status: z.looseObject({ code: z.string() }),
        values: z
          .array(z.looseObject({ value: z.looseObject({ name: z.string(), id: z.string().optional() }) }))
          .optional(),
      }),
    )
    .optional(),
});

const slotSchema = z.looseObject({
  name: z.string(),
  value: z.string().optional(),
  confirmationStatus: z.string().optional(),
  resolutions: resolutionsSchema.optional(),
  /** the newer form of the same value; `Simple` carries value and resolutions like the old fields */
  slotValue: z
    .looseObject({
      type: z.string(),
      value: z.string().optional(),
      resolutions: resolutionsSchema.optional(),
    })
    .optional(),
});
export type AlexaSlot = z.infer<typeof slotSchema>;

const intentSchema = z.looseObject({
  name: z.string().min(1),
  confirmationStatus: z.string().optional(),
  slots: z.record(z.string(), slotSchema).optional(),
});
export type AlexaIntent = z.infer<typeof intentSchema>;

const applicationSchema = z.looseObject({ applicationId: z.string().min(1) });

export const alexaEnvelopeSchema = z
  .looseObject({
    version: z.string(),
    session: z
      .looseObject({
        new: z.boolean().optional(),
        sessionId: z.string().min(1).max(256),
        application: applicationSchema.optional(),
        user: z.looseObject({ userId: z.string(), accessToken: z.string().optional() }).optional(),
      })
      .optional(),
    context: z
      .looseObject({
        System: z.looseObject({
          application: applicationSchema.optional(),
          user: z.looseObject({ userId: z.string(), accessToken: z.string().optional() }).optional(),
          device: z
            .looseObject({ supportedInterfaces: z.record(z.string(), z.unknown()).optional() })
            .optional(),
          apiEndpoint: z.string().optional(),
          apiAccessToken: z.string().optional(),
        }),
      })
      .optional(),
    request: z.looseObject({
      type: z.string().min(1),
      requestId: z.string().min(1),
      timestamp: z.string(),
      locale: z.string().optional(),
      dialogState: z.string().optional(),
      intent: intentSchema.optional(),
      reason: z.string().optional(),
      error: z.looseObject({ type: z.string(), message: z.string().optional() }).optional(),
    }),
  })
  .superRefine((envelope, context) => {
    const { type } = envelope.request;
    const conversational = ['LaunchRequest', 'IntentRequest', 'SessionEndedRequest'].includes(type);
    if (conversational && !envelope.session) {
      context.addIssue({ code: 'custom', path: ['session'], message: `a ${type} needs a session` });
    }
    if (conversational && !envelope.request.locale) {
      context.addIssue({ code: 'custom', path: ['request', 'locale'], message: `a ${type} needs a locale` });
    }
    if (type === 'IntentRequest' && !envelope.request.intent) {
      context.addIssue({
        code: 'custom',
        path: ['request', 'intent'],
        message: 'an IntentRequest needs an intent',
      });
    }
  });

export type AlexaEnvelope = z.infer<typeof alexaEnvelopeSchema>;

/** The skill the request is for: Alexa puts it in context.System and, for requests in a session, in the session too. */
export function applicationIdOf(envelope: AlexaEnvelope): string | null {
  return (
    envelope.context?.System.application?.applicationId ??
    envelope.session?.application?.applicationId ??
    null
  );
}

/** The account-linking token, present once the customer linked their account in the Alexa app. */
export function accessTokenOf(envelope: AlexaEnvelope): string | null {
  return envelope.context?.System.user?.accessToken ?? envelope.session?.user?.accessToken ?? null;
}
