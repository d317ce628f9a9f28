// The skill manifest (skill-package/skill.json): store texts per locale from the model's persona and prompts, the
// HTTPS endpoint, and the privacy answers. https://developer.amazon.com/en-US/docs/alexa/smapi/skill-manifest.html
import type { IntentModel, LocaleModel } from '../../model/schema.ts';
import type { AlexaInteractionModelFile } from './interaction-model.ts';
import type { AlexaExportSettings } from './settings.ts';

/** "Alexa, open <invocation name>" per language; the opening phrase must be the first example phrase. */
const OPEN_WORDS: Readonly<Record<string, string>> = {
  en: 'open',
  nl: 'open',
  de: 'öffne',
  fr: 'ouvre',
  es: 'abre',
  it: 'apri',
  pt: 'abra',
};

/** Only English has a well-known "ask <name> <request>" form to show; other languages show the opening phrase. */
const ASK_WORDS: Readonly<Record<string, string>> = { en: 'ask' };

function plain(text: string): string {
  return text
    .replace(/\{pause\}/g, ' ')
    .replace(/\{[A-Za-z]+\}/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Two short requests the skill answers by itself: the first slot-free sample of two such domain intents. */
function requestExamples(model: IntentModel, interactionModel: AlexaInteractionModelFile): string[] {
  const selfServed = new Set(
    Object.values(model.intents)
      .filter(
        (intent) =>
          intent.kind === 'domain' && intent.handoff.when === 'never' && !intent.requiresVerifiedCustomer,
      )
      .map((intent) => intent.name),
  );
  return interactionModel.interactionModel.languageModel.intents
    .filter((intent) => selfServed.has(intent.name))
    .map((intent) => intent.samples.find((sample) => !sample.includes('{')))
    .filter((sample): sample is string => sample !== undefined)
    .slice(0, 2);
}

function localeTexts(model: IntentModel, locale: LocaleModel, interactionModel: AlexaInteractionModelFile) {
  const language = locale.locale.split('-')[0] ?? 'en';
  const { brand, botName, invocationName } = locale.persona;
  const description = plain(locale.prompts['help.general']?.[0] ?? brand);
  const summary = description.split(/(?<=[.!?])\s/)[0] ?? description;
  const ask = ASK_WORDS[language];
  return {
    name: brand,
    summary,
    description,
    examplePhrases: [
      `Alexa, ${OPEN_WORDS[language] ?? 'open'} ${invocationName}`,
      ...(ask
        ? requestExamples(model, interactionModel).map(
            (sample) => `Alexa, ${ask} ${invocationName} ${sample}`,
          )
        : []),
    ],
    keywords: [...new Set([brand, botName].map((word) => word.toLocaleLowerCase(locale.locale)))],
  };
}

export function buildSkillManifest(
  model: IntentModel,
  interactionModels: ReadonlyMap<string, AlexaInteractionModelFile>,
  settings: AlexaExportSettings,
) {
  const locales = [...interactionModels.keys()];
  const textsPerLocale = Object.fromEntries(
    locales.map((name) => {
      const locale = model.locales[name];
      const interactionModel = interactionModels.get(name);
      if (!locale || !interactionModel) throw new Error(`no locale ${name}`);
      return [name, localeTexts(model, locale, interactionModel)];
    }),
  );
  const countries = [...new Set(locales.map((locale) => locale.split('-')[1] ?? 'US'))].sort();
  return {
    manifest: {
      manifestVersion: '1.0',
      publishingInformation: {
        locales: textsPerLocale,
        isAvailableWorldwide: false,
        distributionCountries: countries,
        distributionMode: 'PUBLIC',
        category: 'BUSINESS_AND_FINANCE',
        testingInstructions:
          'Ask about an order, an outage or a bill. Say "agent" to get a handoff code. With account linking, the sample backend treats the access token as the customer id (cust-1 is Jan de Vries).',
      },
      privacyAndCompliance: {
        allowsPurchases: false,
        // Customer numbers, postcodes and account details are personal information.
        usesPersonalInfo: true,
        isChildDirected: false,
        isExportCompliant: true,
        containsAds: false,
        ...(settings.privacyPolicyUrl
          ? {
              locales: Object.fromEntries(
                locales.map((locale) => [locale, { privacyPolicyUrl: settings.privacyPolicyUrl }]),
              ),
            }
          : {}),
      },
      apis: {
        custom: {
          endpoint: { uri: settings.endpoint, sslCertificateType: settings.sslCertificateType },
          interfaces: [],
        },
      },
    },
  };
}
