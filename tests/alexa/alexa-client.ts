// Test helpers: the documented request envelopes in fixtures/, adapted per test, and a POST to /alexa.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

export type FixtureName =
  | 'launch-request'
  | 'intent-request-order-status'
  | 'intent-request-resolved-slot'
  | 'builtin-help-intent'
  | 'session-ended-error';

export function fixture(name: FixtureName): any {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

export interface EnvelopeChanges {
  sessionId?: string;
  locale?: string;
  /** a fresh timestamp and request id, as every real request has */
  fresh?: boolean;
  apiEndpoint?: string;
  apiAccessToken?: string;
  accessToken?: string;
}

export function envelope(name: FixtureName, changes: EnvelopeChanges = {}): any {
  const body = fixture(name);
  if (changes.sessionId) body.session.sessionId = changes.sessionId;
  if (changes.locale) body.request.locale = changes.locale;
  if (changes.fresh !== false) {
    body.request.timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    body.request.requestId = `amzn1.echo-api.request.${randomUUID()}`;
  }
  if (changes.apiEndpoint) body.context.System.apiEndpoint = changes.apiEndpoint;
  if (changes.apiAccessToken) body.context.System.apiAccessToken = changes.apiAccessToken;
  if (changes.accessToken) {
    body.context.System.user.accessToken = changes.accessToken;
    body.session.user.accessToken = changes.accessToken;
  }
  return body;
}

/** An IntentRequest for `intent` with the given slot values (built from the OrderStatus fixture). */
export function intentRequest(
  intent: string,
  slots: Record<string, string | null> = {},
  changes: EnvelopeChanges = {},
): any {
  const body = envelope('intent-request-order-status', changes);
  body.request.dialogState = 'IN_PROGRESS';
  body.request.intent = {
    name: intent,
    confirmationStatus: 'NONE',
    slots: Object.fromEntries(
      Object.entries(slots).map(([name, value]) => [
        name,
        value === null
          ? { name, confirmationStatus: 'NONE' }
          : { name, value, confirmationStatus: 'NONE', source: 'USER', slotValue: { type: 'Simple', value } },
      ]),
    ),
  };
  return body;
}

export interface AlexaReply {
  status: number;
  json: any;
}

export async function postAlexa(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<AlexaReply> {
  const response = await fetch(`${url}/alexa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: response.status, json };
}

/** The speech of an Alexa response without its markup, for matching words. */
export function spoken(reply: AlexaReply): string {
  const ssml: string = reply.json?.response?.outputSpeech?.ssml ?? '';
  return ssml
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
