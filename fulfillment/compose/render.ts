// Renders channel-neutral speech markup to plain text and to SSML in a platform's dialect.
import type { SayAs, Speech, SpeechSegment } from '../core/types.ts';

export type SsmlDialect = 'alexa' | 'google' | 'azure' | 'polly' | 'generic';

function plainText(segment: SpeechSegment): string {
  switch (segment.kind) {
    case 'text':
    case 'emphasis':
      return segment.text;
    case 'pause':
      return ' ';
    case 'say-as':
      return segment.display;
  }
}

export function renderText(speech: Speech): string {
  return speech
    .map(plainText)
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,!?;:])/g, '$1')
    .trim();
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Digits and letters are read one by one; every dialect we target knows `characters`, Alexa and Azure also `digits`. */
function renderSayAs(as: SayAs, value: string, display: string, dialect: SsmlDialect): string {
  switch (as) {
    case 'digits':
      return `<say-as interpret-as="${dialect === 'google' ? 'characters' : 'digits'}">${escapeXml(value)}</say-as>`;
    case 'spell':
      return `<say-as interpret-as="characters">${escapeXml(value)}</say-as>`;
    case 'postcode': {
      const match = /^(\d{4})\s*([A-Za-z]{2})$/.exec(value);
      if (!match) return escapeXml(display);
      return `<say-as interpret-as="${dialect === 'google' ? 'characters' : 'digits'}">${match[1]}</say-as> <say-as interpret-as="characters">${match[2]}</say-as>`;
    }
    case 'telephone':
      // Reading the national format group by group with short breaks sounds like a person reading a number.
      return display
        .split(/\s+/)
        .map(
          (group) =>
            `<say-as interpret-as="${dialect === 'google' ? 'characters' : 'digits'}">${escapeXml(group.replace(/\D/g, ''))}</say-as>`,
        )
        .join('<break time="200ms"/>');
    default:
      return escapeXml(display);
  }
}

export function renderSsml(speech: Speech, options: { dialect: SsmlDialect; slow: boolean }): string {
  const ssmlOf = (segment: SpeechSegment): string => {
    switch (segment.kind) {
      case 'text':
        return escapeXml(segment.text);
      case 'emphasis':
        return `<emphasis level="moderate">${escapeXml(segment.text)}</emphasis>`;
      case 'pause':
        return `<break time="${segment.ms}ms"/>`;
      case 'say-as':
        return renderSayAs(segment.as, segment.value, segment.display, options.dialect);
    }
  };
  const body = speech.map(ssmlOf).join('').replace(/\s+/g, ' ').trim();
  // 85% is slower without sounding unnatural; "x-slow" is too slow for most TTS voices.
  const paced = options.slow ? `<prosody rate="85%">${body}</prosody>` : body;
  return `<speak>${paced}</speak>`;
}
