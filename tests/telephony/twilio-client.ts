// Talks to Loket's phone webhooks the way Twilio does: form posts signed with Twilio's own helper library, and TwiML
// answers parsed as XML.
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import twilio from 'twilio';

export const AUTH_TOKEN = 'f3a9c1d2e4b5a6978877665544332211';
export const PUBLIC_URL = 'https://loket.example.com';
export const POLDERLINK_NL = '+31201234567';
export const POLDERLINK_EN = '+12025550123';
/** Jan de Vries in the sample backend */
export const JAN = '+31612345678';
/** a number the sample backend does not know */
export const STRANGER = '+31611112222';
export const SIP_URI = 'sip:agents@pbx.polderlink.example';

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export interface TwimlAnswer {
  status: number;
  body: string;
  /** the parsed <Response>, or null when the body is not TwiML */
  response: any;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // <Say> holds SSML: keep it as markup so tests can look at both the tags and the words.
  stopNodes: ['*.Say'],
  isArray: (name) => ['Say', 'Parameter'].includes(name),
  parseAttributeValue: false,
});

export function parseTwiml(xml: string): any {
  return parser.parse(xml);
}

/** The words of a <Say>, without SSML tags or entities. */
export function sayText(say: any): string {
  const markup = typeof say === 'string' ? say : String(say?.['#text'] ?? '');
  return markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function sayMarkupOf(say: any): string {
  return typeof say === 'string' ? say : String(say?.['#text'] ?? '');
}

export interface PostOptions {
  /** sign with this token instead of the right one */
  token?: string;
  /** leave the signature off */
  unsigned?: boolean;
  /** sign these parameters but send `params` (a tampered request) */
  signedParams?: Record<string, string>;
}

export async function postTwilio(
  serverUrl: string,
  path: string,
  params: Record<string, string>,
  options: PostOptions = {},
): Promise<TwimlAnswer> {
  const signature = twilio.getExpectedTwilioSignature(
    options.token ?? AUTH_TOKEN,
    `${PUBLIC_URL}${path}`,
    options.signedParams ?? params,
  );
  const response = await fetch(`${serverUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.unsigned ? {} : { 'x-twilio-signature': signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
  const body = await response.text();
  const response_ = body.startsWith('<?xml') ? parseTwiml(body).Response : null;
  return { status: response.status, body, response: response_ };
}

/** A call in progress: the same CallSid, From and To on every request, as Twilio sends them. */
export function call(serverUrl: string, from: string, to: string = POLDERLINK_NL) {
  const callSid = newCallSid();
  const base = {
    CallSid: callSid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: from,
    To: to,
    Direction: 'inbound',
  };
  return {
    callSid,
    start: () => postTwilio(serverUrl, '/telephony/twilio/voice', { ...base, CallStatus: 'ringing' }),
    /** posts to the action URL the last <Gather> named */
    gather: (action: string, result: { speech?: string; confidence?: number; digits?: string }) =>
      postTwilio(serverUrl, pathOf(action), {
        ...base,
        CallStatus: 'in-progress',
        ...(result.speech !== undefined ? { SpeechResult: result.speech } : {}),
        ...(result.confidence !== undefined ? { Confidence: String(result.confidence) } : {}),
        ...(result.digits !== undefined ? { Digits: result.digits } : {}),
      }),
    post: (path: string, extra: Record<string, string>) => postTwilio(serverUrl, path, { ...base, ...extra }),
  };
}

/** The path and query of an absolute action URL on the public address. */
export function pathOf(url: string): string {
  if (!url.startsWith(PUBLIC_URL)) throw new Error(`action ${url} is not on ${PUBLIC_URL}`);
  return url.slice(PUBLIC_URL.length);
}
