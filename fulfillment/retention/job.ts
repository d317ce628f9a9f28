// The retention job: every LOKET_RETENTION_INTERVAL_MINUTES (the first round shortly after start-up) it expires
// handoffs that waited too long, through the desk so the agents' consoles hear it, and applies the retention to
// transcripts and old packages. Every round is idempotent: a second round, or one on another instance, finds nothing
// left to do, so several instances may all run the job.
import type { Logger } from 'pino';
import type { HandoffDesk } from '../handoff/desk.ts';
import type { RecordsStore, RetentionReport } from '../stores/records-store.ts';
import { expireHandoff, isDueToExpire, type RetentionCutoffs, retentionCutoffs } from './cutoffs.ts';
import { noRoundLock, type RoundLock } from './lock.ts';
import type { RetentionSettings } from './settings.ts';

/** The first round comes this long after start-up: late enough not to slow the start, early enough to be seen. */
export const FIRST_ROUND_AFTER_MS = 30_000;
/** waiting handoffs are read in batches of this many: the queue can be long after a weekend nobody worked it */
const EXPIRY_BATCH = 500;

export interface RetentionRoundReport extends RetentionReport {
  /** waiting handoffs that moved to expired */
  expired: number;
}

export interface RetentionRoundInput {
  settings: Pick<RetentionSettings, 'retentionDays' | 'handoffExpireHours'>;
  records: RecordsStore;
  desk: HandoffDesk;
  clock: () => Date;
}

async function expireWaitingHandoffs(
  input: RetentionRoundInput,
  now: Date,
  cutoffs: RetentionCutoffs,
): Promise<number> {
  const expire = expireHandoff(now);
  let expired = 0;
  for (;;) {
    const listed = await input.records.listHandoffs({
      status: 'waiting',
      createdBefore: cutoffs.expireWaitingBefore,
      limit: EXPIRY_BATCH,
    });
    let expiredInBatch = 0;
    for (const pkg of listed.filter((candidate) => isDueToExpire(candidate, cutoffs))) {
      let changed = false;
      const result = await input.desk.update(
        pkg.id,
        (current) => {
          const next = expire(current);
          changed = next !== current;
          return next;
        },
        'expiry',
      );
      if (result.ok && changed) expiredInBatch += 1;
    }
    expired += expiredInBatch;
    // A batch that changed nothing (unreadable or refused packages) would come back the same: stop there.
    if (listed.length < EXPIRY_BATCH || expiredInBatch === 0) return expired;
  }
}

export async function runRetentionRound(input: RetentionRoundInput): Promise<RetentionRoundReport> {
  const now = input.clock();
  const cutoffs = retentionCutoffs(input.settings, now);
  // Expiry first: a handoff that waited past the retention period is then scrubbed in the same round.
  const expired = await expireWaitingHandoffs(input, now, cutoffs);
  const retained = await input.records.applyRetention(cutoffs.transcriptsBefore);
  return { expired, ...retained };
}

export interface RetentionJob {
  /** one round now (the timer calls this too; a call during a round shares it); null when another instance ran one */
  runNow(): Promise<RetentionRoundReport | null>;
  /** no new rounds; waits for a running one, then closes the lock */
  stop(): Promise<void>;
}

export type SetTimer = (run: () => void, ms: number) => { cancel(): void };

const unrefTimer: SetTimer = (run, ms) => {
  const timer = setTimeout(run, ms);
  // The server keeps itself alive; a pending round must not keep a CLI process or a test from ending.
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

export interface RetentionJobInput extends RetentionRoundInput {
  settings: RetentionSettings;
  logger: Logger;
  lock?: RoundLock;
  firstRoundAfterMs?: number;
  setTimer?: SetTimer;
}

export function startRetentionJob(input: RetentionJobInput): RetentionJob {
  const { logger, settings } = input;
  const lock = input.lock ?? noRoundLock;
  const setTimer = input.setTimer ?? unrefTimer;
  let running: Promise<RetentionRoundReport | null> | null = null;
  let timer: { cancel(): void } | null = null;
  let stopped = false;

  const round = async (): Promise<RetentionRoundReport | null> => {
    const started = performance.now();
    const outcome = await lock.runExclusive(() => runRetentionRound(input));
    if (!outcome) {
      logger.debug('retention round skipped: another instance is running one');
      return null;
    }
    // Counts and settings only: nothing here says whose records they were.
    logger.info(
      {
        ...outcome.value,
        retentionDays: settings.retentionDays,
        handoffExpireHours: settings.handoffExpireHours,
        tookMs: Math.round(performance.now() - started),
      },
      'retention round',
    );
    return outcome.value;
  };

  const runNow = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  const scheduleNext = (ms: number) => {
    if (stopped) return;
    timer = setTimer(() => {
      timer = null;
      void runNow()
        .catch((error) => logger.error({ err: error }, 'retention round failed; trying again next round'))
        .finally(() => scheduleNext(settings.intervalMinutes * 60_000));
    }, ms);
  };
  scheduleNext(input.firstRoundAfterMs ?? FIRST_ROUND_AFTER_MS);

  return {
    runNow,
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      await running?.catch(() => undefined);
      await lock.close();
    },
  };
}
