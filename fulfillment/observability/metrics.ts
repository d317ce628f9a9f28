// Prometheus metrics for one runtime: turn and NLU latency, turns, intents, no-matches, handoffs, containment,
// webhook failures and active sessions. Each runtime has its own registry (never prom-client's global one), so
// several servers in one process (the tests) do not collide.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Channel } from '../core/types.ts';
import { isStoreUnavailable } from '../stores/store-unavailable.ts';

/** Seconds. A spoken reply should start well under a second; the tail shows slow backends. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
/** Seconds. The classifier plus entity extraction takes about 0.1 ms per utterance. */
const NLU_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

/**
 * Why a channel could not answer a platform request normally. A fixed set, so the `reason` label can never grow
 * without bound (no platform text, paths or ids in a label). docs/operations.md says which channel counts which.
 */
export const WEBHOOK_FAILURE_REASONS = [
  /** Alexa's Signature-256 or certificate, Twilio's X-Twilio-Signature (webhooks and media stream) */
  'signature',
  /** Alexa's request timestamp more than 150 s off */
  'timestamp',
  /** Dialogflow's credentials (secret or ID token) missing or wrong */
  'auth',
  /** an Alexa request for another skill than LOKET_ALEXA_SKILL_ID */
  'skill-id',
  'malformed-json',
  /** valid JSON or form data, but not the platform's request shape */
  'invalid-request',
  'unknown-locale',
  'body-too-large',
  /** the per-IP or per-caller rate limit */
  'rate-limited',
  /** a store could not be reached (Redis down or restarting): 503 on the text API, an apology on voice */
  'unavailable',
  /** anything else that failed on our side */
  'internal',
] as const;
export type WebhookFailureReason = (typeof WEBHOOK_FAILURE_REASONS)[number];

/** The reason to count for an error that reached a router's error handler: the body parser's, or a turn's. */
export function requestFailureReasonOf(error: unknown): WebhookFailureReason {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return 'body-too-large';
  if (type === 'entity.parse.failed') return 'malformed-json';
  return failureReasonOf(error);
}

/** The reason to count for an error a turn threw: a store that is down, or anything else. */
export function failureReasonOf(error: unknown): 'unavailable' | 'internal' {
  return isStoreUnavailable(error) ? 'unavailable' : 'internal';
}

export interface TurnOutcome {
  channel: string;
  /** what was understood this turn (the intent name, `Fallback`, `NoInput`, ...) */
  intent: string;
  /** the no-match ladder moved up this turn */
  noMatch: boolean;
  /** the reason of a handoff made this turn */
  handoffReason: string | null;
  /** this turn started a new conversation */
  conversationStarted: boolean;
  /** this turn ended the conversation: without any handoff (contained) or after one */
  conversationEnded: 'contained' | 'handed-off' | null;
}

export interface LoketMetrics {
  readonly registry: Registry;
  /** the whole turn, from loading the session to saving the transcript */
  observeTurn(channel: string, seconds: number, outcome: 'ok' | 'error'): void;
  observeNlu(locale: string, seconds: number): void;
  recordOutcome(outcome: TurnOutcome): void;
  /** a platform request the channel could not answer normally (bad input, unknown locale, internal error, ...) */
  recordWebhookFailure(channel: Channel, reason: WebhookFailureReason): void;
  /** the Prometheus text exposition */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** counts unexpired sessions; called on a scrape at most once per `activeSessionsCacheMs` */
  countActiveSessions: () => Promise<number>;
  activeSessionsCacheMs?: number;
  /** a failed count keeps the last value and is reported here */
  onCountError?: (error: unknown) => void;
  /** process CPU, memory, event-loop lag, ... (default true) */
  processMetrics?: boolean;
  now?: () => number;
}

export function createMetrics(options: MetricsOptions): LoketMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'loket_' });

  const turnDuration = new Histogram({
    name: 'loket_turn_duration_seconds',
    help: 'Time to take one turn (session, NLU, dialogue, composition, stores), by channel',
    labelNames: ['channel'] as const,
    buckets: TURN_BUCKETS,
    registers,
  });
  const nluDuration = new Histogram({
    name: 'loket_nlu_duration_seconds',
    help: 'Time to understand one text utterance (intent classifier and entities), by locale',
    labelNames: ['locale'] as const,
    buckets: NLU_BUCKETS,
    registers,
  });
  const turns = new Counter({
    name: 'loket_turns_total',
    help: 'Turns taken, by channel and outcome (ok, or error when the turn threw)',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });
  const intents = new Counter({
    name: 'loket_intents_total',
    help: 'What was understood per turn, by channel and intent',
    labelNames: ['channel', 'intent'] as const,
    registers,
  });
  const noMatches = new Counter({
    name: 'loket_no_matches_total',
    help: 'Turns on which the customer was not understood (a step on the no-match ladder), by channel',
    labelNames: ['channel'] as const,
    registers,
  });
  const handoffs = new Counter({
    name: 'loket_handoffs_total',
    help: 'Handoffs to a person, by channel and reason',
    labelNames: ['channel', 'reason'] as const,
    registers,
  });
  const conversationsStarted = new Counter({
    name: 'loket_conversations_started_total',
    help: 'Conversations started (a turn on a new or ended session), by channel',
    labelNames: ['channel'] as const,
    registers,
  });
  const conversationsEnded = new Counter({
    name: 'loket_conversations_ended_total',
    help: 'Conversations that ended (goodbye, stop, hang-up), by channel and outcome: contained (no handoff) or handed-off',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });
  const webhookFailures = new Counter({
    name: 'loket_webhook_failures_total',
    help: 'Platform requests a channel could not answer normally, by channel and reason',
    labelNames: ['channel', 'reason'] as const,
    registers,
  });

  const now = options.now ?? Date.now;
  const cacheMs = options.activeSessionsCacheMs ?? 5000;
  let lastCount: { value: number; atMs: number } | null = null;
  let counting: Promise<void> | null = null;
  const refreshActiveSessions = async () => {
    try {
      lastCount = { value: await options.countActiveSessions(), atMs: now() };
    } catch (error) {
      options.onCountError?.(error);
    }
  };
  new Gauge({
    name: 'loket_active_sessions',
    help: `Unexpired sessions in the session store (counted at most every ${cacheMs / 1000} s)`,
    registers,
    async collect() {
      // Counting scans the store (SCAN on Redis), so scrapes close together share one count.
      if (!lastCount || now() - lastCount.atMs >= cacheMs) {
        counting ??= refreshActiveSessions().finally(() => {
          counting = null;
        });
        await counting;
      }
      if (lastCount) this.set(lastCount.value);
    },
  });

  return {
    registry,
    observeTurn(channel, seconds, outcome) {
      turnDuration.observe({ channel }, seconds);
      turns.inc({ channel, outcome });
    },
    observeNlu(locale, seconds) {
      nluDuration.observe({ locale }, seconds);
    },
    recordOutcome(outcome) {
      const { channel } = outcome;
      intents.inc({ channel, intent: outcome.intent });
      if (outcome.noMatch) noMatches.inc({ channel });
      if (outcome.handoffReason) handoffs.inc({ channel, reason: outcome.handoffReason });
      if (outcome.conversationStarted) conversationsStarted.inc({ channel });
      if (outcome.conversationEnded) conversationsEnded.inc({ channel, outcome: outcome.conversationEnded });
    },
    recordWebhookFailure(channel, reason) {
      webhookFailures.inc({ channel, reason });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/**
 * For the channels: count a request they could not answer normally. `metrics` is `runtime.metrics`; it may be
 * missing in tests that build a partial runtime, and then nothing is counted.
 */
export function recordWebhookFailure(
  metrics: Pick<LoketMetrics, 'recordWebhookFailure'> | undefined,
  channel: Channel,
  reason: WebhookFailureReason,
): void {
  metrics?.recordWebhookFailure(channel, reason);
}
