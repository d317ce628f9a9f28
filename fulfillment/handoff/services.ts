// Starts what makes a handoff reach a person: the agents, the event bus for the console, the desk every change goes
// through, the conversation hooks (callbacks, continuity) and, when configured, the contact-centre webhook outbox.
import type { Logger } from 'pino';
import { type AgentDirectory, readAgentDirectory } from '../agent/settings.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import { createHandoffDesk, type HandoffDesk } from './desk.ts';
import { createInProcessEventBus, type HandoffEventBus } from './events.ts';
import { createTurnHandoffHooks, type TurnHandoffHooks } from './hooks.ts';
import { createWebhookOutbox, type WebhookOutbox } from './outbox.ts';
import type { HandoffSettings } from './settings.ts';
import type { HandoffWords } from './words.ts';

export interface HandoffServices {
  settings: HandoffSettings;
  agents: AgentDirectory;
  events: HandoffEventBus;
  desk: HandoffDesk;
  hooks: TurnHandoffHooks;
  outbox: WebhookOutbox | null;
  /** run on close, before the bus stops: open event streams end themselves here */
  onClose(callback: () => void): void;
  close(): Promise<void>;
}

export interface HandoffServicesInput {
  settings: HandoffSettings;
  env: Readonly<Record<string, string | undefined>>;
  records: RecordsStore;
  logger: Logger;
  clock: () => Date;
  random: () => number;
  /** the current model's handoff words for a locale (they follow hot reloads) */
  wordsFor: (locale: string) => HandoffWords | null;
  /** an event bus shared by several instances (Redis, issue 7); in-process when not given */
  events?: HandoffEventBus;
}

export async function startHandoffServices(input: HandoffServicesInput): Promise<HandoffServices> {
  const { settings, records, logger } = input;
  const agents = readAgentDirectory(input.env);
  if (agents.size === 0) {
    logger.warn('LOKET_AGENT_TOKENS is not set: the agent API and console refuse everyone');
  }
  const events =
    input.events ??
    createInProcessEventBus({
      onListenerError: (error) => logger.error({ err: error }, 'a handoff event listener failed'),
    });
  const outbox = settings.LOKET_HANDOFF_WEBHOOK_URL
    ? createWebhookOutbox({
        target: {
          url: settings.LOKET_HANDOFF_WEBHOOK_URL,
          secret: settings.LOKET_HANDOFF_WEBHOOK_SECRET ?? '',
          timeoutMs: settings.LOKET_HANDOFF_WEBHOOK_TIMEOUT_MS,
        },
        attempts: settings.LOKET_HANDOFF_WEBHOOK_ATTEMPTS,
        backoffMs: settings.LOKET_HANDOFF_WEBHOOK_BACKOFF_MS,
        records,
        clock: input.clock,
        random: input.random,
        logger,
      })
    : null;
  const desk = createHandoffDesk({
    records,
    events,
    ...(outbox ? { beforeSave: outbox.markPending, afterSave: (pkg) => outbox.schedule(pkg) } : {}),
    onPublishError: (error) => logger.error({ err: error }, 'publishing a handoff event failed'),
  });
  outbox?.attach(desk);
  await outbox?.recover();
  const hooks = createTurnHandoffHooks({
    desk,
    records,
    wordsFor: input.wordsFor,
    offerCallbacks: settings.LOKET_CALLBACKS,
  });
  const closeCallbacks: (() => void)[] = [];
  return {
    settings,
    agents,
    events,
    desk,
    hooks,
    outbox,
    onClose: (callback) => closeCallbacks.push(callback),
    async close() {
      for (const callback of closeCallbacks.splice(0)) callback();
      await outbox?.close();
      await events.close();
    },
  };
}
