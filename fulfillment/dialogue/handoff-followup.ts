// What happens around a handoff beyond the transfer itself: arranging a callback where no call can be transferred
// (smart speaker, web chat), and recognising a caller who phones back with the code or from the number of a waiting
// handoff ("U belt over uw verhuizing, klopt dat?"). decide.ts calls in here at a few points.

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Backend } from '../backend/backend.ts';
import type { CallbackRequest, Expectation, Session, Turn, Understanding } from '../core/types.ts';
import type { IntentModel } from '../model/schema.ts';
import type { NluResult } from '../nlu/understand.ts';
import { turnText, yesOrNo } from './answers.ts';
import {
  type CallbackDecision,
  type HandoffDecision,
  prompt,
  type ResumableHandoff,
  type Utterance,
} from './decision.ts';
import { isPhoneCall } from './keypad.ts';

/** Expectations of these flows name a pseudo-intent no designer can define (intent names have no dots). */
export const CALLBACK_FLOW = 'loket.callback';
export const CONTINUITY_FLOW = 'loket.continuity';

type PreferredMoment = CallbackRequest['preferredMoment'];

/** The part of the engine's working state these flows read and write (decide.ts's Draft). */
export interface FollowUpDraft {
  session: Session;
  say: Utterance[];
  expecting: Expectation | null;
  end: boolean;
  handoff: HandoffDecision | null;
  callback?: CallbackDecision | null;
  understood: Understanding;
}

export interface FollowUpContext {
  model: IntentModel;
  turn: Turn;
  nlu: NluResult | null;
  draft: FollowUpDraft;
  ports: {
    backend: Backend;
    now: Date;
    extractEntity: (entityType: string, text: string) => { value: string; start: number; end: number } | null;
    offerCallbacks?: boolean;
    findResumableHandoff?: (query: { code?: string; callerId?: string }) => Promise<ResumableHandoff | null>;
  };
}

/** How the engine hands over; decide.ts passes its own, so a continued handoff is made like any other. */
export type HandOver = (
  reason: HandoffDecision['reason'],
  key: string | null,
  queue: string,
  previousHandoffId?: string,
) => void;

const MAX_FOLLOW_UP_MISSES = 2;
const PASS_THROUGH = ['Repeat', 'Help', 'SpeakSlower', 'Thanks'];
const DAY_PART_ENDS: Record<NonNullable<PreferredMoment['dayPart']>, number> = {
  morning: 12,
  afternoon: 17,
  evening: 21,
};

function answer(context: FollowUpContext): 'yes' | 'no' | null {
  return yesOrNo(context.nlu, context.turn);
}

function wantsPerson(context: FollowUpContext): boolean {
  const { nlu, turn } = context;
  if (turn.input.type === 'dtmf' && turn.input.digits.trim() === '0') return true;
  return nlu?.intent === 'SpeakToAgent' && nlu.confidence >= 0.5;
}

function isGlobal(context: FollowUpContext, intent: string): boolean {
  const { nlu } = context;
  return nlu?.intent === intent && nlu.confidence >= 0.5;
}

/** The phone number read back digit by digit: national digits for Dutch numbers, all digits otherwise. */
function spokenNumber(e164: string): { sayAs: 'digits'; value: string } {
  const parsed = parsePhoneNumberFromString(e164, 'NL');
  const digits = parsed ? (parsed.country === 'NL' ? parsed.formatNational() : parsed.number) : e164;
  return { sayAs: 'digits', value: digits.replace(/\D/g, '') };
}

function toE164(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value, 'NL');
  return parsed?.isValid() ? parsed.number : null;
}

function serviceLine(context: FollowUpContext) {
  const persona = context.model.locales[context.draft.session.locale]?.persona;
  return { sayAs: 'telephone' as const, value: persona?.phoneNumber ?? '' };
}

function spokenCode(code: string) {
  return { sayAs: 'digits' as const, value: code.replace(/(\d{3})(?=\d)/g, '$1 ') };
}

// --- callbacks ---------------------------------------------------------------------------------------------------

/** A callback is offered where nobody can be put through, when the brand offers them (LOKET_CALLBACKS). */
export function mayOfferCallback(context: FollowUpContext): boolean {
  return context.ports.offerCallbacks === true && !context.turn.capabilities.canTransfer;
}

/** Called right after a handoff was decided: ask whether a colleague may call back, instead of giving the code. */
export function offerCallback(context: FollowUpContext): void {
  const { draft } = context;
  if (!draft.handoff) return;
  draft.handoff = { ...draft.handoff, offerCallback: true };
  draft.session.callback = { handoffId: draft.handoff.id, code: draft.handoff.code, phone: null };
  draft.session.noMatchCount = 0;
  draft.say.push(prompt('callback.offer'));
  draft.expecting = { type: 'confirmation', intent: CALLBACK_FLOW, about: 'callback' };
}

/** The customer does not want a callback (or it cannot be arranged): the phone number and code, and we are done. */
function closeWithCode(context: FollowUpContext, lead: string | null): void {
  const { draft } = context;
  const callback = draft.session.callback;
  if (lead) draft.say.push(prompt(lead));
  if (callback)
    draft.say.push(prompt('handoff.code', { phone: serviceLine(context), code: spokenCode(callback.code) }));
  draft.session.callback = null;
  draft.expecting = null;
  draft.end = true;
}

async function knownNumber(context: FollowUpContext): Promise<string | null> {
  const { draft, ports, turn } = context;
  const fromCaller = turn.callerId ?? draft.session.callerId;
  const callerNumber = fromCaller ? toE164(fromCaller) : null;
  if (callerNumber) return callerNumber;
  if (!draft.session.customer) return null;
  const customer = await ports.backend.findCustomerById(draft.session.customer.id).catch(() => null);
  return customer?.phone ? toE164(customer.phone) : null;
}

function askNumber(draft: FollowUpDraft): void {
  draft.say.push(prompt('callback.askNumber'));
  draft.expecting = { type: 'slot', intent: CALLBACK_FLOW, slot: 'callbackPhone', entity: 'phoneNumber' };
}

function confirmNumber(draft: FollowUpDraft, phone: string): void {
  // Replaced, never changed in place: the session the engine was given is not its to change.
  if (draft.session.callback) draft.session.callback = { ...draft.session.callback, phone };
  draft.say.push(prompt('callback.confirmNumber', { phone: spokenNumber(phone) }));
  draft.expecting = { type: 'confirmation', intent: CALLBACK_FLOW, about: 'slot', slot: 'callbackPhone' };
}

function askMoment(draft: FollowUpDraft): void {
  draft.say.push(prompt('callback.askMoment'));
  draft.expecting = { type: 'slot', intent: CALLBACK_FLOW, slot: 'callbackMoment', entity: 'date' };
}

/** YYYY-MM-DD in Amsterdam: today when that part of the day is still to come, else tomorrow. */
function nextDateFor(dayPart: NonNullable<PreferredMoment['dayPart']>, now: Date): string {
  const local = (date: Date) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(date);
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: 'Europe/Amsterdam' }).format(
      now,
    ),
  );
  return hour < DAY_PART_ENDS[dayPart] ? local(now) : local(new Date(now.getTime() + 24 * 60 * 60 * 1000));
}

export function momentFrom(context: FollowUpContext, text: string): PreferredMoment | null {
  const part = context.ports.extractEntity('callbackMoment', text)?.value ?? null;
  const date = context.ports.extractEntity('date', text)?.value ?? null;
  if (part === 'asap') return { asap: true, date: null, dayPart: null };
  const dayPart = part === 'morning' || part === 'afternoon' || part === 'evening' ? part : null;
  if (!dayPart && !date) return null;
  return { asap: false, date: date ?? (dayPart ? nextDateFor(dayPart, context.ports.now) : null), dayPart };
}

function confirmCallback(context: FollowUpContext, moment: PreferredMoment): void {
  const { draft } = context;
  const callback = draft.session.callback;
  if (!callback?.phone) return;
  draft.callback = { handoffId: callback.handoffId, phone: callback.phone, preferredMoment: moment };
  const phone = spokenNumber(callback.phone);
  const date = moment.date ? { sayAs: 'date' as const, value: moment.date } : null;
  if (moment.asap || !date) draft.say.push(prompt('callback.confirmed.asap', { phone }));
  else if (moment.dayPart) draft.say.push(prompt(`callback.confirmed.${moment.dayPart}`, { date, phone }));
  else draft.say.push(prompt('callback.confirmed.date', { date, phone }));
  draft.session.callback = null;
  draft.expecting = null;
  draft.end = true;
}

/** A miss inside a follow-up: ask once more; the second time, do what needs no answer (the code, or "as soon as possible"). */
function missed(context: FollowUpContext, giveUp: () => void): void {
  const { draft } = context;
  draft.session.noMatchCount += 1;
  if (draft.session.noMatchCount >= MAX_FOLLOW_UP_MISSES) {
    draft.session.noMatchCount = 0;
    giveUp();
    return;
  }
  const question = followUpQuestion(draft.session, draft.session.expecting);
  draft.say.push(prompt('noMatch.slot', { question: { prompt: question ?? prompt('callback.offer') } }));
  draft.expecting = draft.session.expecting;
}

/** Whether the turn holds what the pending callback question asks for. */
function answersStep(context: FollowUpContext, expecting: Expectation): boolean {
  const text = turnText(context.turn);
  if (expecting.type === 'confirmation') return answer(context) !== null;
  if (expecting.type !== 'slot' || !text) return false;
  return expecting.slot === 'callbackMoment'
    ? momentFrom(context, text) !== null
    : context.ports.extractEntity('phoneNumber', text) !== null;
}

async function answerCallback(context: FollowUpContext, expecting: Expectation): Promise<void> {
  const { draft } = context;
  const callback = draft.session.callback;
  if (!callback) return;
  if (isGlobal(context, 'Stop')) {
    closeWithCode(context, 'ack');
    return;
  }
  if (wantsPerson(context) && !(expecting.type === 'confirmation' && expecting.about === 'callback')) {
    closeWithCode(context, 'ack');
    return;
  }
  const text = turnText(context.turn);
  if (expecting.type === 'confirmation' && expecting.about === 'callback') {
    const said = wantsPerson(context) ? 'yes' : answer(context);
    draft.understood = {
      intent: said === 'yes' ? 'Yes' : said === 'no' ? 'No' : draft.understood.intent,
      confidence: draft.understood.confidence,
      slots: {},
    };
    if (said === 'no') {
      closeWithCode(context, 'ack');
      return;
    }
    if (said === null) {
      missed(context, () => closeWithCode(context, null));
      return;
    }
    draft.session.noMatchCount = 0;
    const phone = await knownNumber(context);
    if (phone) confirmNumber(draft, phone);
    else askNumber(draft);
    return;
  }
  if (expecting.type === 'confirmation' && expecting.slot === 'callbackPhone') {
    // "nee, 06 87654321": a correction carries the right number straight away.
    const corrected = text ? context.ports.extractEntity('phoneNumber', text)?.value : undefined;
    const said = answer(context);
    if (corrected && corrected !== callback.phone) {
      draft.session.noMatchCount = 0;
      draft.understood = { intent: CALLBACK_FLOW, confidence: 1, slots: { callbackPhone: corrected } };
      confirmNumber(draft, corrected);
      return;
    }
    if (said === 'yes') {
      draft.session.noMatchCount = 0;
      askMoment(draft);
      return;
    }
    if (said === 'no') {
      draft.session.noMatchCount = 0;
      draft.session.callback = { ...callback, phone: null };
      askNumber(draft);
      return;
    }
    missed(context, () => closeWithCode(context, null));
    return;
  }
  if (expecting.type === 'slot' && expecting.slot === 'callbackPhone') {
    const phone = text ? context.ports.extractEntity('phoneNumber', text)?.value : undefined;
    if (phone) {
      draft.session.noMatchCount = 0;
      draft.understood = { intent: CALLBACK_FLOW, confidence: 1, slots: { callbackPhone: phone } };
      confirmNumber(draft, phone);
      return;
    }
    missed(context, () => closeWithCode(context, null));
    return;
  }
  if (expecting.type === 'slot' && expecting.slot === 'callbackMoment') {
    const moment = text ? momentFrom(context, text) : null;
    if (moment) {
      draft.session.noMatchCount = 0;
      confirmCallback(context, moment);
      return;
    }
    // Twice no moment we understood: as soon as possible serves the customer better than a third question.
    missed(context, () => confirmCallback(context, { asap: true, date: null, dayPart: null }));
  }
}

// --- continuity --------------------------------------------------------------------------------------------------

/** Where a caller can be put through, an earlier handoff is worth looking for: the phone line and phone gateways. */
function canContinue(context: FollowUpContext): boolean {
  return (
    !!context.ports.findResumableHandoff &&
    (context.turn.capabilities.canTransfer || isPhoneCall(context.turn))
  );
}

function askAboutPrevious(
  context: FollowUpContext,
  found: ResumableHandoff,
  greeting: Utterance | null,
): void {
  const { draft } = context;
  draft.session.previousHandoff = {
    id: found.id,
    reason: found.reason,
    queue: found.queue,
    topic: found.topic,
  };
  draft.session.noMatchCount = 0;
  const topic = found.topic ?? null;
  if (greeting) {
    draft.say.push(
      topic
        ? prompt('continuity.greeting', { greeting: { prompt: greeting }, topic })
        : prompt('continuity.greetingNoTopic', { greeting: { prompt: greeting } }),
    );
  } else {
    draft.say.push(topic ? prompt('continuity.found', { topic }) : prompt('continuity.foundNoTopic'));
  }
  draft.expecting = { type: 'confirmation', intent: CONTINUITY_FLOW, about: 'handoff' };
}

/** At the start of a call: a caller whose number belongs to a recent waiting handoff is greeted with its topic. */
export async function greetReturningCaller(context: FollowUpContext, greeting: Utterance): Promise<boolean> {
  const callerId = context.turn.callerId ?? context.draft.session.callerId;
  if (!callerId || !canContinue(context)) return false;
  const found = await context.ports.findResumableHandoff?.({ callerId }).catch(() => null);
  if (!found) return false;
  askAboutPrevious(context, found, greeting);
  return true;
}

/** Six digits said or keyed at an open question, that are not better read as something else. */
function codeSaidOrKeyed(context: FollowUpContext): string | null {
  const { turn, nlu } = context;
  const expecting = context.draft.session.expecting;
  if (expecting && expecting.type !== 'intent') return null;
  if (turn.input.type === 'dtmf') {
    const digits = turn.input.digits.replace(/#$/, '');
    return /^[1-9]\d{5}$/.test(digits) ? digits : null;
  }
  const text = turnText(turn);
  if (!text) return null;
  const digits = context.ports.extractEntity('digits', text)?.value ?? '';
  if (!/^[1-9]\d{5}$/.test(digits)) return null;
  const aboutSomethingElse =
    nlu && nlu.intent !== 'Fallback' && nlu.confidence >= 0.6 && !/\bcode\b/i.test(text);
  return aboutSomethingElse ? null : digits;
}

/** Returns false when the answer is neither yes nor no: the caller is on to something else, which the engine takes. */
async function answerContinuity(context: FollowUpContext, handOver: HandOver): Promise<boolean> {
  const { draft } = context;
  const previous = draft.session.previousHandoff;
  if (!previous) return false;
  const said = wantsPerson(context) ? 'yes' : answer(context);
  draft.session.previousHandoff = null;
  if (said === 'yes') {
    draft.understood = { intent: 'Yes', confidence: draft.understood.confidence, slots: {} };
    handOver(previous.reason, 'continuity.connect', previous.queue, previous.id);
    return true;
  }
  if (said === 'no') {
    draft.understood = { intent: 'No', confidence: draft.understood.confidence, slots: {} };
    draft.say.push(prompt('continuity.declined'));
    draft.expecting = { type: 'intent' };
    return true;
  }
  draft.session.expecting = { type: 'intent' };
  return false;
}

/**
 * Called first on every answered turn. Returns true when the turn belonged to a callback or continuity flow (or
 * was a handoff code) and has been answered; false lets the engine go on as usual.
 */
export async function answerFollowUp(context: FollowUpContext, handOver: HandOver): Promise<boolean> {
  const { draft } = context;
  const expecting = draft.session.expecting;
  const flow =
    expecting && expecting.type !== 'intent' && expecting.type !== 'verification' ? expecting.intent : null;
  if (flow === CALLBACK_FLOW && draft.session.callback && expecting) {
    // Repeat, help, slower and thanks work here as everywhere: the engine answers them and asks this question again.
    // (Unless the words answer the question: "zo snel mogelijk" is a moment, not a request to speak slower.)
    if (PASS_THROUGH.some((intent) => isGlobal(context, intent)) && !answersStep(context, expecting))
      return false;
    await answerCallback(context, expecting);
    return true;
  }
  if (flow === CONTINUITY_FLOW && draft.session.previousHandoff) {
    if (await answerContinuity(context, handOver)) return true;
  }
  if (!canContinue(context)) return false;
  const code = codeSaidOrKeyed(context);
  if (!code) return false;
  const found = await context.ports.findResumableHandoff?.({ code }).catch(() => null);
  if (!found) return false;
  draft.understood = { intent: CONTINUITY_FLOW, confidence: 1, slots: { code } };
  askAboutPrevious(context, found, null);
  return true;
}

/** Silence during a callback: after the second, the customer gets the code rather than a third question. */
export function followUpSilence(context: FollowUpContext): boolean {
  const { draft } = context;
  const expecting = draft.session.expecting;
  const inCallback =
    expecting &&
    expecting.type !== 'intent' &&
    expecting.type !== 'verification' &&
    expecting.intent === CALLBACK_FLOW;
  if (!inCallback || !draft.session.callback || draft.session.noInputCount < 2) return false;
  closeWithCode(context, null);
  return true;
}

/** The question of a follow-up expectation (for reprompts, help and silence), or undefined when it is not one. */
export function followUpQuestion(
  session: Session,
  expecting: Expectation | null,
): Utterance | null | undefined {
  if (!expecting || expecting.type === 'intent' || expecting.type === 'verification') return undefined;
  if (expecting.intent === CALLBACK_FLOW) {
    if (expecting.type === 'confirmation' && expecting.about === 'callback') return prompt('callback.offer');
    if (expecting.type === 'confirmation') {
      const phone = session.callback?.phone;
      return phone
        ? prompt('callback.confirmNumber', { phone: spokenNumber(phone) })
        : prompt('callback.askNumber');
    }
    return prompt(expecting.slot === 'callbackMoment' ? 'callback.askMoment' : 'callback.askNumber');
  }
  if (expecting.intent === CONTINUITY_FLOW) {
    const topic = session.previousHandoff?.topic;
    return topic ? prompt('continuity.found', { topic }) : prompt('continuity.foundNoTopic');
  }
  return undefined;
}
