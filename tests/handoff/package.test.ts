// The handoff package: an extractive summary in the customer's language from the designer's words (the issue's own
// example), the shipped handoff.yaml files checked against the model, and personal data masked everywhere a callback
// flow puts it (transcript, package, webhook body), also in spoken forms.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffPackageSchema } from '../../fulfillment/core/types.ts';
import { callerKeyOf } from '../../fulfillment/handoff/package.ts';
import { appendToSummary, summarizeHandoff, summaryClause } from '../../fulfillment/handoff/summary.ts';
import { webhookBody } from '../../fulfillment/handoff/webhook.ts';
import { loadHandoffWords } from '../../fulfillment/handoff/words.ts';
import { loadModel } from '../../fulfillment/model/load.ts';
import { formatProblem } from '../../fulfillment/model/problems.ts';
import { maskPersonalData } from '../../fulfillment/privacy/mask.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

const { model } = loadModel('.', polderlinkSkills);
const { words, problems } = loadHandoffWords('.', ['nl-NL', 'en-US'], model ?? undefined);
const move = { intent: 'MoveHouse', slots: { moveDate: '2026-12-01', postcode: '1234AB', houseNumber: '5' } };

describe('the summary', () => {
  it('reads like the issue’s example, in Dutch and in English, with the address masked', () => {
    expect(
      summarizeHandoff({
        locale: 'nl-NL',
        words: words['nl-NL'] ?? null,
        model,
        intents: [move],
        verified: true,
        reason: 'asked-for-person',
      }),
    ).toBe(
      'Klant wil verhuizen per 1 december naar [address]; identiteit gecontroleerd; doorverbonden op verzoek.',
    );
    expect(
      summarizeHandoff({
        locale: 'en-US',
        words: words['en-US'] ?? null,
        model,
        intents: [move],
        verified: true,
        reason: 'asked-for-person',
      }),
    ).toBe(
      "Customer wants to move house on December 1 to [address]; identity verified; transferred at the customer's request.",
    );
  });

  it('leaves out the parts whose slots are missing, names entity values, and joins several wants', () => {
    const summary = summarizeHandoff({
      locale: 'nl-NL',
      words: words['nl-NL'] ?? null,
      model,
      intents: [
        { intent: 'MoveHouse', slots: { moveDate: '2026-12-01' } },
        { intent: 'MoveHouse', slots: { moveDate: '2026-12-01' } },
        { intent: 'TechnicalProblem', slots: { device: 'wifi' } },
        { intent: 'Complaint', slots: {} },
      ],
      verified: false,
      reason: 'frustration',
    });
    expect(summary).toBe(
      'Klant wil verhuizen per 1 december, hulp bij een storing met wifi en een klacht indienen; identiteit niet gecontroleerd; klant is gefrustreerd.',
    );
  });

  it('says so when nothing was recognised, and falls back to intent names without designer words', () => {
    expect(
      summarizeHandoff({
        locale: 'nl-NL',
        words: words['nl-NL'] ?? null,
        model,
        intents: [],
        verified: false,
        reason: 'no-match',
      }),
    ).toBe(
      'Klant heeft nog niet gezegd waar het over gaat; identiteit niet gecontroleerd; bot begreep de klant niet.',
    );
    expect(
      summarizeHandoff({
        locale: 'nl-NL',
        words: null,
        model: null,
        intents: [move],
        verified: false,
        reason: 'policy',
      }),
    ).toBe(
      'Customer wants MoveHouse (moveDate 1 december, postcode [postcode], houseNumber 5); identity not verified; this needs a colleague.',
    );
  });

  it('adds a callback clause once, and replaces it when the moment changes', () => {
    const nl = words['nl-NL'] ?? null;
    const base = 'Klant wil een klacht indienen; identiteit niet gecontroleerd; vraag voor een medewerker.';
    const asap = summaryClause(
      'callback',
      { moment: { asap: true, date: null, dayPart: null } },
      nl,
      'nl-NL',
    );
    const morning = summaryClause(
      'callback',
      { moment: { asap: false, date: '2026-11-23', dayPart: 'morning' } },
      nl,
      'nl-NL',
    );
    const once = appendToSummary(base, asap);
    expect(once).toBe(`${base.slice(0, -1)}; wil teruggebeld worden zo snel mogelijk.`);
    expect(appendToSummary(once, asap)).toBe(once);
    expect(appendToSummary(once, morning, asap)).toBe(
      `${base.slice(0, -1)}; wil teruggebeld worden op 23 november in de ochtend.`,
    );
  });
});

describe('the shipped handoff words', () => {
  it('parse for every locale, name every domain intent, and use only real slots', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    const domain = Object.values(model?.intents ?? {})
      .filter((intent) => intent.kind === 'domain')
      .map((intent) => intent.name)
      .sort();
    for (const locale of ['nl-NL', 'en-US']) {
      expect(Object.keys(words[locale]?.intents ?? {}).sort(), locale).toEqual(
        expect.arrayContaining(domain.filter((name) => name !== 'SpeakToAgent')),
      );
    }
  });

  describe('with a broken file', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'loket-words-'));
      mkdirSync(join(dir, 'locales', 'nl-NL'), { recursive: true });
      writeFileSync(
        join(dir, 'locales', 'nl-NL', 'handoff.yaml'),
        'summary:\n  wants: Klant wil {wants}\nintents:\n  Nope:\n    wants: iets\n',
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports file:line:column warnings, and a locale without the file gets plain words', () => {
      const result = loadHandoffWords(dir, ['nl-NL', 'en-US'], model ?? undefined);
      const lines = result.problems.map(formatProblem);
      expect(lines.some((line) => /locales\/nl-NL\/handoff\.yaml:2:3: warning: /.test(line))).toBe(true);
      expect(
        lines.some((line) => /en-US\/handoff\.yaml:1:1: warning: no handoff words for en-US/.test(line)),
      ).toBe(true);
      expect(result.words).toEqual({});
    });
  });
});

describe('personal data around a callback', () => {
  let server: TestServer;
  let sessionCounter = 0;
  beforeAll(async () => {
    server = await startTestServer({});
  });
  afterAll(async () => {
    await server?.close();
  });

  // Spoken forms an ASR produces; the phone-number entity reads them all.
  it.each([
    ['nul zes een twee drie vier vijf zes zeven acht'],
    ['nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig'],
    ['zes twaalf vierendertig zesenvijftig achtenzeventig'],
    ['06-12345678'],
  ])(
    'keeps the number "%s" out of the transcript and the package, but gives it to the colleague',
    async (spoken) => {
      sessionCounter += 1;
      const sessionId = `privacy-${sessionCounter}`;
      const say = (text: string) => converse(server.url, { sessionId, locale: 'nl-NL', text });
      const handoff = (await say('ik wil een klacht indienen')).json.handoff;
      await say('ja');
      const readBack = await say(spoken);
      expect(readBack.json.reply.text).toContain('0612345678');
      await say('ja');
      await say('zo snel mogelijk');

      const transcript = await server.runtime.deps.records.listTranscript(sessionId);
      const stored = handoffPackageSchema.parse(await server.runtime.deps.records.getHandoff(handoff.id));
      const everything = JSON.stringify({ transcript, stored: { ...stored, callback: null } });
      for (const leak of ['612345678', '12345678', 'twaalf, vierendertig', 'twaalf vierendertig']) {
        expect(everything).not.toContain(leak);
      }
      expect(transcript.some((record) => record.text.includes('[phone]'))).toBe(true);
      // The colleague who calls back gets the number itself, and so does the contact centre's webhook.
      expect(stored.callback?.phone).toBe('+31612345678');
      expect(JSON.parse(webhookBody(stored)).callback.phone).toBe('+31612345678');
      expect(stored.summary).toMatch(/wil teruggebeld worden zo snel mogelijk\.$/);
    },
  );

  it('links later calls by a pseudonym of the number, never the number itself', () => {
    expect(callerKeyOf('+31612345678')).toBe(callerKeyOf('06 12345678'));
    expect(callerKeyOf('+31612345678')).toBe(callerKeyOf('0031612345678'));
    expect(callerKeyOf('+31612345678')).not.toBe(callerKeyOf('+31612345679'));
    expect(callerKeyOf('+31612345678')).not.toContain('612345678');
  });

  // The same words said elsewhere in a conversation, not only in the callback flow, are masked too.
  it('masks a phone number read out in spoken pairs, with or without pauses and the leading 0', () => {
    expect(maskPersonalData('nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig')).toBe('[phone]');
    expect(maskPersonalData('zes twaalf vierendertig zesenvijftig achtenzeventig')).toBe('[phone]');
  });
});
