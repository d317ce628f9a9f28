// `loket export dialogflow-cx`: the model as a Dialogflow CX agent in the JSON package format, ready for "Restore agent".
// Format: https://cloud.google.com/dialogflow/cx/docs/reference/json-export (agent.json; intents/<name>/<name>.json with
// trainingPhrases/<lang>.json; entityTypes/<name>/<name>.json with entities/<lang>.json; flows/<flow>/<flow>.json;
// webhooks/<name>.json). Resources refer to each other by display name; durations are {seconds}.
// Restore: https://cloud.google.com/dialogflow/cx/docs/concept/agent#export
import { readGoogleSettings } from '../channels/google/settings.ts';
import { ExportError, type Exporter } from '../cli/export-command.ts';
import type { IntentModel } from '../model/schema.ts';
import {
  type DialogflowEntity,
  dialogflowEntityFor,
  duplicateSynonymProblems,
  entityEntries,
  exportedEntityTypes,
  PERSONAL_ENTITY_TYPES,
  phraseParts,
} from './dialogflow/entities.ts';
import { type DialogflowLanguage, dialogflowLanguages } from './dialogflow/languages.ts';
import { webhookUri, writeAgentPackage } from './dialogflow/package.ts';
import { stableUuid } from './dialogflow/stable-id.ts';

export const WEBHOOK_NAME = 'Loket';
const START_FLOW = 'Default Start Flow';
// Every CX agent has these three with fixed ids; a restore updates them instead of creating new ones.
const START_FLOW_ID = '00000000-0000-0000-0000-000000000000';
const WELCOME_INTENT = { id: '00000000-0000-0000-0000-000000000000', name: 'Default Welcome Intent' };
const NEGATIVE_INTENT = { id: '00000000-0000-0000-0000-000000000001', name: 'Default Negative Intent' };

/** The tags the flow sends with each webhook call; the webhook works without them, they make logs readable. */
export const CX_TAGS = { welcome: 'welcome', intent: 'intent', noMatch: 'no-match', noInput: 'no-input' };

const callLoket = (tag: string) => ({ webhook: WEBHOOK_NAME, tag });

function trainingPhrases(
  model: IntentModel,
  intentName: string,
  phrasesOf: string,
  language: DialogflowLanguage,
) {
  const locale = model.locales[language.locale];
  const slots = model.intents[intentName]?.slots ?? [];
  return (locale?.phrases[phrasesOf] ?? []).map((phrase) => ({
    parts: phraseParts(phrase, slots, locale as NonNullable<typeof locale>).map((part) =>
      part.slot ? { text: part.text, parameterId: part.slot.name } : { text: part.text },
    ),
    repeatCount: 1,
    languageCode: language.code,
  }));
}

function entityTypeFiles(model: IntentModel, entity: DialogflowEntity, languages: DialogflowLanguage[]) {
  if (entity.kind === 'system') return [];
  const folder = `entityTypes/${entity.name}`;
  const files: [string, unknown][] = [
    [
      `${folder}/${entity.name}.json`,
      {
        name: stableUuid('cx', 'entityType', entity.name),
        displayName: entity.name,
        kind: entity.kind === 'map' ? 'KIND_MAP' : 'KIND_REGEXP',
        ...(entity.kind === 'map' ? { enableFuzzyExtraction: true } : {}),
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
    if (entries.length === 0) continue;
    files.push([
      `${folder}/entities/${language.code}.json`,
      { entities: entries.map((entry) => ({ ...entry, languageCode: language.code })) },
    ]);
  }
  return files;
}

/** What the agent says by itself when the webhook fails: the model's apology, a handoff, and the transfer if it can. */
function webhookErrorMessages(
  model: IntentModel,
  languages: DialogflowLanguage[],
  agentNumber: string | null,
) {
  return languages.flatMap((language) => {
    const apology = model.locales[language.locale]?.prompts['error.generic']?.[0];
    return [
      ...(apology ? [{ text: { text: [apology] }, languageCode: language.code }] : []),
      { liveAgentHandoff: { metadata: { reason: 'error' } }, languageCode: language.code },
      ...(agentNumber
        ? [{ telephonyTransferCall: { phoneNumber: agentNumber }, languageCode: language.code }]
        : []),
    ];
  });
}

export const exportDialogflowCx: Exporter = async (model, outDir, settings) => {
  const google = readGoogleSettings(settings.env);
  const uri = webhookUri(google, '/google/cx');
  const languages = dialogflowLanguages(Object.keys(model.locales));
  const duplicates = duplicateSynonymProblems(model);
  if (duplicates.length) throw new ExportError(duplicates);
  const [defaultLanguage, ...otherLanguages] = languages;
  const brand = Object.values(model.locales)[0]?.persona.brand ?? 'Loket';
  const domainIntents = Object.values(model.intents)
    .filter((intent) => intent.name !== 'Fallback')
    .sort((a, b) => a.name.localeCompare(b.name));
  const files = new Map<string, unknown>();

  files.set('agent.json', {
    displayName: brand,
    defaultLanguageCode: defaultLanguage?.code ?? 'en',
    ...(otherLanguages.length
      ? { supportedLanguageCodes: otherLanguages.map((language) => language.code) }
      : {}),
    timeZone: settings.LOKET_TIME_ZONE,
    description: `${brand} customer service. Exported by Loket: every turn is answered by the Loket webhook.`,
    startFlow: START_FLOW,
    // The phone gateway only passes keypad input on when DTMF is on; # ends an entry early.
    advancedSettings: {
      dtmfSettings: {
        enabled: true,
        maxDigits: 16,
        finishDigit: '#',
        interdigitTimeoutDuration: { seconds: 3 },
      },
    },
  });

  files.set(`webhooks/${WEBHOOK_NAME}.json`, {
    name: stableUuid('cx', 'webhook', WEBHOOK_NAME),
    displayName: WEBHOOK_NAME,
    genericWebService: {
      uri,
      webhookType: 'STANDARD',
      // ID_TOKEN: Dialogflow's service agent signs each call. NONE: the shared secret, set as a header or basic auth in
      // the console after the restore, is the only credential (the export never contains secrets).
      serviceAgentAuth: google.idToken ? 'ID_TOKEN' : 'NONE',
    },
    timeout: { seconds: 10 },
  });

  files.set(`flows/${START_FLOW}/${START_FLOW}.json`, {
    name: START_FLOW_ID,
    displayName: START_FLOW,
    description:
      'Every turn goes to Loket: a route per intent of the model, and the no-match and no-input events.',
    transitionRoutes: [
      {
        intent: WELCOME_INTENT.name,
        triggerFulfillment: callLoket(CX_TAGS.welcome),
        name: stableUuid('cx', 'route', WELCOME_INTENT.name),
      },
      ...domainIntents.map((intent) => ({
        intent: intent.name,
        triggerFulfillment: callLoket(CX_TAGS.intent),
        name: stableUuid('cx', 'route', intent.name),
      })),
    ],
    eventHandlers: [
      // Integrations that open a session with the WELCOME event rather than the welcome intent still get a greeting.
      {
        event: 'WELCOME',
        triggerFulfillment: callLoket(CX_TAGS.welcome),
        name: stableUuid('cx', 'event', 'WELCOME'),
      },
      // No CX intent matched: Loket's own NLU reads the words (or keypad digits) instead.
      {
        event: 'sys.no-match-default',
        triggerFulfillment: callLoket(CX_TAGS.noMatch),
        name: stableUuid('cx', 'event', 'no-match'),
      },
      {
        event: 'sys.no-input-default',
        triggerFulfillment: callLoket(CX_TAGS.noInput),
        name: stableUuid('cx', 'event', 'no-input'),
      },
      {
        event: 'webhook.error',
        triggerFulfillment: { messages: webhookErrorMessages(model, languages, google.agentPhoneNumber) },
        name: stableUuid('cx', 'event', 'webhook.error'),
      },
    ],
    nluSettings: {
      modelType: 'MODEL_TYPE_ADVANCED',
      classificationThreshold: 0.3,
      modelTrainingMode: 'MODEL_TRAINING_MODE_AUTOMATIC',
    },
  });

  files.set(`intents/${WELCOME_INTENT.name}/${WELCOME_INTENT.name}.json`, {
    name: WELCOME_INTENT.id,
    displayName: WELCOME_INTENT.name,
    priority: 500000,
  });
  // The model's out-of-scope examples are what CX calls negative examples.
  files.set(`intents/${NEGATIVE_INTENT.name}/${NEGATIVE_INTENT.name}.json`, {
    name: NEGATIVE_INTENT.id,
    displayName: NEGATIVE_INTENT.name,
    priority: 500000,
    isFallback: true,
  });
  for (const language of languages) {
    const phrases = trainingPhrases(model, 'Fallback', 'Fallback', language);
    if (phrases.length) {
      files.set(`intents/${NEGATIVE_INTENT.name}/trainingPhrases/${language.code}.json`, {
        trainingPhrases: phrases,
      });
    }
  }

  for (const intent of domainIntents) {
    const folder = `intents/${intent.name}`;
    files.set(`${folder}/${intent.name}.json`, {
      name: stableUuid('cx', 'intent', intent.name),
      displayName: intent.name,
      description: intent.description.slice(0, 140),
      ...(intent.slots.length
        ? {
            parameters: intent.slots.map((slot) => ({
              id: slot.name,
              entityType: dialogflowEntityFor(slot.entity).reference,
              ...(PERSONAL_ENTITY_TYPES.has(slot.entity) ? { redact: true } : {}),
            })),
          }
        : {}),
      priority: 500000,
    });
    for (const language of languages) {
      const phrases = trainingPhrases(model, intent.name, intent.name, language);
      if (phrases.length)
        files.set(`${folder}/trainingPhrases/${language.code}.json`, { trainingPhrases: phrases });
    }
  }

  for (const entity of exportedEntityTypes(model)) {
    for (const [path, content] of entityTypeFiles(model, entity, languages)) files.set(path, content);
  }

  return writeAgentPackage(outDir, files);
};
