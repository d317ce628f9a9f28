// The core types every stage shares: Turn (what came in), Reply (what goes out), Session (what is remembered)
// and HandoffPackage (what a person gets). zod schemas are the single source; the TypeScript types are inferred.
import { z } from 'zod';

export const channelSchema = z.enum(['text', 'alexa', 'dialogflow-cx', 'dialogflow-es', 'phone', 'stream']);
export type Channel = z.infer<typeof channelSchema>;

export const ssmlDialectSchema = z.enum(['none', 'alexa', 'google', 'azure', 'polly', 'generic']);

export const capabilitiesSchema = z.object({
  ssmlDialect: ssmlDialectSchema.default('generic'),
  canTransfer: z.boolean().default(false),
  progressiveResponse: z.boolean().default(false),
  screen: z.boolean().default(false),
  dtmf: z.boolean().default(false),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const slotValuesSchema = z.record(z.string(), z.string());
export type SlotValues = z.infer<typeof slotValuesSchema>;

export const turnInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('launch') }),
  z.object({ type: z.literal('text'), text: z.string(), asrConfidence: z.number().min(0).max(1).optional() }),
  z.object({
    type: z.literal('intent'),
    intent: z.string(),
    slots: slotValuesSchema.default({}),
    confidence: z.number().min(0).max(1).default(1),
    text: z.string().optional(),
  }),
  z.object({ type: z.literal('dtmf'), digits: z.string() }),
  z.object({ type: z.literal('no-input') }),
  z.object({ type: z.literal('end'), reason: z.string().optional() }),
]);
export type TurnInput = z.infer<typeof turnInputSchema>;

export const turnSchema = z.object({
  turnId: z.string(),
  channel: channelSchema,
  sessionId: z.string().min(1),
  locale: z.string(),
  callerId: z.string().optional(),
  userId: z.string().optional(),
  /** a customer the platform already identified (Alexa account linking): the engine treats them as verified */
  linkedCustomerId: z.string().optional(),
  input: turnInputSchema,
  capabilities: capabilitiesSchema,
});
export type Turn = z.infer<typeof turnSchema>;

/** Channel-neutral speech markup: rendered to plain text and to each platform's SSML dialect by fulfillment/compose. */
export type SayAs = 'digits' | 'date' | 'telephone' | 'postcode' | 'time' | 'amount' | 'spell';
export type SpeechSegment =
  | { kind: 'text'; text: string }
  | { kind: 'pause'; ms: number }
  | { kind: 'say-as'; as: SayAs; value: string; display: string }
  | { kind: 'emphasis'; text: string };
export type Speech = SpeechSegment[];

export const handoffReasonSchema = z.enum([
  'asked-for-person',
  'no-match',
  'frustration',
  'policy',
  'verification-failed',
  'error',
]);
export type HandoffReason = z.infer<typeof handoffReasonSchema>;

export const expectationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('slot'), intent: z.string(), slot: z.string(), entity: z.string() }),
  z.object({
    type: z.literal('confirmation'),
    intent: z.string(),
    about: z.enum(['action', 'slot', 'handoff', 'stop', 'callback']),
    slot: z.string().optional(),
  }),
  z.object({
    type: z.literal('verification'),
    step: z.enum(['customerNumber', 'postcode', 'houseNumber']),
    entity: z.string(),
  }),
  /** an open question; `anythingElse` when it was "can I help with anything else?", so a "no" means goodbye */
  z.object({ type: z.literal('intent'), anythingElse: z.boolean().optional() }),
]);
export type Expectation = z.infer<typeof expectationSchema>;

export const transcriptEntrySchema = z.object({
  at: z.string(),
  speaker: z.enum(['customer', 'bot']),
  text: z.string(),
  intent: z.string().optional(),
  confidence: z.number().optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

export const customerRefSchema = z.object({
  id: z.string(),
  name: z.string(),
  firstName: z.string(),
  verified: z.boolean(),
  method: z.enum(['caller-id', 'customer-number', 'account-link']),
});
export type CustomerRef = z.infer<typeof customerRefSchema>;

/** A callback the customer asked for on a channel that cannot transfer (smart speaker, web). */
export const callbackRequestSchema = z.object({
  /** E.164, in the clear: the colleague needs it to call; transcripts and logs only ever hold it masked */
  phone: z.string(),
  preferredMoment: z.object({
    asap: z.boolean(),
    /** YYYY-MM-DD, or null for the first moment that suits */
    date: z.string().nullable(),
    dayPart: z.enum(['morning', 'afternoon', 'evening']).nullable(),
  }),
  requestedAt: z.string(),
});
export type CallbackRequest = z.infer<typeof callbackRequestSchema>;

export const handoffPackageSchema = z.object({
  id: z.string(),
  code: z.string().regex(/^\d{6}$/),
  reason: handoffReasonSchema,
  channel: channelSchema,
  locale: z.string(),
  sessionId: z.string(),
  customer: customerRefSchema.nullable(),
  callerId: z.string().nullable(),
  intents: z.array(z.object({ intent: z.string(), slots: slotValuesSchema, at: z.string() })),
  tried: z.array(z.string()),
  transcript: z.array(transcriptEntrySchema),
  summary: z.string(),
  sentiment: z.object({ score: z.number(), label: z.enum(['negative', 'neutral', 'positive']) }),
  queue: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(['waiting', 'accepted', 'resolved', 'expired']),
  // Optional, so packages stored before these fields existed still parse.
  callback: callbackRequestSchema.nullable().optional(),
  /** the earlier handoff this one continues (the customer phoned in with its code or from its number) */
  previousHandoffId: z.string().nullable().optional(),
  /** set on the earlier handoff when a later one took it over */
  continuedBy: z.string().nullable().optional(),
  /** a pseudonym of the caller id, so a call from the same number can be recognised without storing it */
  callerKey: z.string().nullable().optional(),
  /** the call was put through to a person; false: the customer got a code or a callback instead */
  transferred: z.boolean().optional(),
  /** who took it and how it ended */
  agent: z
    .object({
      acceptedBy: z.string(),
      acceptedAt: z.string(),
      resolvedBy: z.string().nullable(),
      resolvedAt: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable()
    .optional(),
  /** delivery to the contact-centre webhook, when one is configured */
  delivery: z
    .object({
      state: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      lastAttemptAt: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
    })
    .nullable()
    .optional(),
});
export type HandoffPackage = z.infer<typeof handoffPackageSchema>;

export const frameSchema = z.object({
  intent: z.string(),
  slots: slotValuesSchema,
  /** the slot the last reply asked for, if any */
  askedSlot: z.string().nullable(),
  /** slots whose value was read back and said yes to */
  confirmedSlots: z.array(z.string()),
  actionConfirmed: z.boolean(),
  invalidCount: z.number().int(),
  startedAt: z.string(),
});
export type Frame = z.infer<typeof frameSchema>;

export const replyRecordSchema = z.object({
  text: z.string(),
  speech: z.array(z.any()) as z.ZodType<Speech>,
  reprompt: (z.array(z.any()) as z.ZodType<Speech>).nullable(),
});

export const sessionSchema = z.object({
  id: z.string(),
  locale: z.string(),
  channel: channelSchema,
  callerId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** dialogue frames; the last one is active, earlier ones are unfinished intents to come back to */
  frames: z.array(frameSchema),
  expecting: expectationSchema.nullable(),
  noMatchCount: z.number().int(),
  noInputCount: z.number().int(),
  frustrationCount: z.number().int(),
  history: z.array(z.object({ intent: z.string(), slots: slotValuesSchema, at: z.string() })),
  customer: customerRefSchema.nullable(),
  verification: z.object({
    attempts: z.number().int(),
    customerNumber: z.string().nullable(),
    postcode: z.string().nullable(),
  }),
  preferences: z.object({ slower: z.boolean() }),
  /** prompt key -> variant indexes already used in this session, so no variant repeats */
  usedVariants: z.record(z.string(), z.array(z.number().int())),
  lastReply: replyRecordSchema.nullable(),
  tried: z.array(z.string()),
  sentimentScores: z.array(z.number()),
  /** the most recent handoff of this session, if any */
  handoffId: z.string().nullable(),
  /** a callback being arranged for the handoff of this session (channels that cannot transfer) */
  callback: z
    .object({ handoffId: z.string(), code: z.string(), phone: z.string().nullable() })
    .nullable()
    .optional(),
  /** an earlier handoff this caller may be phoning about (their code or their number), while we ask */
  previousHandoff: z
    .object({ id: z.string(), reason: handoffReasonSchema, queue: z.string(), topic: z.string().nullable() })
    .nullable()
    .optional(),
  ended: z.boolean(),
});
export type Session = z.infer<typeof sessionSchema>;

/**
 * A copy of a session whose nested parts can be changed without touching the original. Hand-written for the
 * session's known shape: structuredClone was a measurable part of every turn.
 */
export function cloneSession(session: Session): Session {
  return {
    ...session,
    frames: session.frames.map((frame) => ({
      ...frame,
      slots: { ...frame.slots },
      confirmedSlots: [...frame.confirmedSlots],
    })),
    history: session.history.map((entry) => ({ ...entry, slots: { ...entry.slots } })),
    customer: session.customer ? { ...session.customer } : null,
    verification: { ...session.verification },
    preferences: { ...session.preferences },
    usedVariants: Object.fromEntries(
      Object.entries(session.usedVariants).map(([key, used]) => [key, [...used]]),
    ),
    tried: [...session.tried],
    sentimentScores: [...session.sentimentScores],
    expecting: session.expecting ? { ...session.expecting } : null,
    lastReply: session.lastReply,
  };
}

/** What a turn produces: the channel renders it. */
export interface Reply {
  speech: Speech;
  reprompt: Speech | null;
  expecting: Expectation | null;
  end: boolean;
  handoff: HandoffPackage | null;
  /** slower speech was asked for: render with a slower prosody rate */
  slow: boolean;
  card: { title: string; text: string } | null;
}

/** What the NLU (or the platform) understood this turn; the text API returns it as `understood`. */
export interface Understanding {
  intent: string;
  confidence: number;
  slots: SlotValues;
}
