// The imperative shell around one turn: load the session, understand, decide, compose, store the handoff,
// save the session and append the masked transcript. Every channel calls this; nothing here knows a platform.
import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Backend } from '../backend/backend.ts';
import { composeReply } from '../compose/compose.ts';
import { renderSsml, renderText, type SsmlDialect } from '../compose/render.ts';
import type { HandoffPackage, Reply, Session, Turn, Understanding } from '../core/types.ts';
import { decideTurn } from '../dialogue/decide.ts';
import type { Skill } from '../dialogue/skill-api.ts';
import type { TurnHandoffHooks } from '../handoff/hooks.ts';
import { buildHandoffPackage } from '../handoff/package.ts';
import type { HandoffWords } from '../handoff/words.ts';
import type { IntentModel } from '../model/schema.ts';
import { detectSentiment } from '../nlu/sentiment.ts';
import { extractEntity, type Nlu, type NluResult, understandText } from '../nlu/understand.ts';
import type { LoketMetrics } from '../observability/metrics.ts';
import { maskPersonalData } from '../privacy/mask.ts';
import type { RecordsStore, TranscriptRecord } from '../stores/records-store.ts';
import type { SessionStore } from '../stores/session-store.ts';
import { watchSlowCalls } from './slow-backend.ts';

export interface LoadedModel {
  model: IntentModel;
  nlu: Nlu;
  /** per locale, from locales/<locale>/handoff.yaml: the words of handoff summaries */
  handoffWords?: Record<string, HandoffWords>;
}

export interface ConversationDeps {
  /** read on every turn, so a hot reload takes effect at the next turn */
  current: () => LoadedModel;
  skills: ReadonlyMap<string, Skill>;
  sessions: SessionStore;
  records: RecordsStore;
  backend: Backend;
  clock: () => Date;
  random: () => number;
  logger: Logger;
  timeZone: string;
  /** the handoff layer: stores packages (continued ones linked), callbacks, finding a caller's earlier handoff */
  handoffs?: TurnHandoffHooks;
  /** Prometheus metrics (the runtime's); without it nothing is measured */
  metrics?: Pick<LoketMetrics, 'observeTurn' | 'observeNlu' | 'recordOutcome'>;
}

export interface TurnResult {
  reply: Reply;
  text: string;
  ssml: string;
  understood: Understanding;
  handoff: HandoffPackage | null;
  session: Session;
}

export function newSession(turn: Turn, now: Date): Session {
  const at = now.toISOString();
  return {
    id: turn.sessionId,
    locale: turn.locale,
    channel: turn.channel,
    callerId: turn.callerId ?? null,
    createdAt: at,
    updatedAt: at,
    frames: [],
    expecting: null,
    noMatchCount: 0,
    noInputCount: 0,
    frustrationCount: 0,
    history: [],
    customer: null,
    verification: { attempts: 0, customerNumber: null, postcode: null },
    preferences: { slower: false },
    usedVariants: {},
    lastReply: null,
    tried: [],
    sentimentScores: [],
    handoffId: null,
    ended: false,
  };
}

function neutralReading(
  intent: string,
  confidence: number,
  slots: Record<string, string>,
  text = '',
): NluResult {
  return { intent, confidence, slots, alternatives: [], yesNo: null, sentiment: detectSentiment(text) };
}

function understandTurn(loaded: LoadedModel, turn: Turn, now: Date, timeZone: string): NluResult | null {
  const localeNlu = loaded.nlu.locales[turn.locale];
  if (!localeNlu) throw new Error(`no NLU for locale ${turn.locale}`);
  const context = { now, timeZone };
  switch (turn.input.type) {
    case 'text':
      return understandText(loaded.model, localeNlu, turn.input.text, context);
    case 'intent': {
      const { intent, slots, confidence, text } = turn.input;
      // A platform that matched an intent the model does not know is treated like free text, or as a miss.
      if (!loaded.model.intents[intent]) {
        return text
          ? understandText(loaded.model, localeNlu, text, context)
          : neutralReading('Fallback', confidence, {});
      }
      const reading = neutralReading(intent, confidence, slots, text);
      if (text) {
        const yesNo = extractEntity('yesNo', text, localeNlu, context);
        reading.yesNo = yesNo
          ? (yesNo.value as 'yes' | 'no')
          : intent === 'Yes'
            ? 'yes'
            : intent === 'No'
              ? 'no'
              : null;
      } else {
        reading.yesNo = intent === 'Yes' ? 'yes' : intent === 'No' ? 'no' : null;
      }
      return reading;
    }
    case 'dtmf':
      return neutralReading('Fallback', 1, {});
    default:
      return null;
  }
}

function customerText(turn: Turn): string | null {
  switch (turn.input.type) {
    case 'text':
      return turn.input.text;
    case 'intent':
      return turn.input.text ?? `[${turn.input.intent}]`;
    case 'dtmf':
      return `[dtmf ${turn.input.digits}]`;
    case 'no-input':
      return '[no input]';
    case 'launch':
      return '[launch]';
    case 'end':
      return null;
  }
}

/** 6 digits, no leading zero, so it is read as one number on the phone and cannot lose a digit. */
function newHandoffCode(): string {
  return String(randomInt(100_000, 1_000_000));
}

export interface TurnOptions {
  /** called once when a backend call takes longer than `slowAfterMs` (default 1000), e.g. for a progressive response */
  onSlowBackend?: () => void;
  slowAfterMs?: number;
}

export async function takeTurn(
  deps: ConversationDeps,
  turn: Turn,
  options: TurnOptions = {},
): Promise<TurnResult> {
  const { metrics } = deps;
  if (!metrics) return runTurn(deps, turn, options);
  const started = performance.now();
  try {
    const result = await runTurn(deps, turn, options);
    metrics.observeTurn(turn.channel, (performance.now() - started) / 1000, 'ok');
    return result;
  } catch (error) {
    metrics.observeTurn(turn.channel, (performance.now() - started) / 1000, 'error');
    throw error;
  }
}

async function runTurn(deps: ConversationDeps, turn: Turn, options: TurnOptions): Promise<TurnResult> {
  const now = deps.clock();
  const loaded = deps.current();
  const localeModel = loaded.model.locales[turn.locale];
  if (!localeModel) throw new Error(`unknown locale ${turn.locale}`);

  const stored = await deps.sessions.load(turn.sessionId);
  const fresh = !stored || (stored.ended && turn.input.type !== 'end');
  const session: Session = fresh ? newSession(turn, now) : { ...stored, locale: turn.locale };
  if (turn.callerId && !session.callerId) session.callerId = turn.callerId;

  const nluStarted = performance.now();
  const nlu = understandTurn(loaded, turn, now, deps.timeZone);
  if (turn.input.type === 'text') {
    deps.metrics?.observeNlu(turn.locale, (performance.now() - nluStarted) / 1000);
  }
  const localeNlu = loaded.nlu.locales[turn.locale];
  const decision = await decideTurn(
    { model: loaded.model, skills: deps.skills, session, turn, nlu },
    {
      backend: options.onSlowBackend
        ? watchSlowCalls(deps.backend, options.slowAfterMs ?? 1000, options.onSlowBackend)
        : deps.backend,
      now,
      newHandoff: () => ({ id: randomUUID(), code: newHandoffCode() }),
      extractEntity: (entityType, text) =>
        localeNlu ? extractEntity(entityType, text, localeNlu, { now, timeZone: deps.timeZone }) : null,
      offerCallbacks: deps.handoffs?.offerCallbacks ?? false,
      ...(deps.handoffs
        ? {
            findResumableHandoff: (query) =>
              deps.handoffs?.findResumable(query, now) ?? Promise.resolve(null),
          }
        : {}),
      onSkillError: (error) =>
        deps.logger.error(
          { err: error, turnId: turn.turnId, sessionId: turn.sessionId, channel: turn.channel },
          'skill failed',
        ),
    },
  );

  const composed = composeReply({
    locale: localeModel,
    session: decision.session,
    decision,
    capabilities: turn.capabilities,
    random: deps.random,
  });
  const text = renderText(composed.reply.speech);
  const dialect: SsmlDialect =
    turn.capabilities.ssmlDialect === 'none' ? 'generic' : turn.capabilities.ssmlDialect;
  const ssml = renderSsml(composed.reply.speech, { dialect, slow: composed.reply.slow });
  const nextSession: Session = {
    ...composed.session,
    updatedAt: now.toISOString(),
    lastReply: composed.session.lastReply ? { ...composed.session.lastReply, text } : null,
  };

  const said = customerText(turn);
  const records: TranscriptRecord[] = [];
  const base = {
    sessionId: session.id,
    turnId: turn.turnId,
    channel: turn.channel,
    locale: turn.locale,
    at: now.toISOString(),
  };
  if (said !== null) {
    records.push({
      ...base,
      speaker: 'customer',
      // A number given for a callback is personal data even in a spoken form the masker does not know yet.
      text: decision.understood.slots.callbackPhone ? '[phone]' : maskPersonalData(said),
      intent: decision.understood.intent,
      confidence: decision.understood.confidence,
    });
  }
  if (text)
    records.push({ ...base, speaker: 'bot', text: maskPersonalData(text), intent: null, confidence: null });

  let handoff: HandoffPackage | null = null;
  if (decision.handoff) {
    // Only this conversation: a session id can be reused after an earlier conversation ended.
    const earlier = await deps.records.listTranscript(session.id, nextSession.createdAt);
    handoff = buildHandoffPackage({
      session: nextSession,
      decision: decision.handoff,
      channel: turn.channel,
      transcript: [...earlier, ...records].map((record) => ({
        at: record.at,
        speaker: record.speaker,
        text: record.text,
        ...(record.intent ? { intent: record.intent } : {}),
        ...(record.confidence !== null ? { confidence: record.confidence } : {}),
      })),
      now,
      words: loaded.handoffWords?.[nextSession.locale] ?? null,
      model: loaded.model,
      transferred: turn.capabilities.canTransfer,
    });
    // Through the handoff layer when there is one: it links a continued handoff and tells the console at once.
    if (deps.handoffs) handoff = await deps.handoffs.saveNew(handoff, now);
    else await deps.records.saveHandoff(handoff);
    deps.logger.info(
      {
        turnId: turn.turnId,
        sessionId: session.id,
        channel: turn.channel,
        handoffId: handoff.id,
        reason: handoff.reason,
      },
      'handoff',
    );
  }

  if (decision.callback && deps.handoffs) await deps.handoffs.attachCallback(decision.callback, now);
  await deps.sessions.save(nextSession);
  await deps.records.appendTranscript(records);
  // The customer was identified this turn: link the session, so a GDPR request also finds the turns before this one.
  if (nextSession.customer && nextSession.customer.id !== session.customer?.id) {
    await deps.records.linkCustomer(session.id, nextSession.customer.id, now.toISOString());
  }
  // Containment: a conversation that ends (goodbye, stop, hang-up) without a handoff; a hang-up on an unknown
  // session is no conversation. See docs/operations.md.
  const endedNow = nextSession.ended && !session.ended && !(fresh && turn.input.type === 'end');
  deps.metrics?.recordOutcome({
    channel: turn.channel,
    intent: decision.understood.intent,
    noMatch: nextSession.noMatchCount > session.noMatchCount,
    handoffReason: handoff?.reason ?? null,
    conversationStarted: fresh && turn.input.type !== 'end',
    conversationEnded: endedNow ? (nextSession.handoffId ? 'handed-off' : 'contained') : null,
  });
  deps.logger.debug(
    {
      turnId: turn.turnId,
      sessionId: session.id,
      channel: turn.channel,
      intent: decision.understood.intent,
      confidence: decision.understood.confidence,
    },
    'turn',
  );
  return {
    reply: { ...composed.reply, handoff },
    text,
    ssml,
    understood: decision.understood,
    handoff,
    session: nextSession,
  };
}
