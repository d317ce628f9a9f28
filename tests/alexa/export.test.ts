// `loket export alexa`: the skill package from the shipped model, checked against the schema Alexa documents, and a
// clear refusal of what Alexa would reject.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../fulfillment/cli/export-command.ts';
import { readSettings } from '../../fulfillment/config/settings.ts';
import { exportAlexa } from '../../fulfillment/export/alexa.ts';
import { loadModel } from '../../fulfillment/model/load.ts';
import type { IntentModel } from '../../fulfillment/model/schema.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { fixture } from './alexa-client.ts';
import { interactionModelFileSchema } from './interaction-model-schema.ts';

const ENV = {
  LOKET_PUBLIC_URL: 'https://loket.polderlink.example/',
  LOKET_ALEXA_SSL_CERT_TYPE: 'Wildcard',
  LOKET_PRIVACY_POLICY_URL: 'https://polderlink.example/privacy',
};

function loket(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['bin/loket.mjs', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

let out: string;
let run: ReturnType<typeof loket>;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'loket-alexa-export-'));
  run = loket(['export', 'alexa', '--out', out], ENV);
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('the schema as Amazon documents it', () => {
  it('accepts the documented example and refuses what Alexa refuses', () => {
    const documented = fixture('documented-interaction-model' as any);
    expect(interactionModelFileSchema.safeParse(documented).success).toBe(true);

    const withDigits = structuredClone(documented);
    withDigits.interactionModel.languageModel.intents[4].samples.push('book 2 tickets');
    expect(interactionModelFileSchema.safeParse(withDigits).success).toBe(false);

    const unknownField = structuredClone(documented);
    unknownField.interactionModel.languageModel.utterances = [];
    expect(interactionModelFileSchema.safeParse(unknownField).success).toBe(false);
  });
});

describe('npx loket export alexa --out <dir>', () => {
  it('writes an ASK CLI skill package for every locale Alexa offers', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      join(out, 'ask-resources.json'),
      join(out, 'skill-package', 'skill.json'),
      join(out, 'skill-package', 'interactionModels', 'custom', 'en-US.json'),
      join(out, 'skill-package', 'interactionModels', 'custom', 'nl-NL.json'),
    ]);
    expect(readJson(join(out, 'ask-resources.json')).profiles.default.skillMetadata.src).toBe(
      './skill-package',
    );
  });

  it('writes a manifest with the endpoint, the certificate type, the privacy policy and store texts per locale', () => {
    const { manifest } = readJson(join(out, 'skill-package', 'skill.json'));
    expect(manifest.apis.custom.endpoint).toEqual({
      uri: 'https://loket.polderlink.example/alexa',
      sslCertificateType: 'Wildcard',
    });
    expect(Object.keys(manifest.publishingInformation.locales)).toEqual(['en-US', 'nl-NL']);
    const english = manifest.publishingInformation.locales['en-US'];
    expect(english.name).toBe('Polderlink');
    expect(english.summary.length).toBeGreaterThan(10);
    expect(english.examplePhrases[0]).toBe('Alexa, open polderlink');
    expect(english.examplePhrases.length).toBeLessThanOrEqual(3);
    expect(manifest.privacyAndCompliance.locales['nl-NL']).toEqual({
      privacyPolicyUrl: 'https://polderlink.example/privacy',
    });
    expect(manifest.privacyAndCompliance.usesPersonalInfo).toBe(true);
  });

  for (const locale of ['en-US', 'nl-NL']) {
    it(`writes a ${locale} interaction model that passes the documented schema`, () => {
      const file = readJson(join(out, 'skill-package', 'interactionModels', 'custom', `${locale}.json`));
      const checked = interactionModelFileSchema.safeParse(file);
      expect(checked.success, JSON.stringify(checked.error?.issues.slice(0, 5))).toBe(true);

      const { languageModel, dialog } = file.interactionModel;
      expect(languageModel.invocationName).toBe('polderlink');
      const intents = new Map<string, any>(languageModel.intents.map((intent: any) => [intent.name, intent]));
      for (const builtin of [
        'AMAZON.HelpIntent',
        'AMAZON.StopIntent',
        'AMAZON.CancelIntent',
        'AMAZON.FallbackIntent',
        'AMAZON.NavigateHomeIntent',
        'AMAZON.RepeatIntent',
        'AMAZON.StartOverIntent',
        'AMAZON.YesIntent',
        'AMAZON.NoIntent',
      ]) {
        expect(intents.has(builtin), builtin).toBe(true);
      }
      // Global intents with a built-in become it; the model's own names do not appear twice.
      for (const global of ['Help', 'Stop', 'Repeat', 'StartOver', 'Yes', 'No', 'Fallback']) {
        expect(intents.has(global), global).toBe(false);
      }
      expect(intents.get('AMAZON.FallbackIntent').samples).toEqual([]);
      for (const domain of ['OrderStatus', 'CheckOutage', 'MoveHouse', 'TechnicalProblem', 'SpeakToAgent']) {
        expect(intents.get(domain)?.samples.length, domain).toBeGreaterThan(15);
      }

      const orderStatus = intents.get('OrderStatus');
      expect(orderStatus.slots).toEqual([
        { name: 'orderNumber', type: 'AMAZON.NUMBER', samples: ['{orderNumber}'] },
      ]);
      expect(orderStatus.samples.some((text: string) => /\{orderNumber\}/.test(text))).toBe(true);
      expect(intents.get('MoveHouse').slots.map((slot: any) => slot.type)).toEqual([
        'AMAZON.DATE',
        'postcode',
        'AMAZON.NUMBER',
      ]);

      const device = languageModel.types.find((type: any) => type.name === 'device');
      expect(device.values.map((value: any) => value.id)).toEqual(['internet', 'wifi', 'tv']);
      expect(device.values[1].name.synonyms).toContain('wi-fi');
      const postcode = languageModel.types.find((type: any) => type.name === 'postcode');
      expect(postcode.values.find((value: any) => value.id === '1234AB')).toBeDefined();

      // Slot questions can be asked with Dialog.ElicitSlot; Loket, not Alexa, drives every turn.
      expect(dialog.delegationStrategy).toBe('SKILL_RESPONSE');
      expect(dialog.intents.map((intent: any) => intent.name)).toContain('OrderStatus');
    });
  }

  it('spells numbers out in samples and keeps abbreviations and possessives', () => {
    const english = readJson(join(out, 'skill-package', 'interactionModels', 'custom', 'en-US.json'));
    const dutch = readJson(join(out, 'skill-package', 'interactionModels', 'custom', 'nl-NL.json'));
    const samples = (file: any) =>
      file.interactionModel.languageModel.intents.flatMap((intent: any) => intent.samples);
    expect(samples(english)).toContain('is the help desk open twenty four hours');
    expect(samples(english)).toContain("where's order {orderNumber}");
    expect(samples(dutch)).toContain('is de helpdesk vierentwintig uur per dag open');
  });
});

describe('refusing a model Alexa would reject', () => {
  const settings = readSettings({ LOG_LEVEL: 'error', ...ENV });
  const shipped = (): IntentModel => {
    const { model } = loadModel('.', polderlinkSkills);
    if (!model) throw new Error('model did not load');
    return model;
  };
  const refusal = async (model: IntentModel): Promise<string[]> => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-alexa-refused-'));
    try {
      await exportAlexa(model, dir, settings);
      return [];
    } catch (error) {
      if (error instanceof ExportError) return error.problems;
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('refuses an invalid invocation name', async () => {
    const model = shipped();
    const persona = model.locales['en-US']!.persona;
    persona.invocationName = 'Ask Polderlink 2';
    const problems = await refusal(model);
    expect(problems).toContain(
      "locales/en-US/persona.yaml: invocationName 'Ask Polderlink 2' must be lower case",
    );
    expect(problems.join('\n')).toMatch(/must spell numbers out/);
    expect(problems.join('\n')).toMatch(/wake or launch word\(s\) 'ask'/);
  });

  it('refuses a one-word invocation name that is not the brand', async () => {
    const model = shipped();
    model.locales['nl-NL']!.persona.invocationName = 'internet';
    expect((await refusal(model)).join('\n')).toMatch(/one-word invocation name must be the brand/);
  });

  it('refuses samples with characters Alexa forbids', async () => {
    const model = shipped();
    model.locales['en-US']!.phrases.OrderStatus!.push({ text: 'where is order #12 @ home', slots: [] });
    const problems = await refusal(model);
    expect(problems).toEqual([
      `locales/en-US/phrases/OrderStatus.yaml: "where is order #12 @ home": Alexa refuses the character(s) '#' '@'`,
    ]);
  });

  it('refuses one sample in two intents', async () => {
    const model = shipped();
    // The loader accepts these as different phrases; spelled out for Alexa, they are the same sample.
    model.locales['en-US']!.phrases.CheckOutage!.push({
      text: 'is the help desk open twenty four hours',
      slots: [],
    });
    expect(await refusal(model)).toEqual([
      'locales/en-US/phrases/OpeningHours.yaml: "is the help desk open 24 hours" and locales/en-US/phrases/CheckOutage.yaml: "is the help desk open twenty four hours" both become the sample "is the help desk open twenty four hours"; Alexa refuses a sample in two intents',
    ]);
  });

  it('exits 1 from the command line with every problem, and writes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'loket-alexa-model-'));
    const target = mkdtempSync(join(tmpdir(), 'loket-alexa-out-'));
    try {
      cpSync('intents', join(root, 'intents'), { recursive: true });
      cpSync('locales', join(root, 'locales'), { recursive: true });
      const persona = join(root, 'locales', 'en-US', 'persona.yaml');
      writeFileSync(
        persona,
        readFileSync(persona, 'utf8').replace(
          'invocationName: polderlink',
          'invocationName: Polderlink Alexa',
        ),
      );
      const refused = loket(['export', 'alexa', '--out', target], { ...ENV, LOKET_MODEL_DIR: root });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/invocationName 'Polderlink Alexa' must be lower case/);
      expect(refused.stderr).toMatch(/export alexa refused: 2 problem\(s\)/);
      expect(spawnSync('ls', [target], { encoding: 'utf8' }).stdout).toBe('');
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('needs LOKET_PUBLIC_URL, an https one', () => {
    const missing = loket(['export', 'alexa', '--out', join(tmpdir(), 'never-written')], {});
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/LOKET_PUBLIC_URL: must be set for `loket export alexa`/);
    const plain = loket(['export', 'alexa', '--out', join(tmpdir(), 'never-written')], {
      LOKET_PUBLIC_URL: 'http://loket.example',
    });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/LOKET_PUBLIC_URL: must start with https:\/\//);
  });
});
