// `loket export alexa --out <dir>`: an ASK CLI skill package (skill-package/skill.json and one interaction model per
// locale Alexa offers), or a refusal that names every problem Alexa would reject the model for.
// Layout: https://developer.amazon.com/en-US/docs/alexa/smapi/skill-package-api-reference.html
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlexaSkillLocale } from '../channels/alexa/locales.ts';
import { ExportError, type Exporter } from '../cli/export-command.ts';
import { type AlexaInteractionModelFile, buildInteractionModel } from './alexa/interaction-model.ts';
import { buildSkillManifest } from './alexa/manifest.ts';
import { readAlexaExportSettings } from './alexa/settings.ts';

/** `ask deploy` reads this to find the skill package; Loket hosts the endpoint itself, so there is no infrastructure. */
const ASK_RESOURCES = {
  askcliResourcesVersion: '2020-03-31',
  profiles: { default: { skillMetadata: { src: './skill-package' } } },
};

function writeJson(path: string, value: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

export const exportAlexa: Exporter = async (model, outDir, settings) => {
  const exportSettings = readAlexaExportSettings(settings.env);
  const modelLocales = Object.keys(model.locales).sort();
  const problems: string[] = [];
  for (const locale of exportSettings.locales ?? []) {
    if (!model.locales[locale]) problems.push(`LOKET_ALEXA_LOCALES: the model has no locale ${locale}`);
  }
  const locales = (exportSettings.locales ?? modelLocales).filter(
    (locale) => model.locales[locale] && isAlexaSkillLocale(locale),
  );
  for (const locale of modelLocales.filter((locale) => !isAlexaSkillLocale(locale))) {
    console.error(`warning: ${locale} is left out: Alexa offers no custom skills in that locale`);
  }
  if (locales.length === 0) problems.push('no locale of the model is one Alexa offers skills in');

  const interactionModels = new Map<string, AlexaInteractionModelFile>();
  for (const locale of locales) {
    const built = buildInteractionModel(model, locale);
    problems.push(...built.problems);
    interactionModels.set(locale, built.file);
  }
  if (problems.length > 0) throw new ExportError(problems);

  if (!exportSettings.privacyPolicyUrl) {
    console.error(
      'warning: LOKET_PRIVACY_POLICY_URL is not set; a skill that uses personal information needs one to pass certification',
    );
  }
  const written = [writeJson(join(outDir, 'ask-resources.json'), ASK_RESOURCES)];
  written.push(
    writeJson(
      join(outDir, 'skill-package', 'skill.json'),
      buildSkillManifest(model, interactionModels, exportSettings),
    ),
  );
  for (const [locale, file] of interactionModels) {
    written.push(
      writeJson(join(outDir, 'skill-package', 'interactionModels', 'custom', `${locale}.json`), file),
    );
  }
  return written;
};
