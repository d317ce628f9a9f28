// A tiny TwiML writer: verbs as nested elements with escaped attributes and text. SSML goes into <Say> as markup,
// the one place where raw XML is allowed in. https://www.twilio.com/docs/voice/twiml
import { escapeXml } from '../../compose/render.ts';

export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** An element; `content` is already-escaped markup (from other `element` calls, `text` or trusted SSML). */
export function element(name: string, attributes: Attributes = {}, content: string | null = null): string {
  const rendered = Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  return content === null ? `<${name}${rendered}/>` : `<${name}${rendered}>${content}</${name}>`;
}

export function text(value: string): string {
  return escapeXml(value);
}

export function twimlResponse(...verbs: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${element('Response', {}, verbs.join(''))}`;
}
