// One locale of the shared model as an Alexa interaction model (skill-package/interactionModels/custom/<locale>.json),
// with every reason Alexa would refuse it. Schema: https://developer.amazon.com/en-US/docs/alexa/smapi/interaction-model-schema.html
import type { IntentDefinition, IntentModel, LocaleModel } from '../../model/schema.ts';
import { invocationNameProblems } from './invocation-name.ts';
import { alexaSample } from './samples.ts';
import { type AlexaSlotType, builtinSlotType, customSlotType } from './slot-types.ts';

/**
 * Built-in intents every exported skill has. Help, Stop, Cancel and Fallback are what certification expects of any
 * custom skill, NavigateHome is required on devices with a screen; Repeat, StartOver, Yes and No are the globals
 * the engine answers. https://developer.amazon.com/en-US/docs/alexa/custom-skills/standard-built-in-intents.html
 */
export const REQUIRED_BUILTIN_INTENTS = [
  'AMAZON.HelpIntent',
  'AMAZON.StopIntent',
  'AMAZON.CancelIntent',
  'AMAZON.FallbackIntent',
  'AMAZON.NavigateHomeIntent',
  'AMAZON.RepeatIntent',
  'AMAZON.StartOverIntent',
  'AMAZON.YesIntent',
  'AMAZON.NoIntent',
] as const;

/** Alexa takes no sample utterances for these; it decides itself what falls through or goes home. */
const BUILTINS_WITHOUT_SAMPLES: ReadonlySet<string> = new Set([
  'AMAZON.FallbackIntent',
  'AMAZON.NavigateHomeIntent',
]);

export interface AlexaIntentSlot {
  name: string;
  type: string;
  samples?: string[];
}

export interface AlexaIntent {
  name: string;
  slots?: AlexaIntentSlot[];
  samples: string[];
}

export interface AlexaDialogSlot {
  name: string;
  type: string;
  elicitationRequired: boolean;
  confirmationRequired: boolean;
  prompts: { elicitation?: string };
}

export interface AlexaPrompt {
  id: string;
  variations: { type: 'PlainText' | 'SSML'; value: string }[];
}

export interface AlexaInteractionModelFile {
  interactionModel: {
    languageModel: { invocationName: string; intents: AlexaIntent[]; types: AlexaSlotType[] };
    dialog: {
      delegationStrategy: 'ALWAYS' | 'SKILL_RESPONSE';
      intents: {
        name: string;
        delegationStrategy: 'ALWAYS' | 'SKILL_RESPONSE';
        confirmationRequired: boolean;
        prompts: Record<string, never>;
        slots: AlexaDialogSlot[];
      }[];
    };
    prompts: AlexaPrompt[];
  };
}

/** Prompt variants Alexa can say as they are: no {param} the engine would fill, {pause} dropped. */
function plainVariants(locale: LocaleModel, key: string): string[] {
  return (locale.prompts[key] ?? [])
    .map((variant) =>
      variant
        .replace(/\{pause\}/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((variant) => variant.length > 0 && !/[{}]/.test(variant));
}

function slotTypeOf(intent: IntentDefinition, slotName: string): string {
  const entity = intent.slots.find((slot) => slot.name === slotName)?.entity ?? '';
  return builtinSlotType(entity) ?? entity;
}

export interface InteractionModelResult {
  file: AlexaInteractionModelFile;
  problems: string[];
}

export function buildInteractionModel(model: IntentModel, localeName: string): InteractionModelResult {
  const locale = model.locales[localeName];
  if (!locale) throw new Error(`no locale ${localeName} in the model`);
  const problems: string[] = [];
  const where = (intent: string) => `locales/${localeName}/phrases/${intent}.yaml`;

  const invocationName = locale.persona.invocationName;
  for (const problem of invocationNameProblems(invocationName, locale.persona.brand)) {
    problems.push(`locales/${localeName}/persona.yaml: invocationName '${invocationName}' ${problem}`);
  }

  const intents = new Map<string, AlexaIntent>();
  for (const name of REQUIRED_BUILTIN_INTENTS) intents.set(name, { name, samples: [] });
  const types = new Map<string, AlexaSlotType>();
  /** sample -> where it came from, to find one sample in two intents */
  const owners = new Map<string, { alexaName: string; intent: string; text: string }>();

  for (const intent of Object.values(model.intents).sort((a, b) => a.name.localeCompare(b.name))) {
    const builtin = intent.builtin.alexa;
    const alexaName = builtin ?? intent.name;
    if (!builtin && !/^[A-Za-z_]+$/.test(intent.name)) {
      problems.push(`intents/${intent.name}.yaml: Alexa intent names have letters and underscores only`);
      continue;
    }
    if (builtin && intent.slots.length > 0) {
      problems.push(
        `intents/${intent.name}.yaml: ${builtin} is a built-in intent; Loket cannot add slots to it`,
      );
    }
    const target = intents.get(alexaName) ?? { name: alexaName, samples: [] };
    intents.set(alexaName, target);
    if (builtin && BUILTINS_WITHOUT_SAMPLES.has(builtin)) continue;

    const phrases = locale.phrases[intent.name] ?? [];
    for (const phrase of phrases) {
      const result = alexaSample(phrase, localeName);
      if ('problem' in result) {
        problems.push(`${where(intent.name)}: "${phrase.text}": ${result.problem}`);
        continue;
      }
      const owner = owners.get(result.sample);
      if (owner && owner.alexaName !== alexaName) {
        problems.push(
          `${where(intent.name)}: "${phrase.text}" and ${where(owner.intent)}: "${owner.text}" both become the sample "${result.sample}"; Alexa refuses a sample in two intents`,
        );
        continue;
      }
      if (owner) continue;
      owners.set(result.sample, { alexaName, intent: intent.name, text: phrase.text });
      target.samples.push(result.sample);
    }

    if (!builtin) {
      if (target.samples.length === 0) {
        problems.push(`${where(intent.name)}: ${intent.name} has no sample Alexa can use`);
      }
      for (const slot of intent.slots) {
        if (builtinSlotType(slot.entity) || types.has(slot.entity)) continue;
        const slotPhrases = Object.values(locale.phrases)
          .flat()
          .filter((phrase) => phrase.slots.some((annotation) => annotation.slot === slot.name));
        const custom = customSlotType(slot.entity, locale, slotPhrases);
        if ('problem' in custom) problems.push(`intents/${intent.name}.yaml: ${custom.problem}`);
        else types.set(slot.entity, custom.type);
      }
      if (intent.slots.length > 0) {
        // The bare value answers a question for the slot ("four five one two three" after "what is your order
        // number?"); Alexa uses slot samples only while it elicits that slot.
        target.slots = intent.slots.map((slot) => ({
          name: slot.name,
          type: slotTypeOf(intent, slot.name),
          samples: [`{${slot.name}}`],
        }));
      }
    }
  }

  // A dialog model makes Dialog.ElicitSlot possible; SKILL_RESPONSE keeps every turn with Loket instead of letting
  // Alexa prompt by itself. https://developer.amazon.com/en-US/docs/alexa/custom-skills/dialog-interface-reference.html
  const prompts: AlexaPrompt[] = [];
  const dialogIntents: AlexaInteractionModelFile['interactionModel']['dialog']['intents'] = [];
  for (const intent of Object.values(model.intents).sort((a, b) => a.name.localeCompare(b.name))) {
    if (intent.builtin.alexa || intent.slots.length === 0 || !intents.has(intent.name)) continue;
    dialogIntents.push({
      name: intent.name,
      delegationStrategy: 'SKILL_RESPONSE',
      confirmationRequired: false,
      prompts: {},
      slots: intent.slots.map((slot) => {
        const variants = slot.required ? plainVariants(locale, slot.prompt) : [];
        const id = `Elicit.Slot.${intent.name}.${slot.name}`;
        if (variants.length > 0) {
          prompts.push({ id, variations: variants.map((value) => ({ type: 'PlainText' as const, value })) });
        }
        return {
          name: slot.name,
          type: slotTypeOf(intent, slot.name),
          elicitationRequired: variants.length > 0,
          confirmationRequired: false,
          prompts: variants.length > 0 ? { elicitation: id } : {},
        };
      }),
    });
  }

  return {
    file: {
      interactionModel: {
        languageModel: { invocationName, intents: [...intents.values()], types: [...types.values()] },
        dialog: { delegationStrategy: 'SKILL_RESPONSE', intents: dialogIntents },
        prompts,
      },
    },
    problems,
  };
}
