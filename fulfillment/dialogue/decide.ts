// The dialogue engine's entry: (model, session, turn, what was understood) -> decision and new session.
// No HTTP, no stores, no clock or randomness of its own: the backend, the time and the id source come in as ports,
// so a whole conversation can be tested without a server.
import type { Backend, Customer } from '../backend/backend.ts';
import {
  cloneSession,
  type Expectation,
  type Frame,
  type HandoffReason,
  type Session,
  type Turn,
  type Understanding,
} from '../core/types.ts';
import type { IntentModel } from '../model/schema.ts';
import { type NluResult, withoutSpan } from '../nlu/understand.ts';
import { turnText, yesOrNo } from './answers.ts';
import {
  asUtterance,
  type CallbackDecision,
  type Decision,
  type HandoffDecision,
  prompt,
  type ResumableHandoff,
  type Utterance,
} from './decision.ts';
import {
  answerFollowUp,
  followUpSilence,
  greetReturningCaller,
  mayOfferCallback,
  offerCallback,
} from './handoff-followup.ts';
import { canBeKeyedIn, isPhoneCall, keypadChoice } from './keypad.ts';
import { displayValue, questionFor } from './questions.ts';
import type { Skill } from './skill-api.ts';

export interface DialoguePorts {
  backend: Backend;
  now: Date;
  /** a fresh handoff id and its spoken 6-digit code */
  newHandoff: () => { id: string; code: string };
  /** bound to the turn's locale: an entity's canonical value and where it was found in the text, or null */
  extractEntity: (entityType: string, text: string) => { value: string; start: number; end: number } | null;
  /** called with a crash inside a skill, so the shell can log it with the turn id */
  onSkillError?: (error: unknown) => void;
  /** offer a callback where a call cannot be transferred (fulfillment/dialogue/handoff-followup.ts) */
  offerCallbacks?: boolean;
  /** a waiting handoff a caller may be phoning about, by its code or their number */
  findResumableHandoff?: (query: { code?: string; callerId?: string }) => Promise<ResumableHandoff | null>;
}

export interface DecideInput {
  model: IntentModel;
  skills: ReadonlyMap<string, Skill>;
  session: Session;
  turn: Turn;
  /** the NLU's (or the platform's) reading of this turn; null for launch, no-input and end */
  nlu: NluResult | null;
}

const MAX_NO_MATCH = 3;
const MAX_NO_INPUT = 3;
const MAX_VERIFICATION_ATTEMPTS = 2;
const MAX_REMEMBERED = 40;
/** a different intent must be at least this sure to interrupt a question the customer was asked */
const SWITCH_CONFIDENCE = 0.6;
/** anger alone ("dit is belachelijk") reads a bit like a complaint; an explicit request reads clearly */
const CLEAR_REQUEST_CONFIDENCE = 0.85;
const GLOBAL_INTENTS = new Set([
  'Help',
  'Repeat',
  'SpeakSlower',
  'StartOver',
  'Stop',
  'Thanks',
  'SpeakToAgent',
]);

/** Mutable working state of one decision; the session in it is a private copy. */
interface Draft {
  session: Session;
  say: Utterance[];
  expecting: Expectation | null;
  end: boolean;
  handoff: HandoffDecision | null;
  /** a callback arranged on this turn */
  callback: CallbackDecision | null;
  repeatLastReply: boolean;
  understood: Understanding;
}

export async function decideTurn(input: DecideInput, ports: DialoguePorts): Promise<Decision> {
  const { model, turn } = input;
  const session = cloneSession(input.session);
  const draft: Draft = {
    session,
    say: [],
    expecting: null,
    end: false,
    handoff: null,
    callback: null,
    repeatLastReply: false,
    understood: understoodFrom(input.nlu, turn),
  };
  const context: EngineContext = { ...input, ports, draft };
  if (input.nlu) session.sentimentScores = [...session.sentimentScores, input.nlu.sentiment.score].slice(-20);
  if (turn.linkedCustomerId && !session.customer?.verified) {
    const linked = await ports.backend.findCustomerById(turn.linkedCustomerId).catch(() => null);
    if (linked) session.customer = customerRef(linked, 'account-link');
  }

  switch (turn.input.type) {
    case 'end':
      session.ended = true;
      draft.end = true;
      break;
    case 'launch':
      await launch(context);
      break;
    case 'no-input':
      noInput(context);
      break;
    default:
      await respond(context);
  }

  if (!draft.end && !draft.handoff && draft.expecting === null) draft.expecting = { type: 'intent' };
  // A handoff ends what the bot waits for, unless it goes on to offer a callback.
  session.expecting = draft.end || (draft.handoff && !draft.handoff.offerCallback) ? null : draft.expecting;
  if (draft.end) session.ended = true;
  // Long calls must not grow the session without bound: the transcript store keeps the full record.
  session.tried = session.tried.slice(-MAX_REMEMBERED);
  session.history = session.history.slice(-MAX_REMEMBERED);
  return {
    repeatLastReply: draft.repeatLastReply,
    say: draft.say,
    question: questionFor(model, session, draft.expecting),
    expecting: draft.expecting?.type === 'intent' ? null : draft.expecting,
    end: draft.end,
    handoff: draft.handoff,
    callback: draft.callback,
    understood: draft.understood,
    session,
  };
}

interface EngineContext extends DecideInput {
  ports: DialoguePorts;
  draft: Draft;
}

/** Events without words are named after the event, so `understood.intent` always says what happened. */
const EVENT_INTENTS: Record<string, string> = { launch: 'Launch', 'no-input': 'NoInput', end: 'End' };

function understoodFrom(nlu: NluResult | null, turn: Turn): Understanding {
  return nlu
    ? { intent: nlu.intent, confidence: nlu.confidence, slots: { ...nlu.slots } }
    : { intent: EVENT_INTENTS[turn.input.type] ?? 'None', confidence: 1, slots: {} };
}

function customerRef(customer: Customer, method: 'caller-id' | 'customer-number' | 'account-link') {
  return { id: customer.id, name: customer.name, firstName: customer.firstName, verified: true, method };
}

async function launch(context: EngineContext): Promise<void> {
  const { draft, ports, turn } = context;
  const { session } = draft;
  if (!session.customer && turn.callerId) {
    const customer = await ports.backend.findCustomerByPhone(turn.callerId).catch(() => null);
    if (customer) session.customer = customerRef(customer, 'caller-id');
  }
  const greeting = { prompt: prompt(`greeting.${partOfDay(ports.now)}`) };
  // A caller phoning back about a waiting handoff hears its topic straight away (cross-channel continuity).
  if (await greetReturningCaller(context, greeting.prompt)) return;
  draft.say.push(
    session.customer
      ? prompt('welcome.named', { greeting, name: session.customer.firstName })
      : prompt('welcome', { greeting }),
  );
  draft.expecting = { type: 'intent' };
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/** Dutch and English customers alike are greeted by the clock in Amsterdam. */
export function partOfDay(
  now: Date,
  timeZone = 'Europe/Amsterdam',
): 'morning' | 'afternoon' | 'evening' | 'night' {
  let formatter = hourFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone });
    hourFormatters.set(timeZone, formatter);
  }
  const hour = Number(formatter.format(now)) % 24;
  if (hour < 5) return 'night';
  if (hour < 12) return 'morning';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

function currentQuestion({ model, draft }: EngineContext): Utterance | null {
  return questionFor(model, draft.session, draft.session.expecting);
}

/** The pending question to say again; with nothing pending, the open question, so no reply leaves the customer without one. */
function questionParam(context: EngineContext): { prompt: Utterance } {
  return { prompt: currentQuestion(context) ?? prompt('openQuestion') };
}

function keepExpecting(context: EngineContext): void {
  context.draft.expecting = context.draft.session.expecting;
}

function noInput(context: EngineContext): void {
  const { draft } = context;
  draft.session.noInputCount += 1;
  draft.understood = { intent: 'NoInput', confidence: 1, slots: {} };
  if (followUpSilence(context)) return;
  if (draft.session.noInputCount >= MAX_NO_INPUT) {
    handOver(context, 'no-match', 'handoff.noMatch');
    return;
  }
  const key =
    draft.session.noInputCount === 1
      ? 'noInput.first'
      : isPhoneCall(context.turn)
        ? 'noInput.keypad'
        : 'noInput.second';
  draft.say.push(prompt(key, { question: questionParam(context) }));
  keepExpecting(context);
}

function handOver(
  context: EngineContext,
  reason: HandoffReason,
  key: string | null,
  queue = 'general',
  previousHandoffId?: string,
): void {
  const { draft, ports } = context;
  const { id, code } = ports.newHandoff();
  draft.handoff = { id, code, reason, queue, ...(previousHandoffId ? { previousHandoffId } : {}) };
  draft.session.handoffId = id;
  if (key) draft.say.push(prompt(key));
  draft.session.tried.push(`handoff:${reason}`);
  if (mayOfferCallback(context)) offerCallback(context);
}

async function respond(context: EngineContext): Promise<void> {
  const { draft, turn, nlu } = { ...context, nlu: context.nlu };
  const { session } = draft;
  session.noInputCount = 0;
  // A callback being arranged, a caller phoning back, or a handoff code: answered before anything else.
  const handOverAgain = (
    reason: HandoffReason,
    key: string | null,
    queue: string,
    previousHandoffId?: string,
  ) => handOver(context, reason, key, queue, previousHandoffId);
  if (await answerFollowUp(context, handOverAgain)) return;

  // The keypad's 0 reaches a person at any moment; that promise holds on every channel that has a keypad.
  if (turn.input.type === 'dtmf' && turn.input.digits.trim() === '0') {
    draft.understood = { intent: 'SpeakToAgent', confidence: 1, slots: {} };
    handOver(context, 'asked-for-person', 'handoff.asked');
    return;
  }
  // On the phone a single key at an open question picks from the keypad menu (noMatch.keypad, keypad.menu).
  const keyed = keypadChoice(context.model, session.expecting, turn);
  if (keyed && nlu) {
    draft.understood = { intent: keyed, confidence: 1, slots: {} };
    await openTurn({ ...context, nlu: { ...nlu, intent: keyed, confidence: 1 } });
    return;
  }
  if (!nlu) return;

  const expecting = session.expecting;
  const intent = nlu.intent;

  if (intent === 'SpeakToAgent' && nlu.confidence >= 0.5) {
    handOver(context, 'asked-for-person', 'handoff.asked', context.model.intents.SpeakToAgent?.handoff.queue);
    return;
  }

  if (nlu.sentiment.frustrated) {
    session.frustrationCount += 1;
    session.tried.push('empathy');
    // Mid-question, anger is about the conversation itself; at an open question it may carry a new request.
    const openQuestion = !expecting || expecting.type === 'intent';
    const wanted = openQuestion ? confidentDomainIntent(context) : null;
    // An angry complaint is still a complaint: its own handoff (queue, prompt) serves the customer best.
    if (
      wanted &&
      wanted.handoff.when === 'immediately' &&
      (context.nlu?.confidence ?? 0) >= CLEAR_REQUEST_CONFIDENCE
    ) {
      await openTurn(context);
      return;
    }
    if (
      session.frustrationCount >= 2 ||
      (expecting?.type === 'confirmation' && expecting.about === 'handoff')
    ) {
      handOver(context, 'frustration', 'handoff.frustration');
      return;
    }
    // What they asked for waits underneath the offer: a "no" to the person carries on with it.
    // (Only requests the bot can serve itself: a "no" to a person must not end in a handoff after all.)
    if (wanted && wanted.handoff.when === 'never' && wanted.name !== session.frames.at(-1)?.intent) {
      pushFrame(context, wanted.name);
    }
    draft.say.push(prompt('empathy'));
    draft.expecting = { type: 'confirmation', intent: 'SpeakToAgent', about: 'handoff' };
    return;
  }

  if (GLOBAL_INTENTS.has(intent) && nlu.confidence >= 0.5 && !answersPendingSlot(context)) {
    await globalBehaviour(context, intent);
    return;
  }

  if (expecting?.type === 'confirmation') {
    await answerConfirmation(context, expecting);
    return;
  }
  if (expecting?.type === 'slot') {
    await answerSlot(context, expecting);
    return;
  }
  if (expecting?.type === 'verification') {
    await answerVerification(context, expecting);
    return;
  }
  await openTurn(context);
}

function confidentDomainIntent({ nlu, model }: EngineContext) {
  const definition = nlu ? model.intents[nlu.intent] : undefined;
  return definition?.kind === 'domain' && nlu && nlu.confidence >= SWITCH_CONFIDENCE ? definition : null;
}

function pushFrame(context: EngineContext, intent: string): void {
  const { draft, nlu, ports } = context;
  const frame: Frame = {
    intent,
    slots: nlu?.intent === intent ? { ...nlu.slots } : {},
    askedSlot: null,
    confirmedSlots: [],
    actionConfirmed: false,
    invalidCount: 0,
    startedAt: ports.now.toISOString(),
  };
  draft.session.frames = [...draft.session.frames.filter((existing) => existing.intent !== intent), frame];
}

/** "nee" as an answer to "is 1234 AB right?" is not the global No: a pending question gets first claim on short answers. */
function answersPendingSlot({ draft, nlu, turn, ports, model }: EngineContext): boolean {
  const expecting = draft.session.expecting;
  if (!nlu || (expecting?.type !== 'slot' && expecting?.type !== 'verification')) return false;
  const text = turnText(turn);
  if (!text) return false;
  const entity =
    expecting.type === 'verification'
      ? expecting.entity
      : model.intents[expecting.intent]?.slots.find((slot) => slot.name === expecting.slot)?.entity;
  return entity ? ports.extractEntity(entity, text) !== null : false;
}

async function globalBehaviour(context: EngineContext, intent: string): Promise<void> {
  const { draft, model } = context;
  const { session } = draft;
  switch (intent) {
    case 'Help': {
      const expecting = session.expecting;
      const question = questionParam(context);
      if (expecting?.type === 'slot' || expecting?.type === 'verification') {
        draft.say.push(prompt('help.slot', { question }));
      } else if (expecting?.type === 'confirmation') {
        draft.say.push(prompt('help.confirmation', { question }));
      } else {
        draft.say.push(prompt('help.general'));
      }
      session.tried.push('help');
      keepExpecting(context);
      return;
    }
    case 'Repeat':
      if (session.lastReply) draft.repeatLastReply = true;
      else draft.say.push(prompt('repeat.nothing'));
      keepExpecting(context);
      return;
    case 'SpeakSlower':
      session.preferences.slower = true;
      draft.say.push(prompt('slower.ack', { question: questionParam(context) }));
      keepExpecting(context);
      return;
    case 'StartOver':
      session.frames = [];
      session.noMatchCount = 0;
      session.frustrationCount = 0;
      draft.say.push(prompt('startOver.ack'));
      draft.expecting = { type: 'intent' };
      return;
    case 'Stop':
      draft.say.push(prompt('goodbye'));
      draft.end = true;
      return;
    case 'Thanks':
      if (session.expecting && session.expecting.type !== 'intent') {
        draft.say.push(prompt('thanks.pending', { question: questionParam(context) }));
        keepExpecting(context);
        return;
      }
      draft.say.push(prompt('thanks'));
      draft.expecting = { type: 'intent', anythingElse: true };
      return;
    case 'SpeakToAgent':
      handOver(context, 'asked-for-person', 'handoff.asked', model.intents.SpeakToAgent?.handoff.queue);
      return;
  }
}

function isYes(context: EngineContext): 'yes' | 'no' | null {
  return yesOrNo(context.nlu, context.turn);
}

/** A confident, different domain intent interrupts the current question; the unfinished frame waits underneath. */
function isDetour(context: EngineContext): boolean {
  const { nlu, model, draft } = context;
  if (!nlu) return false;
  const definition = model.intents[nlu.intent];
  return (
    !!definition &&
    definition.kind === 'domain' &&
    nlu.confidence >= SWITCH_CONFIDENCE &&
    nlu.intent !== draft.session.frames.at(-1)?.intent
  );
}

async function answerConfirmation(
  context: EngineContext,
  expecting: Extract<Expectation, { type: 'confirmation' }>,
): Promise<void> {
  const { draft } = context;
  const { session } = draft;
  const answer = isYes(context);
  draft.understood = {
    intent: answer === 'yes' ? 'Yes' : answer === 'no' ? 'No' : draft.understood.intent,
    confidence: draft.understood.confidence,
    slots: {},
  };
  if (answer === null) {
    if (isDetour(context)) {
      await openTurn(context);
      return;
    }
    missed(context, () => {
      draft.say.push(prompt('confirm.unclear', { question: questionParam(context) }));
      keepExpecting(context);
    });
    return;
  }
  session.noMatchCount = 0;
  if (expecting.about === 'handoff') {
    if (answer === 'yes')
      handOver(context, session.frustrationCount > 0 ? 'frustration' : 'no-match', 'handoff.asked');
    else {
      // With an unfinished question the customer hears only that question again, not also "what else can I do?".
      draft.say.push(prompt(session.frames.length > 0 ? 'ack' : 'handoff.declined'));
      await continueFrames(context, false);
    }
    return;
  }
  const frame = session.frames.at(-1);
  if (!frame) {
    draft.say.push(prompt('yesNo.outOfContext'));
    return;
  }
  if (expecting.about === 'slot' && expecting.slot) {
    if (answer === 'yes') frame.confirmedSlots.push(expecting.slot);
    else delete frame.slots[expecting.slot];
    await advance(context);
    return;
  }
  if (expecting.about === 'action') {
    if (answer === 'yes') {
      frame.actionConfirmed = true;
      await advance(context);
    } else {
      session.frames.pop();
      session.tried.push(`declined:${frame.intent}`);
      draft.say.push(prompt('confirm.cancelled'));
      await continueFrames(context, false);
    }
  }
}

async function answerSlot(
  context: EngineContext,
  expecting: Extract<Expectation, { type: 'slot' }>,
): Promise<void> {
  const { draft, ports, turn, model } = context;
  const frame = draft.session.frames.at(-1);
  const slot = model.intents[expecting.intent]?.slots.find((candidate) => candidate.name === expecting.slot);
  if (!frame || frame.intent !== expecting.intent || !slot) {
    await openTurn(context);
    return;
  }
  const text = turnText(turn);
  const platformValue = turn.input.type === 'intent' ? turn.input.slots[slot.name] : undefined;
  const match = platformValue === undefined && text ? ports.extractEntity(slot.entity, text) : null;
  const value = platformValue ?? match?.value ?? null;
  if (value === null || value === undefined) {
    // "3511 AB" while the house number is asked is a correction of the postcode, not a new topic.
    const correction = text ? correctedSlot(context, frame, slot.name, text) : null;
    if (correction) {
      frame.slots[correction.slot] = correction.value;
      frame.confirmedSlots = frame.confirmedSlots.filter((name) => name !== correction.slot);
      draft.session.noMatchCount = 0;
      draft.understood = {
        intent: frame.intent,
        confidence: 0.9,
        slots: { [correction.slot]: correction.value },
      };
      await advance(context);
      return;
    }
    if (isDetour(context)) {
      await openTurn(context);
      return;
    }
    missed(context, () => {
      draft.say.push(prompt('noMatch.slot', { question: { prompt: prompt(slot.prompt) } }));
      keepExpecting(context);
    });
    draft.understood = { intent: frame.intent, confidence: draft.understood.confidence, slots: {} };
    return;
  }
  draft.session.noMatchCount = 0;
  frame.slots[slot.name] = value;
  // Other missing slots said in the same breath ("op 1 december naar 1234 AB 5") are kept too, each from words the
  // answer itself did not use: the day in "vijftien januari" is not a house number.
  let rest = match ? withoutSpan(text, match) : '';
  for (const other of model.intents[frame.intent]?.slots ?? []) {
    if (!rest.trim() || other.name in frame.slots) continue;
    const extra = ports.extractEntity(other.entity, rest);
    if (!extra) continue;
    frame.slots[other.name] = extra.value;
    rest = withoutSpan(rest, extra);
  }
  draft.understood = {
    intent: frame.intent,
    confidence: Math.max(draft.understood.confidence, 0.9),
    slots: { [slot.name]: value },
  };
  if (confirmHeardValue(context, frame, slot, value)) return;
  await advance(context);
}

/** Below the first speech-recognition confidence a heard value is read back for a yes; below the second, said back. */
const EXPLICIT_CONFIRM_BELOW = 0.6;
const IMPLICIT_CONFIRM_BELOW = 0.85;

/**
 * A value the phone's speech recognition was unsure of: read back for a yes when little was heard or much is at stake
 * (an action with consequences, a handoff, an account), said back in passing otherwise. Returns whether it now waits
 * for that yes. Slots marked `confirm` are read back by advance() anyway.
 */
function confirmHeardValue(
  context: EngineContext,
  frame: Frame,
  slot: { name: string; confirm: boolean },
  value: string,
): boolean {
  const { draft, turn, model } = context;
  const heard = turn.input.type === 'text' ? turn.input.asrConfidence : undefined;
  if (heard === undefined || heard >= IMPLICIT_CONFIRM_BELOW || slot.confirm) return false;
  const intent = model.intents[frame.intent];
  const atStake =
    !!intent && (!!intent.confirmation || intent.handoff.when !== 'never' || intent.requiresVerifiedCustomer);
  if (heard < EXPLICIT_CONFIRM_BELOW || atStake) {
    draft.say.push(prompt('confirm.value', { value: displayValue(value) }));
    draft.expecting = { type: 'confirmation', intent: frame.intent, about: 'slot', slot: slot.name };
    return true;
  }
  draft.say.push(prompt('confirm.implicit', { value: displayValue(value) }));
  return false;
}

function correctedSlot(
  context: EngineContext,
  frame: Frame,
  askedSlot: string,
  text: string,
): { slot: string; value: string } | null {
  const intent = context.model.intents[frame.intent];
  for (const other of intent?.slots ?? []) {
    if (other.name === askedSlot || !(other.name in frame.slots)) continue;
    const value = context.ports.extractEntity(other.entity, text)?.value ?? null;
    if (value !== null && value !== frame.slots[other.name]) return { slot: other.name, value };
  }
  return null;
}

async function answerVerification(
  context: EngineContext,
  expecting: Extract<Expectation, { type: 'verification' }>,
): Promise<void> {
  const { draft, ports, turn } = context;
  const { session } = draft;
  const text = turnText(turn);
  const value = text ? (ports.extractEntity(expecting.entity, text)?.value ?? null) : null;
  if (value === null) {
    if (isDetour(context)) {
      await openTurn(context);
      return;
    }
    missed(context, () => {
      draft.say.push(prompt('noMatch.slot', { question: questionParam(context) }));
      keepExpecting(context);
    });
    return;
  }
  session.noMatchCount = 0;
  draft.understood = { intent: 'Verification', confidence: 1, slots: { [expecting.step]: value } };
  if (expecting.step === 'customerNumber') {
    session.verification.customerNumber = value;
    draft.expecting = { type: 'verification', step: 'postcode', entity: 'postcode' };
    draft.say.push(prompt('verify.askPostcode'));
    return;
  }
  if (expecting.step === 'postcode') {
    session.verification.postcode = value;
    draft.expecting = { type: 'verification', step: 'houseNumber', entity: 'houseNumber' };
    draft.say.push(prompt('verify.askHouseNumber'));
    return;
  }
  const customer = session.verification.customerNumber
    ? await ports.backend.findCustomerByNumber(session.verification.customerNumber).catch(() => null)
    : null;
  const matches =
    customer &&
    customer.postcode === session.verification.postcode &&
    customer.houseNumber.toLowerCase() === value.toLowerCase();
  session.verification = { attempts: session.verification.attempts, customerNumber: null, postcode: null };
  if (customer && matches) {
    session.customer = customerRef(customer, 'customer-number');
    draft.say.push(prompt('verify.success', { firstName: customer.firstName }));
    await advance(context);
    return;
  }
  session.verification.attempts += 1;
  session.tried.push('verification-failed');
  if (session.verification.attempts >= MAX_VERIFICATION_ATTEMPTS) {
    handOver(context, 'verification-failed', 'handoff.verification');
    return;
  }
  draft.say.push(prompt('verify.failed'));
  draft.expecting = { type: 'verification', step: 'customerNumber', entity: 'customerNumber' };
}

/** The no-match ladder: rephrase, then examples and the offer of a person, then a person. */
function missed(context: EngineContext, rephrase: () => void): void {
  const { draft } = context;
  draft.session.noMatchCount += 1;
  draft.session.tried.push('no-match');
  if (draft.session.noMatchCount >= MAX_NO_MATCH) {
    handOver(context, 'no-match', 'handoff.noMatch');
    return;
  }
  if (draft.session.noMatchCount === 1) {
    rephrase();
    return;
  }
  if (isPhoneCall(context.turn) && offerKeypad(context)) return;
  draft.say.push(prompt('noMatch.examples'));
  draft.expecting = { type: 'confirmation', intent: 'SpeakToAgent', about: 'handoff' };
}

/** On the phone the second miss offers the keypad: the menu at an open question, digits for a number, 1/2 for a yes/no. */
function offerKeypad(context: EngineContext): boolean {
  const { draft } = context;
  const expecting = draft.session.expecting;
  if (!expecting || expecting.type === 'intent') {
    draft.say.push(prompt('noMatch.keypad'));
    draft.expecting = { type: 'intent' };
    return true;
  }
  if ((expecting.type === 'slot' || expecting.type === 'verification') && canBeKeyedIn(expecting.entity)) {
    draft.say.push(prompt('noMatch.keypadDigits', { question: questionParam(context) }));
    keepExpecting(context);
    return true;
  }
  if (expecting.type === 'confirmation') {
    draft.say.push(prompt('noMatch.keypadYesNo', { question: questionParam(context) }));
    keepExpecting(context);
    return true;
  }
  return false;
}

async function openTurn(context: EngineContext): Promise<void> {
  const { draft, nlu, model } = context;
  if (!nlu) return;
  const definition = model.intents[nlu.intent];
  const answer = nlu.intent === 'No' || nlu.intent === 'Yes' ? isYes(context) : null;
  const expecting = draft.session.expecting;
  if (answer === 'no' && expecting?.type === 'intent' && expecting.anythingElse) {
    draft.say.push(prompt('goodbye'));
    draft.end = true;
    return;
  }
  if (nlu.intent === 'Yes' || nlu.intent === 'No') {
    draft.say.push(prompt('yesNo.outOfContext'));
    draft.expecting = { type: 'intent' };
    return;
  }
  if (!definition || nlu.intent === 'Fallback' || definition.kind !== 'domain') {
    missed(context, () => {
      draft.say.push(prompt('noMatch.rephrase'));
      draft.expecting = { type: 'intent' };
    });
    return;
  }
  draft.session.noMatchCount = 0;
  pushFrame(context, nlu.intent);
  await advance(context);
}

/** Move the active frame forward: identify, fill slots, confirm, then fulfil or hand over. */
async function advance(context: EngineContext): Promise<void> {
  const { draft, model, ports, skills, turn } = context;
  const { session } = draft;
  const frame = session.frames.at(-1);
  if (!frame) {
    await continueFrames(context, true);
    return;
  }
  const intent = model.intents[frame.intent];
  if (!intent) {
    session.frames.pop();
    return;
  }

  if (intent.requiresVerifiedCustomer && !session.customer?.verified) {
    const byCaller = turn.callerId
      ? await ports.backend.findCustomerByPhone(turn.callerId).catch(() => null)
      : null;
    if (byCaller) {
      session.customer = customerRef(byCaller, 'caller-id');
    } else {
      draft.say.push(prompt('verify.askCustomerNumber'));
      draft.expecting = { type: 'verification', step: 'customerNumber', entity: 'customerNumber' };
      return;
    }
  }

  // A value to read back is confirmed right after it was given, before the next question, while it is fresh.
  const unconfirmed = intent.slots.find(
    (slot) => slot.confirm && slot.name in frame.slots && !frame.confirmedSlots.includes(slot.name),
  );
  if (unconfirmed) {
    draft.say.push(prompt('confirm.value', { value: displayValue(frame.slots[unconfirmed.name] ?? '') }));
    draft.expecting = { type: 'confirmation', intent: intent.name, about: 'slot', slot: unconfirmed.name };
    return;
  }
  const missing = intent.slots.find((slot) => slot.required && !(slot.name in frame.slots));
  if (missing) {
    frame.askedSlot = missing.name;
    draft.say.push(prompt(missing.prompt));
    draft.expecting = { type: 'slot', intent: intent.name, slot: missing.name, entity: missing.entity };
    return;
  }

  if (intent.handoff.when !== 'never') {
    session.history.push({ intent: intent.name, slots: { ...frame.slots }, at: ports.now.toISOString() });
    session.frames.pop();
    if (intent.handoff.prompt) draft.say.push(prompt(intent.handoff.prompt));
    const reason = intent.handoff.reason;
    handOver(
      context,
      reason,
      intent.handoff.prompt ? null : reason === 'asked-for-person' ? 'handoff.asked' : 'handoff.policy',
      intent.handoff.queue,
    );
    return;
  }

  if (intent.confirmation && !frame.actionConfirmed) {
    draft.say.push(prompt(intent.confirmation));
    draft.expecting = { type: 'confirmation', intent: intent.name, about: 'action' };
    return;
  }

  const skill = skills.get(intent.name);
  if (!skill) {
    session.frames.pop();
    await continueFrames(context, true);
    return;
  }
  const customer = session.customer
    ? await ports.backend.findCustomerById(session.customer.id).catch(() => null)
    : null;
  let result: Awaited<ReturnType<Skill['run']>>;
  try {
    result = await skill.run({
      intent: intent.name,
      slots: frame.slots,
      customer,
      backend: ports.backend,
      locale: session.locale,
      now: ports.now,
    });
  } catch (error) {
    ports.onSkillError?.(error);
    session.frames.pop();
    handOver(context, 'error', 'error.generic');
    return;
  }
  session.tried.push(`skill:${intent.name}`);

  switch (result.kind) {
    case 'answer':
      session.history.push({ intent: intent.name, slots: { ...frame.slots }, at: ports.now.toISOString() });
      session.frames.pop();
      draft.say.push(prompt('ack'), ...result.prompts.map(asUtterance));
      if (result.end) {
        draft.end = true;
        return;
      }
      await continueFrames(context, true);
      return;
    case 'ask-slot': {
      const slot = intent.slots.find((candidate) => candidate.name === result.slot);
      if (!slot) throw new Error(`skill ${skill.intent} asked for unknown slot ${result.slot}`);
      frame.askedSlot = slot.name;
      draft.say.push(prompt(slot.prompt));
      draft.expecting = { type: 'slot', intent: intent.name, slot: slot.name, entity: slot.entity };
      return;
    }
    case 'reject-slot': {
      const slot = intent.slots.find((candidate) => candidate.name === result.slot);
      delete frame.slots[result.slot];
      frame.invalidCount += 1;
      session.tried.push(`rejected:${result.slot}`);
      if (frame.invalidCount >= 2) {
        draft.say.push(asUtterance(result.hint), prompt('handoff.offer'));
        draft.expecting = { type: 'confirmation', intent: 'SpeakToAgent', about: 'handoff' };
        return;
      }
      draft.say.push(
        prompt('slot.invalid', {
          hint: { prompt: asUtterance(result.hint) },
          question: { prompt: prompt(slot?.prompt ?? 'anythingElse') },
        }),
      );
      draft.expecting = slot
        ? { type: 'slot', intent: intent.name, slot: slot.name, entity: slot.entity }
        : null;
      return;
    }
    case 'handoff':
      session.history.push({ intent: intent.name, slots: { ...frame.slots }, at: ports.now.toISOString() });
      session.frames.pop();
      draft.say.push(...result.prompts.map(asUtterance));
      handOver(context, result.reason ?? 'policy', null, result.queue ?? intent.handoff.queue);
      return;
  }
}

/** After an answer: come back to an unfinished intent if there is one, else ask if there is anything else. */
async function continueFrames(context: EngineContext, askAnythingElse: boolean): Promise<void> {
  const { draft, model } = context;
  const previous = draft.session.frames.at(-1);
  if (!previous) {
    if (askAnythingElse) draft.say.push(prompt('anythingElse'));
    draft.expecting = { type: 'intent', anythingElse: askAnythingElse };
    return;
  }
  // Re-run the unfinished frame to find its next question, then announce it as a return to the earlier topic.
  const before = draft.say.length;
  await advance(context);
  const next = draft.say.slice(before);
  if (next.length === 1 && draft.expecting && draft.expecting.type !== 'intent') {
    draft.say.splice(before, 1, prompt('resume.previous', { question: { prompt: next[0] as Utterance } }));
  }
  void model;
}
