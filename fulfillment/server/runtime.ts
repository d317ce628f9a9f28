// Wires the running system from settings: model (with hot reload), NLU, stores, backend and skills.
import { mkdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { createSampleBackend } from '../backend/sample-sqlite.ts';
import type { Settings } from '../config/settings.ts';
import { withLatency } from '../conversation/slow-backend.ts';
import type { ConversationDeps, LoadedModel } from '../conversation/take-turn.ts';
import type { Skill } from '../dialogue/skill-api.ts';
import { startRedisEventBus } from '../handoff/events-redis.ts';
import { openRecordsStore } from '../handoff/records.ts';
import { type HandoffServices, startHandoffServices } from '../handoff/services.ts';
import { readHandoffSettings } from '../handoff/settings.ts';
import { loadHandoffWords } from '../handoff/words.ts';
import { loadModel } from '../model/load.ts';
import { formatProblem, hasErrors } from '../model/problems.ts';
import { trainNlu } from '../nlu/understand.ts';
import { createMetrics, type LoketMetrics } from '../observability/metrics.ts';
import { checkReadiness, type ReadinessReport } from '../observability/readiness.ts';
import { type OperationsSettings, readOperationsSettings } from '../observability/settings.ts';
import { type RetentionJob, startRetentionJob } from '../retention/job.ts';
import { roundLockFor } from '../retention/lock.ts';
import { readRetentionSettings } from '../retention/settings.ts';
import { createRedisSessionStore } from '../stores/session-redis.ts';
import { createSqliteSessionStore } from '../stores/session-sqlite.ts';
import type { SessionStore } from '../stores/session-store.ts';

export interface Runtime {
  deps: ConversationDeps;
  /** agents, the handoff event bus, the desk every handoff change goes through, the webhook outbox */
  handoffs: HandoffServices;
  settings: Settings;
  locales: () => string[];
  /** reload the model from disk; keeps the last good model when the new one has errors */
  reload: () => boolean;
  close: () => Promise<void>;
  /** this runtime's Prometheus metrics (its own registry); channels count failures with recordWebhookFailure */
  metrics: LoketMetrics;
  /** metrics, readiness and shutdown settings (fulfillment/observability/settings.ts) */
  operations: OperationsSettings;
  /** do the stores answer, and is this instance still taking traffic? (GET /readyz) */
  readiness: () => Promise<ReadinessReport>;
  /** called on SIGTERM: from now on readiness says no, so load balancers stop sending new requests */
  startDraining: () => void;
  /** transcript retention and handoff expiry, on a timer (fulfillment/retention/job.ts) */
  retention: RetentionJob;
}

export class ModelError extends Error {}

/** Embedded SQLite writes are batched this long: one commit per batch instead of two per turn. */
const WRITE_BATCH_MS = 5;

function loadAndTrain(settings: Settings, skills: readonly Skill[], logger: Logger): LoadedModel | null {
  const { model, problems } = loadModel(settings.modelDir, skills);
  for (const problem of problems) {
    (problem.severity === 'error' ? logger.error.bind(logger) : logger.warn.bind(logger))(
      formatProblem(problem),
    );
  }
  if (!model || hasErrors(problems)) return null;
  const nlu = trainNlu(model);
  for (const localeNlu of Object.values(nlu.locales)) localeNlu.threshold = settings.LOKET_NLU_THRESHOLD;
  logger.info(
    { locales: Object.keys(nlu.locales), trainedInMs: nlu.trainedInMs },
    'model loaded and NLU trained',
  );
  const handoff = loadHandoffWords(settings.modelDir, Object.keys(model.locales), model);
  for (const problem of handoff.problems) logger.warn(formatProblem(problem));
  return { model, nlu, handoffWords: handoff.words };
}

export async function startRuntime(
  settings: Settings,
  options: { logger: Logger; watch?: boolean; clock?: () => Date; random?: () => number },
): Promise<Runtime> {
  const { logger } = options;
  const operations = readOperationsSettings(settings.env);
  const retentionSettings = readRetentionSettings(settings.env);
  const skills = polderlinkSkills;
  let current = loadAndTrain(settings, skills, logger);
  if (!current)
    throw new ModelError(
      `the model in ${settings.modelDir} has errors (see above); fix them and start again`,
    );

  mkdirSync(settings.dataDir, { recursive: true });
  const ttlSeconds = settings.LOKET_SESSION_TTL_SECONDS;
  const onWriteError = (error: unknown) =>
    logger.error({ err: error }, 'writing to the embedded store failed');
  const onCorrupt = (id: string, error: unknown) =>
    logger.warn({ sessionId: id, err: error }, 'stored session unreadable; starting fresh');
  const sessions: SessionStore = settings.REDIS_URL
    ? createRedisSessionStore({ url: settings.REDIS_URL, ttlSeconds, onCorrupt })
    : createSqliteSessionStore({
        file: join(settings.dataDir, 'sessions.db'),
        ttlSeconds,
        onCorrupt,
        writeBatchMs: WRITE_BATCH_MS,
        onWriteError,
      });
  const handoffSettings = readHandoffSettings(settings.env);
  const records = await openRecordsStore({
    settings: handoffSettings,
    dataDir: settings.dataDir,
    logger,
    writeBatchMs: WRITE_BATCH_MS,
    onWriteError,
  });
  const sampleBackend = createSampleBackend({ file: join(settings.dataDir, 'polderlink.db') });
  const backend = withLatency(sampleBackend, settings.LOKET_BACKEND_LATENCY_MS);

  const watchers: ReturnType<typeof watch>[] = [];
  const reload = (): boolean => {
    const next = loadAndTrain(settings, skills, logger);
    if (!next) {
      logger.error('model has errors: keeping the last good model');
      return false;
    }
    current = next;
    return true;
  };
  if (options.watch) {
    let timer: NodeJS.Timeout | null = null;
    for (const folder of ['intents', 'locales']) {
      // Editors save in bursts (temp file, rename, write): wait for the burst to end before reloading.
      const watcher = watch(join(settings.modelDir, folder), { recursive: true }, () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          logger.info('model files changed: reloading');
          reload();
        }, 250);
      });
      watchers.push(watcher);
    }
  }

  const metrics = createMetrics({
    countActiveSessions: () => sessions.countActive(),
    activeSessionsCacheMs: operations.activeSessionsCacheMs,
    onCountError: (error) => logger.warn({ err: error }, 'counting active sessions for /metrics failed'),
  });
  let draining = false;

  const deps: ConversationDeps = {
    current: () => current as LoadedModel,
    skills: new Map(skills.map((skill) => [skill.intent, skill])),
    sessions,
    records,
    backend,
    clock: options.clock ?? (() => new Date()),
    random: options.random ?? Math.random,
    logger,
    timeZone: settings.LOKET_TIME_ZONE,
    metrics,
  };
  const handoffs = await startHandoffServices({
    settings: handoffSettings,
    env: settings.env,
    records,
    logger,
    clock: deps.clock,
    random: deps.random,
    wordsFor: (locale) => (current as LoadedModel).handoffWords?.[locale] ?? null,
    // Several instances: every console hears every instance's handoffs (docs/operations.md, "Several instances").
    ...(settings.REDIS_URL ? { events: await startRedisEventBus(settings.REDIS_URL, logger) } : {}),
  });
  deps.handoffs = handoffs.hooks;
  const retention = startRetentionJob({
    settings: retentionSettings,
    records,
    desk: handoffs.desk,
    clock: deps.clock,
    logger,
    lock: roundLockFor(handoffSettings, logger),
  });
  return {
    deps,
    handoffs,
    settings,
    metrics,
    operations,
    readiness: () =>
      checkReadiness({
        sessions,
        records,
        isDraining: () => draining,
        timeoutMs: operations.readyTimeoutMs,
      }),
    startDraining: () => {
      draining = true;
    },
    locales: () => Object.keys((current as LoadedModel).model.locales).sort(),
    reload,
    retention,
    close: async () => {
      for (const watcher of watchers) watcher.close();
      await retention.stop();
      await handoffs.close();
      await sessions.close();
      await records.close();
      sampleBackend.close();
    },
  };
}
