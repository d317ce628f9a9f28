// The shared intent model as CX designers write it in YAML: one zod schema per file kind, the single source of its types.
import { z } from 'zod';
import { BUILTIN_ENTITY_TYPES } from '../nlu/entities/types.ts';

/** Entity types Loket's NLU recognises without any designer data (see fulfillment/nlu/entities). */
export const BUILTIN_ENTITY_TYPE_NAMES = BUILTIN_ENTITY_TYPES;

const identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'use letters and digits only, starting with a letter (e.g. orderNumber)');
const promptKey = z
  .string()
  .regex(
    /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9-]+)*$/,
    'prompt keys are dotted lower-camel words, e.g. ask.orderNumber',
  );

export const slotSchema = z.strictObject({
  name: identifier,
  entity: identifier.describe('a built-in entity type or one defined in locales/<locale>/entities.yaml'),
  required: z.boolean().default(true),
  prompt: promptKey.describe('the prompt that asks for this slot'),
  confirm: z.boolean().default(false).describe('read the value back and ask for a yes before using it'),
});

export const handoffPolicySchema = z.strictObject({
  when: z
    .enum(['never', 'immediately', 'after-slots'])
    .default('never')
    .describe('immediately: hand over at once; after-slots: collect the required slots, then hand over'),
  queue: z.string().default('general'),
  reason: z.enum(['asked-for-person', 'policy']).default('policy'),
  prompt: promptKey.optional().describe('said before the handoff, e.g. an empathetic line for a complaint'),
});

export const intentFileSchema = z.strictObject({
  name: identifier,
  description: z.string().min(1),
  kind: z
    .enum(['domain', 'global'])
    .default('domain')
    .describe('global intents (help, repeat, stop, ...) work on every turn, whatever the customer is doing'),
  slots: z.array(slotSchema).default([]),
  requiresVerifiedCustomer: z.boolean().default(false),
  confirmation: promptKey
    .optional()
    .describe('an action with consequences: this prompt asks for a yes before the skill runs'),
  handoff: handoffPolicySchema.default({ when: 'never', queue: 'general', reason: 'policy' }),
  builtin: z
    .strictObject({
      alexa: z
        .string()
        .regex(/^AMAZON\.[A-Za-z]+$/)
        .optional(),
      dialogflow: z.string().optional(),
    })
    .default({})
    .describe('the platform built-in this intent maps to, where one exists'),
});

export const personaFileSchema = z.strictObject({
  botName: z.string().min(1),
  brand: z.string().min(1),
  formality: z.enum(['formal', 'informal']).describe('formal: "u" in Dutch; informal: "je"'),
  invocationName: z.string().min(2),
  phoneNumber: z.string().optional().describe('the service number read to customers, e.g. 020 123 4567'),
});

export const phrasesFileSchema = z.strictObject({
  intent: identifier,
  phrases: z.array(z.string().min(1)),
});

export const entityValueSchema = z.strictObject({
  id: z.string().min(1),
  value: z.string().min(1),
  synonyms: z.array(z.string().min(1)).default([]),
});
export const entitiesFileSchema = z.record(identifier, z.array(entityValueSchema).min(1));

export const promptsFileSchema = z.record(promptKey, z.array(z.string().min(1)));

export type SlotDefinition = z.infer<typeof slotSchema>;
export type IntentDefinition = z.infer<typeof intentFileSchema>;
export type Persona = z.infer<typeof personaFileSchema>;
export type EntityValue = z.infer<typeof entityValueSchema>;
export type HandoffPolicy = z.infer<typeof handoffPolicySchema>;

/** One training phrase with its inline slot annotations `[45123](orderNumber)` resolved. */
export interface AnnotatedPhrase {
  text: string;
  slots: { slot: string; value: string; start: number; end: number }[];
}

export interface LocaleModel {
  locale: string;
  persona: Persona;
  phrases: Record<string, AnnotatedPhrase[]>;
  entities: Record<string, EntityValue[]>;
  prompts: Record<string, string[]>;
}

/** The whole model, after loading and validation: what the engine, the NLU and the exporters read. */
export interface IntentModel {
  intents: Record<string, IntentDefinition>;
  locales: Record<string, LocaleModel>;
}
