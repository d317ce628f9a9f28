// A progressive response: while a slow backend call runs, Alexa says "Een ogenblik, ik kijk het even na" instead of
// leaving the customer in silence. Sent with VoicePlayer.Speak through the Directive service:
// POST {apiEndpoint}/v1/directives with Authorization: Bearer {apiAccessToken}.
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/send-the-user-a-progressive-response.html
import type { HandlerInput } from 'ask-sdk-core';
import { escapeXml } from '../../compose/render.ts';
import type { LocaleModel } from '../../model/schema.ts';
import { fitSsmlToLocale } from './ssml.ts';

/** What to say while waiting, per language; other languages use the locale's first `ack.lookup` prompt. */
const WAITING_LINES: Readonly<Record<string, string>> = {
  nl: 'Een ogenblik, ik kijk het even na.',
  en: "One moment, I'm looking that up for you.",
};

export function waitingLine(locale: LocaleModel): string {
  const language = locale.locale.split('-')[0] ?? '';
  return WAITING_LINES[language] ?? locale.prompts['ack.lookup']?.[0] ?? WAITING_LINES.en ?? '';
}

/** Sends the waiting line; false when the request has no Directive service. Throws when Alexa refuses it. */
export async function sendProgressiveResponse(input: HandlerInput, locale: LocaleModel): Promise<boolean> {
  const client = input.serviceClientFactory?.getDirectiveServiceClient();
  if (!client) return false;
  const speech = fitSsmlToLocale(`<speak>${escapeXml(waitingLine(locale))}</speak>`, locale.locale);
  await client.enqueue({
    header: { requestId: input.requestEnvelope.request.requestId },
    directive: { type: 'VoicePlayer.Speak', speech },
  });
  return true;
}
