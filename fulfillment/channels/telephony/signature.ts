// Twilio's request signature (X-Twilio-Signature): HMAC-SHA1 over the full URL followed by the POST parameters sorted
// by name (name + value each), keyed with the account's auth token, in base64.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams = Readonly<Record<string, string | readonly string[] | undefined>>;

export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  const data = Object.keys(params)
    .sort()
    .reduce((signed, name) => {
      const value = params[name];
      if (value === undefined) return signed;
      // A repeated parameter is signed once per distinct value, in sorted order (as Twilio's own helper does).
      const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
      return signed + values.map((item) => name + item).join('');
    }, url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Twilio may sign with or without the default port (":443"), depending on how the URL was configured. */
function urlVariants(url: string): string[] {
  const match = /^(https?|wss?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = /^(https|wss)$/i.test(scheme) ? '443' : '80';
  const host = authority.replace(/:\d+$/, '');
  const port = /:(\d+)$/.exec(authority)?.[1];
  const variants = new Set([url, `${scheme}://${host}${rest}`]);
  if (!port || port === defaultPort) variants.add(`${scheme}://${host}:${defaultPort}${rest}`);
  return [...variants];
}

export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  return urlVariants(url).some((candidate) => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
