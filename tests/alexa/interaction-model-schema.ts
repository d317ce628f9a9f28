// The interaction model schema as Amazon documents it, written down as zod, strict so that an unknown field fails:
// https://developer.amazon.com/en-US/docs/alexa/smapi/interaction-model-schema.html (objects and fields),
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/create-intents-utterances-and-slots.html (name and
// sample rules), https://developer.amazon.com/en-US/docs/alexa/custom-skills/choose-the-invocation-name-for-a-custom-skill.html
import { z } from 'zod';

/** Custom intent names: letters and underscores; built-ins are AMAZON.<Name>. */
const intentName = z
  .string()
  .regex(/^(AMAZON\.[A-Za-z]+|[A-Za-z_]+)$/, 'intent names: letters and underscores');
const slotName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'slot names start with a letter');
const slotTypeName = z
  .string()
  .regex(/^(AMAZON\.[A-Za-z_]+|[A-Za-z_]+)$/, 'slot type names: letters and underscores');
/** "unicode characters, spaces, periods for abbreviations, underscores, possessive apostrophes, curly braces, and
 * hyphens"; no digits. */
const sample = z
  .string()
  .min(1)
  .regex(
    /^([\p{L}\p{M} ._'-]|\{[A-Za-z][A-Za-z0-9_]*\})+$/u,
    "sample utterances: letters, spaces, . _ ' - and {slot}",
  )
  .refine((text) => text.trim() === text && !/\s{2}/.test(text), 'no stray spaces');

const slotTypeValue = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.strictObject({ value: z.string().min(1), synonyms: z.array(z.string().min(1)).optional() }),
});

const languageModel = z.strictObject({
  invocationName: z
    .string()
    .min(2)
    .max(50)
    .regex(/^[\p{Ll}\p{Lo}\p{M} .']+$/u, 'invocation name: lower-case letters, spaces, apostrophes, periods'),
  intents: z
    .array(
      z.strictObject({
        name: intentName,
        slots: z
          .array(
            z.strictObject({
              name: slotName,
              type: slotTypeName,
              samples: z.array(sample).optional(),
              multipleValues: z.strictObject({ enabled: z.boolean() }).optional(),
            }),
          )
          .optional(),
        samples: z.array(sample).optional(),
      }),
    )
    .min(1),
  types: z
    .array(
      z.strictObject({
        name: slotTypeName,
        values: z.array(slotTypeValue).min(1),
        valueSupplier: z.looseObject({ type: z.string() }).optional(),
      }),
    )
    .optional(),
  modelConfiguration: z
    .strictObject({
      fallbackIntentSensitivity: z.strictObject({ level: z.enum(['LOW', 'MEDIUM', 'HIGH']) }),
    })
    .optional(),
});

const delegationStrategy = z.enum(['ALWAYS', 'SKILL_RESPONSE']);

const dialog = z.strictObject({
  delegationStrategy: delegationStrategy.optional(),
  intents: z.array(
    z.strictObject({
      name: intentName,
      delegationStrategy: delegationStrategy.optional(),
      confirmationRequired: z.boolean().optional(),
      prompts: z.strictObject({ confirmation: z.string().optional() }).optional(),
      slots: z
        .array(
          z.strictObject({
            name: slotName,
            type: slotTypeName,
            elicitationRequired: z.boolean().optional(),
            confirmationRequired: z.boolean().optional(),
            prompts: z.strictObject({
              elicitation: z.string().optional(),
              confirmation: z.string().optional(),
            }),
            validations: z.array(z.looseObject({ type: z.string(), prompt: z.string() })).optional(),
          }),
        )
        .optional(),
    }),
  ),
});

const prompt = z.strictObject({
  id: z.string().min(1),
  variations: z
    .array(z.strictObject({ type: z.enum(['PlainText', 'SSML']), value: z.string().min(1) }))
    .min(1),
});

export const interactionModelFileSchema = z
  .strictObject({
    interactionModel: z.strictObject({
      languageModel,
      dialog: dialog.optional(),
      prompts: z.array(prompt).optional(),
    }),
  })
  .superRefine((file, context) => {
    const { languageModel: model, dialog: dialogModel, prompts } = file.interactionModel;
    const customTypes = new Set((model.types ?? []).map((type) => type.name));
    const owners = new Map<string, string>();
    for (const intent of model.intents) {
      const slots = new Set((intent.slots ?? []).map((slot) => slot.name));
      for (const slot of intent.slots ?? []) {
        if (!slot.type.startsWith('AMAZON.') && !customTypes.has(slot.type)) {
          context.addIssue({
            code: 'custom',
            message: `${intent.name}.${slot.name}: undefined slot type ${slot.type}`,
          });
        }
      }
      for (const text of intent.samples ?? []) {
        for (const [, name] of text.matchAll(/\{([^}]+)\}/g)) {
          if (!slots.has(name ?? '')) {
            context.addIssue({
              code: 'custom',
              message: `${intent.name}: sample "${text}" uses unknown slot ${name}`,
            });
          }
        }
        const owner = owners.get(text.toLowerCase());
        if (owner && owner !== intent.name) {
          context.addIssue({
            code: 'custom',
            message: `sample "${text}" in both ${owner} and ${intent.name}`,
          });
        }
        owners.set(text.toLowerCase(), intent.name);
      }
    }
    const promptIds = new Set((prompts ?? []).map((entry) => entry.id));
    for (const intent of dialogModel?.intents ?? []) {
      const declared = model.intents.find((candidate) => candidate.name === intent.name);
      if (!declared)
        context.addIssue({ code: 'custom', message: `dialog intent ${intent.name} is not in the model` });
      for (const slot of intent.slots ?? []) {
        if (
          !declared?.slots?.some((candidate) => candidate.name === slot.name && candidate.type === slot.type)
        ) {
          context.addIssue({
            code: 'custom',
            message: `dialog slot ${intent.name}.${slot.name} is not in the model`,
          });
        }
        if (slot.elicitationRequired && !slot.prompts.elicitation) {
          context.addIssue({
            code: 'custom',
            message: `${intent.name}.${slot.name}: elicitation needs a prompt`,
          });
        }
        if (slot.prompts.elicitation && !promptIds.has(slot.prompts.elicitation)) {
          context.addIssue({ code: 'custom', message: `prompt ${slot.prompts.elicitation} is not defined` });
        }
      }
    }
  });
