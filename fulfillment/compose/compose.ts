// The compose stage: turns the engine's decision into speech, choosing prompt variants so that nothing is said
// twice in a session, filling parameters per locale, and adding the handoff's closing line for the channel.
import type { Capabilities, Reply, Session, Speech, SpeechSegment } from '../core/types.ts';
import type { Decision, Utterance } from '../dialogue/decision.ts';
import type { PromptParam } from '../dialogue/skill-api.ts';
import type { LocaleModel } from '../model/schema.ts';
import {
  formatAmount,
  formatCode,
  formatDate,
  formatMonth,
  formatPostcode,
  formatTelephone,
  formatTime,
} from './format.ts';

export interface ComposeInput {
  locale: LocaleModel;
  session: Session;
  decision: Decision;
  capabilities: Capabilities;
  /** in [0, 1): from the edge, so tests can fix it */
  random: () => number;
}

const PAUSE_MS = 350;

/** Pick a variant not yet used in this session; when all are used, start again but never with the last one. */
export function chooseVariant(
  variants: readonly string[],
  used: readonly number[],
  random: () => number,
): { index: number; used: number[] } {
  let history = [...used];
  let candidates = variants.map((_, index) => index).filter((index) => !history.includes(index));
  if (candidates.length === 0) {
    const last = history.at(-1);
    history = [];
    candidates = variants.map((_, index) => index).filter((index) => index !== last || variants.length === 1);
  }
  const index = candidates[Math.floor(random() * candidates.length)] ?? 0;
  return { index, used: [...history, index] };
}

function paramSpeech(param: PromptParam, localeName: string): SpeechSegment[] {
  if (typeof param === 'string' || typeof param === 'number') return [{ kind: 'text', text: String(param) }];
  switch (param.sayAs) {
    case 'digits':
    case 'spell':
      return [{ kind: 'say-as', as: param.sayAs, value: param.value, display: param.value }];
    case 'telephone':
      return [{ kind: 'say-as', as: 'telephone', value: param.value, display: formatTelephone(param.value) }];
    case 'postcode':
      return [{ kind: 'say-as', as: 'postcode', value: param.value, display: formatPostcode(param.value) }];
    case 'date':
      return [
        { kind: 'say-as', as: 'date', value: param.value, display: formatDate(param.value, localeName) },
      ];
    case 'time':
      return [
        { kind: 'say-as', as: 'time', value: param.value, display: formatTime(param.value, localeName) },
      ];
    case 'month':
      return [{ kind: 'text', text: formatMonth(param.value, localeName) }];
    case 'amount':
      return [
        {
          kind: 'say-as',
          as: 'amount',
          value: String(param.cents),
          display: formatAmount(param.cents, localeName),
        },
      ];
  }
}

export function composeReply(input: ComposeInput): { reply: Reply; session: Session } {
  const { locale, decision, capabilities, random } = input;
  // Only usedVariants (entries replaced, never changed in place) and lastReply change here.
  const session: Session = { ...input.session, usedVariants: { ...input.session.usedVariants } };
  const personaParams: Record<string, string> = {
    botName: locale.persona.botName,
    brand: locale.persona.brand,
    phone: locale.persona.phoneNumber ?? '',
  };

  function speak(utterance: Utterance): Speech {
    const variants = locale.prompts[utterance.key];
    if (!variants || variants.length === 0) {
      // The validator makes this unreachable for a loaded model; saying the key beats saying nothing.
      return [{ kind: 'text', text: utterance.key }];
    }
    const choice = chooseVariant(variants, session.usedVariants[utterance.key] ?? [], random);
    session.usedVariants[utterance.key] = choice.used;
    const template = variants[choice.index] ?? '';
    const segments: Speech = [];
    let last = 0;
    for (const match of template.matchAll(/\{([A-Za-z]+)\}/g)) {
      const index = match.index ?? 0;
      if (index > last) segments.push({ kind: 'text', text: template.slice(last, index) });
      last = index + match[0].length;
      const name = match[1] ?? '';
      if (name === 'pause') {
        segments.push({ kind: 'pause', ms: PAUSE_MS });
        continue;
      }
      const param = utterance.params?.[name];
      if (param !== undefined && typeof param === 'object' && 'prompt' in param) {
        const nested = speak(param.prompt);
        // "{greeting}!" with the variant "Goedemorgen!" must not become "Goedemorgen!!".
        const tail = nested.at(-1);
        if (tail?.kind === 'text' && /^[!?.,]/.test(template.slice(last))) {
          nested[nested.length - 1] = { kind: 'text', text: tail.text.replace(/[!?.,]+\s*$/, '') };
        }
        segments.push(...nested);
      } else if (param !== undefined) segments.push(...paramSpeech(param, locale.locale));
      else if (personaParams[name] !== undefined)
        segments.push({ kind: 'text', text: personaParams[name] ?? '' });
    }
    if (last < template.length) segments.push({ kind: 'text', text: template.slice(last) });
    return segments;
  }

  function speakAll(utterances: readonly Utterance[]): Speech {
    return utterances.flatMap((utterance, index) => {
      const speech = speak(utterance);
      return index === 0 ? speech : [{ kind: 'text' as const, text: ' ' }, ...speech];
    });
  }

  const utterances = [...decision.say];
  // Where a callback is offered instead, the engine already asked about it; the code comes only if it is declined.
  if (decision.handoff && (capabilities.canTransfer || !decision.handoff.offerCallback)) {
    utterances.push(
      capabilities.canTransfer
        ? { key: 'handoff.transfer' }
        : {
            key: 'handoff.code',
            params: {
              phone: { sayAs: 'telephone', value: locale.persona.phoneNumber ?? '' },
              code: { sayAs: 'digits', value: formatCode(decision.handoff.code) },
            },
          },
    );
  }

  let speech: Speech;
  let reprompt: Speech | null;
  if (decision.repeatLastReply && session.lastReply) {
    speech = session.lastReply.speech;
    reprompt = session.lastReply.reprompt;
  } else {
    speech = speakAll(utterances);
    reprompt = decision.expecting && decision.question ? speak(decision.question) : null;
  }

  const reply: Reply = {
    speech,
    reprompt,
    expecting: decision.expecting,
    end: decision.end,
    handoff: null,
    slow: session.preferences.slower,
    card: decision.handoff
      ? {
          title: locale.persona.brand,
          text: `${locale.persona.phoneNumber ?? ''} · code ${formatCode(decision.handoff.code)}`,
        }
      : null,
  };
  session.lastReply = { text: '', speech, reprompt };
  return { reply, session };
}
