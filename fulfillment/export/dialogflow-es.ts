// `loket export dialogflow-es`: the model as a Dialogflow ES agent folder, zipped as well, for "Import/Restore from zip".
// Format (the console's own export, described at https://cloud.google.com/dialogflow/es/docs/agents-settings#export):
// agent.json and package.json at the top; intents/<Name>.json with intents/<Name>_usersays_<lang>.json;
// entities/<name>.json with entities/<name>_entries_<lang>.json.
// Beta features are on ("onePlatformApiVersion": "v2beta1"), because the phone gateway and its TELEPHONY messages need
// them: https://cloud.google.com/dialogflow/es/docs/integrations/phone-gateway
import { readGoogleSettings } from '../channels/google/settings.ts';
import { ExportError, type Exporter } from '../cli/export-command.ts';
import type { IntentModel } from '../model/schema.ts';
import {
  type DialogflowEntity,
  dialogflowEntityFor,
  duplicateSynonymProblems,
  entityEntries,
  exportedEntityTypes,
  phraseParts,
} from './dialogflow/entities.ts';
import { type DialogflowLanguage, dialogflowLanguages } from './dialogflow/languages.ts';
import { webhookUri, writeAgentPackage } from './dialogflow/package.ts';
import { stableUuid } from './dialogflow/stable-id.ts';

const WELCOME_INTENT = 'Default Welcome Intent';
const FALLBACK_INTENT = 'Default Fallback Intent';

/** One intent, answered by the webhook: Loket does its own slot filling, so no parameter is required here. */
function intentFile(
  name: string,
  parameters: object[],
  extra: { action?: string; events?: string[]; fallback?: boolean } = {},
) {
  return {
    id: stableUuid('es', 'intent', name),
    name,
    auto: true,
    contexts: [],
    responses: [
      {
        resetContexts: false,
        action: extra.action ?? '',
        affectedContexts: [],
        parameters,
        messages: [],
        defaultResponsePlatforms: {},
        speech: [],
      },
    ],
    priority: 500000,
    webhookUsed: true,
    webhookForSlotFilling: false,
    fallbackIntent: extra.fallback ?? false,
    events: (extra.events ?? []).map((event) => ({ name: event })),
    conditionalResponses: [],
    condition: '',
    conditionalFollowupEvents: [],
  };
}

function userSays(model: IntentModel, intentName: string, language: DialogflowLanguage) {
  const locale = model.locales[language.locale];
  if (!locale) return [];
  const slots = model.intents[intentName]?.slots ?? [];
  return (locale.phrases[intentName] ?? []).map((phrase, index) => ({
    id: stableUuid('es', 'usersays', intentName, language.code, String(index)),
    data: phraseParts(phrase, slots, locale).map((part) =>
      part.slot
        ? {
            text: part.text,
            alias: part.slot.name,
            meta: dialogflowEntityFor(part.slot.entity).reference,
            userDefined: true,
          }
        : { text: part.text, userDefined: false },
    ),
    isTemplate: false,
    count: 0,
    lang: language.code,
    updated: 0,
  }));
}

function entityFiles(model: IntentModel, entity: DialogflowEntity, languages: DialogflowLanguage[]) {
  if (entity.kind === 'system') return [];
  const files: [string, unknown][] = [
    [
      `entities/${entity.name}.json`,
      {
        id: stableUuid('es', 'entity', entity.name),
        name: entity.name,
        isOverridable: true,
        isEnum: false,
        isRegexp: entity.kind === 'regexp',
        automatedExpansion: false,
        allowFuzzyExtraction: entity.kind === 'map',
      },
    ],
  ];
  for (const language of languages) {
    const locale = model.locales[language.locale];
    if (!locale) continue;
    const entries =
      entity.kind === 'regexp'
        ? [{ value: entity.pattern, synonyms: [entity.pattern] }]
        : entityEntries(locale, entity.name);
    if (entries.length) files.push([`entities/${entity.name}_entries_${language.code}.json`, entries]);
  }
  return files;
}

export const exportDialogflowEs: Exporter = async (model, outDir, settings) => {
  const google = readGoogleSettings(settings.env);
  const url = webhookUri(google, '/google/es');
  const languages = dialogflowLanguages(Object.keys(model.locales));
  const duplicates = duplicateSynonymProblems(model);
  if (duplicates.length) throw new ExportError(duplicates);
  const [defaultLanguage, ...otherLanguages] = languages;
  const brand = Object.values(model.locales)[0]?.persona.brand ?? 'Loket';
  const files = new Map<string, unknown>();

  files.set('package.json', { version: '1.0.0' });
  files.set('agent.json', {
    description: `${brand} customer service. Exported by Loket: every turn is answered by the Loket webhook.`,
    language: defaultLanguage?.code ?? 'en',
    supportedLanguages: otherLanguages.map((language) => language.code),
    displayName: brand,
    disableInteractionLogs: false,
    disableStackdriverLogs: true,
    defaultTimezone: settings.LOKET_TIME_ZONE,
    // Credentials are set in the console after the import (basic auth or a header): the export holds no secrets.
    webhook: {
      url,
      headers: {},
      available: true,
      useForDomains: false,
      cloudFunctionsEnabled: false,
      cloudFunctionsInitialized: false,
    },
    isPrivate: true,
    customClassifierMode: 'use.after',
    mlMinConfidence: 0.3,
    enableOnePlatformApi: true,
    onePlatformApiVersion: 'v2beta1',
    analyzeQueryTextSentiment: false,
    enabledKnowledgeBaseNames: [],
    knowledgeServiceConfidenceAdjustment: 0,
    dialogBuilderMode: false,
    baseActionPackagesUrl: '',
  });

  files.set(
    `intents/${WELCOME_INTENT}.json`,
    intentFile(WELCOME_INTENT, [], { action: 'input.welcome', events: ['WELCOME', 'TELEPHONY_WELCOME'] }),
  );
  // The model's out-of-scope examples train ES's fallback intent (its negative examples).
  files.set(
    `intents/${FALLBACK_INTENT}.json`,
    intentFile(FALLBACK_INTENT, [], { action: 'input.unknown', fallback: true }),
  );
  for (const language of languages) {
    const phrases = userSays(model, 'Fallback', language);
    if (phrases.length) files.set(`intents/${FALLBACK_INTENT}_usersays_${language.code}.json`, phrases);
  }

  for (const intent of Object.values(model.intents).filter((candidate) => candidate.name !== 'Fallback')) {
    const parameters = intent.slots.map((slot) => ({
      id: stableUuid('es', 'parameter', intent.name, slot.name),
      required: false,
      dataType: dialogflowEntityFor(slot.entity).reference,
      name: slot.name,
      value: `$${slot.name}`,
      prompts: [],
      isList: false,
    }));
    files.set(`intents/${intent.name}.json`, intentFile(intent.name, parameters));
    for (const language of languages) {
      const phrases = userSays(model, intent.name, language);
      if (phrases.length) files.set(`intents/${intent.name}_usersays_${language.code}.json`, phrases);
    }
  }

  for (const entity of exportedEntityTypes(model)) {
    for (const [path, content] of entityFiles(model, entity, languages)) files.set(path, content);
  }

  return writeAgentPackage(outDir, files);
};
