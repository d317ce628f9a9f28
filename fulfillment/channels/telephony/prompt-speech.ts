// Says a prompt the phone line adds itself (keypad guides, the queue's waiting line, the language menu), from the
// locale's prompts.yaml like every other line, so designers own these words too.
import type { Speech, SpeechSegment } from '../../core/types.ts';
import type { LocaleModel } from '../../model/schema.ts';

const PAUSE_MS = 350;

export function promptSpeech(
  localeModel: LocaleModel,
  key: string,
  params: Readonly<Record<string, SpeechSegment[]>> = {},
  random: () => number = Math.random,
): Speech {
  const variants = localeModel.prompts[key] ?? [];
  const template = variants[Math.floor(random() * variants.length)] ?? key;
  const speech: Speech = [];
  let last = 0;
  for (const match of template.matchAll(/\{([A-Za-z]+)\}/g)) {
    const index = match.index ?? 0;
    if (index > last) speech.push({ kind: 'text', text: template.slice(last, index) });
    last = index + match[0].length;
    const name = match[1] ?? '';
    if (name === 'pause') speech.push({ kind: 'pause', ms: PAUSE_MS });
    else if (params[name]) speech.push(...(params[name] ?? []));
    else if (name === 'brand') speech.push({ kind: 'text', text: localeModel.persona.brand });
    else if (name === 'botName') speech.push({ kind: 'text', text: localeModel.persona.botName });
  }
  if (last < template.length) speech.push({ kind: 'text', text: template.slice(last) });
  return speech;
}
