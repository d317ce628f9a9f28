// `loket export dialogflow-cx` and `dialogflow-es`: the files, their structure and cross-references, the CX files
// against Google's protos (in the JSON-package dialect), the zip, and the refusals.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../fulfillment/cli/export-command.ts';
import { readSettings } from '../../fulfillment/config/settings.ts';
import { exportDialogflowCx } from '../../fulfillment/export/dialogflow-cx.ts';
import { exportDialogflowEs } from '../../fulfillment/export/dialogflow-es.ts';
import { loadModel } from '../../fulfillment/model/load.ts';
import type { IntentModel } from '../../fulfillment/model/schema.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { protoProblems } from './proto-check.ts';

const PUBLIC_URL = 'https://loket.example.com';
const settings = (env: Record<string, string> = {}) => readSettings({ LOKET_PUBLIC_URL: PUBLIC_URL, ...env });
const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'loket-export-'));
  temp.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

let model: IntentModel;
beforeAll(() => {
  const loaded = loadModel('.', polderlinkSkills);
  if (!loaded.model) throw new Error('the shipped model does not load');
  model = loaded.model;
});

const read = (dir: string, path: string): any => JSON.parse(readFileSync(join(dir, path), 'utf8'));
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
const served = (intents: IntentModel['intents']) =>
  Object.keys(intents)
    .filter((name) => name !== 'Fallback')
    .sort();

function expectZipMatchesFolder(dir: string) {
  const zipped = unzipSync(readFileSync(join(dir, 'agent.zip')));
  const folder = filesUnder(dir).filter((path) => path !== 'agent.zip');
  expect(Object.keys(zipped).sort()).toEqual(folder);
  for (const path of folder)
    expect(Buffer.from(zipped[path]!).equals(readFileSync(join(dir, path))), path).toBe(true);
}

// The JSON package writes languageCode on phrases, entities and messages, which the API messages do not have.
const CX_EXPORT = {
  exportDialect: {
    extraFields: {
      'google.cloud.dialogflow.cx.v3.Intent.TrainingPhrase': ['languageCode'],
      'google.cloud.dialogflow.cx.v3.EntityType.Entity': ['languageCode'],
      'google.cloud.dialogflow.cx.v3.ResponseMessage': ['languageCode'],
    },
  },
};

describe('export dialogflow-cx', () => {
  let dir: string;
  let written: string[];
  beforeAll(async () => {
    dir = tempDir();
    written = await exportDialogflowCx(model, dir, settings({ LOKET_AGENT_PHONE_NUMBER: '+31201234567' }));
  });

  it('writes the JSON package layout and says which files it wrote', () => {
    const files = filesUnder(dir);
    expect(written.map((path) => relative(dir, path)).sort()).toEqual(files);
    for (const path of [
      'agent.json',
      'webhooks/Loket.json',
      'flows/Default Start Flow/Default Start Flow.json',
      'intents/Default Welcome Intent/Default Welcome Intent.json',
      'intents/Default Negative Intent/Default Negative Intent.json',
      'intents/Default Negative Intent/trainingPhrases/nl.json',
      'entityTypes/device/device.json',
      'entityTypes/device/entities/en.json',
      'entityTypes/device/entities/nl.json',
      'entityTypes/postcode/postcode.json',
      'agent.zip',
    ]) {
      expect(files, path).toContain(path);
    }
    for (const intent of served(model.intents)) {
      expect(files).toContain(`intents/${intent}/${intent}.json`);
      expect(files).toContain(`intents/${intent}/trainingPhrases/en.json`);
      expect(files).toContain(`intents/${intent}/trainingPhrases/nl.json`);
    }
    expect(files.some((path) => path.startsWith('intents/Fallback/'))).toBe(false);
  });

  it('holds the agent settings, and a webhook at LOKET_PUBLIC_URL without any secret', () => {
    expect(read(dir, 'agent.json')).toMatchObject({
      displayName: 'Polderlink',
      defaultLanguageCode: 'en',
      supportedLanguageCodes: ['nl'],
      timeZone: 'Europe/Amsterdam',
      startFlow: 'Default Start Flow',
      advancedSettings: { dtmfSettings: { enabled: true } },
    });
    expect(read(dir, 'webhooks/Loket.json')).toEqual({
      name: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: 'Loket',
      genericWebService: {
        uri: `${PUBLIC_URL}/google/cx`,
        webhookType: 'STANDARD',
        serviceAgentAuth: 'NONE',
      },
      timeout: { seconds: 10 },
    });
  });

  it('routes every intent of the model, and no-match and no-input, to the webhook with tags', () => {
    const flow = read(dir, 'flows/Default Start Flow/Default Start Flow.json');
    expect(flow.name).toBe('00000000-0000-0000-0000-000000000000');
    const routed = flow.transitionRoutes.map((route: any) => route.intent);
    expect(routed).toEqual(['Default Welcome Intent', ...served(model.intents)]);
    for (const route of flow.transitionRoutes) {
      expect(route.triggerFulfillment).toEqual({
        webhook: 'Loket',
        tag: route.intent === 'Default Welcome Intent' ? 'welcome' : 'intent',
      });
    }
    const events = Object.fromEntries(flow.eventHandlers.map((handler: any) => [handler.event, handler]));
    expect(events['sys.no-match-default'].triggerFulfillment).toEqual({ webhook: 'Loket', tag: 'no-match' });
    expect(events['sys.no-input-default'].triggerFulfillment).toEqual({ webhook: 'Loket', tag: 'no-input' });
    const fallback = events['webhook.error'].triggerFulfillment.messages;
    expect(fallback).toContainEqual({
      telephonyTransferCall: { phoneNumber: '+31201234567' },
      languageCode: 'nl',
    });
    expect(
      fallback.find((message: any) => message.text && message.languageCode === 'nl').text.text[0],
    ).toMatch(/collega/);
  });

  it("keeps the model's training phrases, with slot annotations that point at declared parameters", () => {
    const entityTypes = new Set(readdirSync(join(dir, 'entityTypes')).map((name) => `@${name}`));
    for (const intent of served(model.intents)) {
      const definition = read(dir, `intents/${intent}/${intent}.json`);
      const parameters = new Map<string, string>(
        (definition.parameters ?? []).map((parameter: any) => [parameter.id, parameter.entityType]),
      );
      expect([...parameters.keys()]).toEqual(model.intents[intent]!.slots.map((slot) => slot.name));
      for (const entityType of parameters.values()) {
        expect(entityType.startsWith('@sys.') || entityTypes.has(entityType), entityType).toBe(true);
      }
      for (const [code, locale] of [
        ['en', 'en-US'],
        ['nl', 'nl-NL'],
      ] as const) {
        const { trainingPhrases } = read(dir, `intents/${intent}/trainingPhrases/${code}.json`);
        const texts = trainingPhrases.map((phrase: any) =>
          phrase.parts.map((part: any) => part.text).join(''),
        );
        expect(texts).toEqual(model.locales[locale]!.phrases[intent]!.map((phrase) => phrase.text));
        for (const phrase of trainingPhrases) {
          expect(phrase.languageCode).toBe(code);
          for (const part of phrase.parts) {
            expect(part.text.length).toBeGreaterThan(0);
            if (part.parameterId) expect(parameters.has(part.parameterId), part.parameterId).toBe(true);
          }
        }
      }
    }
    const annotated = read(dir, 'intents/OrderStatus/trainingPhrases/nl.json').trainingPhrases.find(
      (phrase: any) => phrase.parts.some((part: any) => part.parameterId),
    );
    expect(annotated.parts).toContainEqual({ text: '45123', parameterId: 'orderNumber' });
  });

  it('defines entity types with the entity id as reference value and the synonyms per language', () => {
    const device = read(dir, 'entityTypes/device/device.json');
    expect(device).toMatchObject({ displayName: 'device', kind: 'KIND_MAP' });
    const { entities } = read(dir, 'entityTypes/device/entities/nl.json');
    expect(entities.map((entity: any) => entity.value)).toEqual(['internet', 'wifi', 'tv']);
    expect(entities[0].synonyms).toContain('glasvezel');
    expect(read(dir, 'entityTypes/postcode/postcode.json').kind).toBe('KIND_REGEXP');
  });

  it("is valid against Google's CX protos, in the JSON package's dialect", () => {
    const check = (type: string, json: unknown) =>
      expect(protoProblems(`google.cloud.dialogflow.cx.v3.${type}`, json, CX_EXPORT), type).toEqual([]);
    check('Agent', read(dir, 'agent.json'));
    check('Webhook', read(dir, 'webhooks/Loket.json'));
    check('Flow', read(dir, 'flows/Default Start Flow/Default Start Flow.json'));
    for (const intent of readdirSync(join(dir, 'intents'))) {
      const phrasesDir = join(dir, 'intents', intent, 'trainingPhrases');
      const trainingPhrases = existsSync(phrasesDir)
        ? readdirSync(phrasesDir).flatMap((file) => read(phrasesDir, file).trainingPhrases)
        : [];
      check('Intent', { ...read(dir, `intents/${intent}/${intent}.json`), trainingPhrases });
    }
    for (const entityType of readdirSync(join(dir, 'entityTypes'))) {
      const entitiesDir = join(dir, 'entityTypes', entityType, 'entities');
      const entities = readdirSync(entitiesDir).flatMap((file) => read(entitiesDir, file).entities);
      check('EntityType', { ...read(dir, `entityTypes/${entityType}/${entityType}.json`), entities });
    }
  });

  it('zips the same files, byte for byte, and exports an unchanged model identically', async () => {
    expectZipMatchesFolder(dir);
    const again = tempDir();
    await exportDialogflowCx(model, again, settings({ LOKET_AGENT_PHONE_NUMBER: '+31201234567' }));
    expect(readFileSync(join(again, 'agent.zip')).equals(readFileSync(join(dir, 'agent.zip')))).toBe(true);
  });

  it('asks Dialogflow for ID tokens when ID-token auth is configured', async () => {
    const out = tempDir();
    await exportDialogflowCx(
      model,
      out,
      settings({
        LOKET_GOOGLE_AUDIENCE: `${PUBLIC_URL}/google/cx`,
        LOKET_GOOGLE_SERVICE_ACCOUNTS: 'service-1@gcp-sa-dialogflow.iam.gserviceaccount.com',
      }),
    );
    expect(read(out, 'webhooks/Loket.json').genericWebService.serviceAgentAuth).toBe('ID_TOKEN');
  });
});

describe('export dialogflow-es', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    await exportDialogflowEs(model, dir, settings());
  });

  it('writes agent.json, package.json, intents with usersays per language, and entities', () => {
    const files = filesUnder(dir);
    for (const path of [
      'agent.json',
      'package.json',
      'intents/Default Welcome Intent.json',
      'intents/Default Fallback Intent.json',
      'intents/Default Fallback Intent_usersays_nl.json',
      'entities/device.json',
      'entities/device_entries_en.json',
      'entities/device_entries_nl.json',
      'entities/postcode.json',
      'agent.zip',
    ]) {
      expect(files, path).toContain(path);
    }
    for (const intent of served(model.intents)) {
      expect(files).toContain(`intents/${intent}.json`);
      expect(files).toContain(`intents/${intent}_usersays_en.json`);
      expect(files).toContain(`intents/${intent}_usersays_nl.json`);
    }
    expect(read(dir, 'package.json')).toEqual({ version: '1.0.0' });
    expect(read(dir, 'agent.json')).toMatchObject({
      language: 'en',
      supportedLanguages: ['nl'],
      defaultTimezone: 'Europe/Amsterdam',
      webhook: { url: `${PUBLIC_URL}/google/es`, available: true, headers: {} },
      onePlatformApiVersion: 'v2beta1',
    });
    expectZipMatchesFolder(dir);
  });

  it('sends every intent to the webhook and starts on the welcome events', () => {
    const welcome = read(dir, 'intents/Default Welcome Intent.json');
    expect(welcome.events).toEqual([{ name: 'WELCOME' }, { name: 'TELEPHONY_WELCOME' }]);
    expect(read(dir, 'intents/Default Fallback Intent.json')).toMatchObject({
      fallbackIntent: true,
      webhookUsed: true,
    });
    for (const intent of served(model.intents)) {
      const definition = read(dir, `intents/${intent}.json`);
      expect(definition).toMatchObject({ name: intent, webhookUsed: true, fallbackIntent: false });
      const parameters = new Map<string, string>(
        definition.responses[0].parameters.map((parameter: any) => [parameter.name, parameter.dataType]),
      );
      expect([...parameters.keys()]).toEqual(model.intents[intent]!.slots.map((slot) => slot.name));
      for (const [code, locale] of [
        ['en', 'en-US'],
        ['nl', 'nl-NL'],
      ] as const) {
        const userSays = read(dir, `intents/${intent}_usersays_${code}.json`);
        expect(userSays.map((entry: any) => entry.data.map((part: any) => part.text).join(''))).toEqual(
          model.locales[locale]!.phrases[intent]!.map((phrase) => phrase.text),
        );
        for (const entry of userSays) {
          expect(entry.lang).toBe(code);
          for (const part of entry.data.filter((candidate: any) => candidate.alias)) {
            expect(parameters.get(part.alias), part.alias).toBe(part.meta);
            expect(part.userDefined).toBe(true);
          }
        }
      }
    }
  });

  it('lists entity entries with the entity id as value', () => {
    expect(read(dir, 'entities/month.json')).toMatchObject({ name: 'month', isEnum: false, isRegexp: false });
    const months = read(dir, 'entities/month_entries_nl.json');
    expect(months[0]).toEqual({ value: '01', synonyms: ['januari', 'jan'] });
    expect(read(dir, 'entities/postcode.json').isRegexp).toBe(true);
  });
});

describe('export refusals', () => {
  it('refuses without an https LOKET_PUBLIC_URL', async () => {
    await expect(exportDialogflowCx(model, tempDir(), readSettings({}))).rejects.toThrow(
      /LOKET_PUBLIC_URL is not set/,
    );
    await expect(
      exportDialogflowEs(model, tempDir(), readSettings({ LOKET_PUBLIC_URL: 'http://localhost:3000' })),
    ).rejects.toBeInstanceOf(ExportError);
  });

  it('refuses a folder that holds something else, and replaces an earlier export', async () => {
    const busy = tempDir();
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    await expect(exportDialogflowEs(model, busy, settings())).rejects.toThrow(/not empty/);
    expect(readdirSync(busy)).toEqual(['notes.txt']);

    const earlier = tempDir();
    await exportDialogflowCx(model, earlier, settings());
    mkdirSync(join(earlier, 'intents', 'Removed'), { recursive: true });
    writeFileSync(join(earlier, 'intents', 'Removed', 'Removed.json'), '{}');
    await exportDialogflowCx(model, earlier, settings());
    expect(existsSync(join(earlier, 'intents', 'Removed'))).toBe(false);
  });

  it('refuses a synonym listed under two values of one entity type', async () => {
    const nl = model.locales['nl-NL']!;
    const broken: IntentModel = {
      ...model,
      locales: {
        ...model.locales,
        'nl-NL': {
          ...nl,
          entities: {
            ...nl.entities,
            device: nl.entities.device!.map((entry) =>
              entry.id === 'tv' ? { ...entry, synonyms: [...entry.synonyms, 'router'] } : entry,
            ),
          },
        },
      },
    };
    await expect(exportDialogflowCx(broken, tempDir(), settings())).rejects.toThrow(
      /device: "router" is a synonym of both internet and tv/,
    );
  });
});

describe('npx loket export', () => {
  it('writes the CX agent from the command line', () => {
    const out = join(tempDir(), 'cx');
    const result = spawnSync(process.execPath, ['bin/loket.mjs', 'export', 'dialogflow-cx', '--out', out], {
      env: { ...process.env, LOKET_PUBLIC_URL: PUBLIC_URL },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/exported dialogflow-cx: \d+ file\(s\)/);
    expect(existsSync(join(out, 'agent.zip'))).toBe(true);
  });
});
