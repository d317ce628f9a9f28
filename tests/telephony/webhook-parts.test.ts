// The webhook's parts on their own: the signature against Twilio's helper, SSML per voice, settings, the transfer
// target and how a <Gather> result becomes a Turn input.
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { gatherInput } from '../../fulfillment/channels/telephony/call-turn.ts';
import { chosenLocale, languageNames } from '../../fulfillment/channels/telephony/language-menu.ts';
import { readTelephonySettings } from '../../fulfillment/channels/telephony/settings.ts';
import { isValidTwilioSignature, twilioSignature } from '../../fulfillment/channels/telephony/signature.ts';
import {
  flexTaskAttributes,
  ringToneFor,
  sipUriWithHandoff,
  userToUser,
} from '../../fulfillment/channels/telephony/transfer.ts';
import { sayMarkup, ssmlSupportOf } from '../../fulfillment/channels/telephony/voices.ts';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import type { Speech } from '../../fulfillment/core/types.ts';
import { AUTH_TOKEN } from './twilio-client.ts';

const LOCALES = ['en-US', 'nl-NL'];

describe('twilioSignature', () => {
  const url = 'https://loket.example.com/telephony/twilio/gather?locale=nl-NL';
  const params = {
    CallSid: 'CA1234567890abcdef1234567890abcdef',
    SpeechResult: 'waar blijft mijn bestelling?',
    Confidence: '0.9133',
    From: '+31612345678',
    Digits: '',
  };

  it("is Twilio's own algorithm", () => {
    expect(twilioSignature(AUTH_TOKEN, url, params)).toBe(
      twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    );
  });

  it('matches Twilio for repeated parameters and an empty body (a WebSocket upgrade)', () => {
    const repeated = { Called: ['b', 'a', 'b'], To: '+31201234567' };
    expect(twilioSignature(AUTH_TOKEN, url, repeated)).toBe(
      twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, repeated as any),
    );
    expect(twilioSignature(AUTH_TOKEN, 'wss://loket.example.com/telephony/stream', {})).toBe(
      twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'wss://loket.example.com/telephony/stream', {}),
    );
  });

  it('accepts the URL with or without the default port, and nothing else', () => {
    const signed = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      'https://loket.example.com:443/a?b=c',
      params,
    );
    expect(isValidTwilioSignature(AUTH_TOKEN, signed, 'https://loket.example.com/a?b=c', params)).toBe(true);
    expect(isValidTwilioSignature(AUTH_TOKEN, signed, 'https://loket.example.com/a?b=d', params)).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, undefined, 'https://loket.example.com/a?b=c', params)).toBe(
      false,
    );
    expect(isValidTwilioSignature(AUTH_TOKEN, 'short', 'https://loket.example.com/a?b=c', params)).toBe(
      false,
    );
  });
});

describe('sayMarkup', () => {
  const speech: Speech = [
    { kind: 'emphasis', text: 'Goed' },
    { kind: 'text', text: ' nieuws: ' },
    { kind: 'say-as', as: 'digits', value: '45123', display: '45123' },
    { kind: 'pause', ms: 350 },
    { kind: 'text', text: ' is verzonden & onderweg.' },
  ];

  it('gives Polly neural voices breaks, say-as and prosody, but no emphasis', () => {
    expect(sayMarkup(speech, 'Polly.Laura-Neural', true)).toBe(
      '<prosody rate="85%">Goed nieuws: <say-as interpret-as="digits">45123</say-as><break time="350ms"/> is verzonden &amp; onderweg.</prosody>',
    );
  });

  it('gives standard Polly voices everything, and Google voices characters for digits', () => {
    expect(sayMarkup(speech, 'Polly.Lotte', false)).toContain('<emphasis level="moderate">Goed</emphasis>');
    expect(sayMarkup(speech, 'Google.nl-NL-Wavenet-B', false)).toContain(
      '<say-as interpret-as="characters">45123</say-as>',
    );
  });

  it('gives Chirp 3 HD and the basic voices plain text, and generative voices no prosody', () => {
    expect(sayMarkup(speech, 'Google.nl-NL-Chirp3-HD-Kore', true)).toBe(
      'Goed nieuws: 45123 is verzonden &amp; onderweg.',
    );
    expect(sayMarkup(speech, 'woman', false)).not.toMatch(/</);
    expect(sayMarkup(speech, 'Polly.Joanna-Generative', true)).not.toMatch(/prosody/);
    expect(ssmlSupportOf('Polly.Joanna-Generative').breaks).toBe(true);
  });
});

describe('readTelephonySettings', () => {
  it('reads numbers, voices and the transfer target, with safe defaults', () => {
    const settings = readTelephonySettings(
      {
        LOKET_PUBLIC_URL: 'https://loket.example.com/',
        LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        LOKET_PHONE_LOCALES: '+31201234567=nl-NL, +12025550123=en-US',
        LOKET_PHONE_VOICES: 'en-US=Google.en-US-Neural2-F',
        LOKET_AGENT_SIP_URI: 'sip:agents@pbx.example.com',
        LOKET_AZURE_SPEECH_KEY: 'a'.repeat(32),
        LOKET_AZURE_SPEECH_REGION: 'westeurope',
        LOKET_AZURE_SPEECH_VOICES: 'nl-NL=nl-NL-ColetteNeural,en-US=en-US-JennyNeural:customerservice',
      },
      LOCALES,
    );
    expect(settings).toMatchObject({
      publicUrl: 'https://loket.example.com',
      verify: true,
      voices: { 'nl-NL': 'Polly.Laura-Neural', 'en-US': 'Google.en-US-Neural2-F' },
      agentSipUri: 'sip:agents@pbx.example.com',
      stream: false,
      azure: {
        region: 'westeurope',
        voices: {
          'nl-NL': { name: 'nl-NL-ColetteNeural' },
          'en-US': { name: 'en-US-JennyNeural', style: 'customerservice' },
        },
      },
    });
    expect(settings.numberLocales.get('+12025550123')).toBe('en-US');
  });

  it('refuses bad values with one line each, and never echoes a secret', () => {
    let error: unknown;
    try {
      readTelephonySettings(
        {
          LOKET_TWILIO_AUTH_TOKEN: 'short',
          LOKET_TWILIO_VERIFY: 'nope',
          LOKET_PHONE_LOCALES: '0201234567=nl-NL',
          LOKET_AGENT_SIP_URI: 'sip:agents@pbx.example.com?X-Foo=1',
          LOKET_AZURE_SPEECH_REGION: 'westeurope',
        },
        LOCALES,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems.join('\n');
    expect(problems).toMatch(/LOKET_TWILIO_AUTH_TOKEN: .*\(got \(hidden\)\)/);
    expect(problems).not.toMatch(/short/);
    expect(problems).toMatch(/LOKET_TWILIO_VERIFY: must be true or false/);
    expect(problems).toMatch(/LOKET_PHONE_LOCALES: .*E\.164/);
    expect(problems).toMatch(/LOKET_AGENT_SIP_URI: .*without headers/);
    expect(problems).toMatch(/LOKET_AZURE_SPEECH_KEY: required with LOKET_AZURE_SPEECH_REGION/);
  });

  it('refuses a number pointing at a locale the model does not have, and SIP with Flex', () => {
    expect(() => readTelephonySettings({ LOKET_PHONE_LOCALES: '+4930123456=de-DE' }, LOCALES)).toThrow(
      /de-DE, which the model does not have/,
    );
    expect(() =>
      readTelephonySettings(
        { LOKET_AGENT_SIP_URI: 'sip:a@b.example', LOKET_FLEX_WORKFLOW_SID: `WW${'0'.repeat(32)}` },
        LOCALES,
      ),
    ).toThrow(/not both/);
  });
});

describe('the transfer target', () => {
  it('carries only the handoff id, in an X- header, and optionally as User-to-User', () => {
    const id = '4ce983c8-c2a6-43ad-b9bd-d0cc8b708d74';
    expect(sipUriWithHandoff('sip:agents@pbx.example.com', id, false)).toBe(
      `sip:agents@pbx.example.com?X-Loket-Handoff=${id}`,
    );
    const withUui = sipUriWithHandoff('sip:agents@pbx.example.com', id, true);
    expect(withUui).toBe(
      `sip:agents@pbx.example.com?X-Loket-Handoff=${id}&User-to-User=${encodeURIComponent(userToUser(id))}`,
    );
    expect(Buffer.from(userToUser(id).split(';')[0] ?? '', 'hex').toString()).toBe(id);
  });

  it('rings like home', () => {
    expect(ringToneFor('nl-NL')).toBe('nl');
    expect(ringToneFor('en-US')).toBe('us');
    expect(ringToneFor('en-GB')).toBe('uk');
    expect(ringToneFor('xx-QQ')).toBeUndefined();
  });

  it('puts the routing facts in Flex task attributes, as JSON', () => {
    const attributes = JSON.parse(
      flexTaskAttributes(
        { id: 'h1', code: '123456', reason: 'policy', queue: 'billing', locale: 'nl-NL' } as any,
        '+31612345678',
      ),
    );
    expect(attributes).toEqual({
      type: 'loket-handoff',
      handoffId: 'h1',
      handoffCode: '123456',
      reason: 'policy',
      queue: 'billing',
      locale: 'nl-NL',
      from: '+31612345678',
    });
  });
});

describe('gatherInput', () => {
  const base = { CallSid: `CA${'0'.repeat(32)}` };
  it('turns keys, words with confidence, and an empty result into dtmf, text and no-input', () => {
    expect(gatherInput({ ...base, Digits: '45123#' })).toEqual({ type: 'dtmf', digits: '45123' });
    expect(gatherInput({ ...base, SpeechResult: ' ja ', Confidence: '0.87' })).toEqual({
      type: 'text',
      text: 'ja',
      asrConfidence: 0.87,
    });
    // 0 means the engine gave no estimate, not a certain miss.
    expect(gatherInput({ ...base, SpeechResult: 'ja', Confidence: '0.0' })).toEqual({
      type: 'text',
      text: 'ja',
    });
    expect(gatherInput({ ...base, SpeechResult: '', Digits: '' })).toEqual({ type: 'no-input' });
  });
});

describe('the language menu', () => {
  it('knows each language by its own name and its English name', () => {
    expect(languageNames('nl-NL')).toEqual(expect.arrayContaining(['nederlands', 'dutch']));
    expect(chosenLocale(LOCALES, '2', undefined)).toBe('nl-NL');
    expect(chosenLocale(LOCALES, undefined, 'English please')).toBe('en-US');
    expect(chosenLocale(LOCALES, '7', undefined)).toBeNull();
    expect(chosenLocale(LOCALES, undefined, 'hallo')).toBeNull();
  });
});
