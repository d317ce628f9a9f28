// The webhook outbox: every new or changed package is delivered to the contact centre, retried with exponential
// backoff, and parked as `failed` (visible in the console) after the last attempt. The delivery state lives in the
// package itself, in the records store, so a restart picks up where it stopped and nothing is lost.
import type { Logger } from 'pino';
import type { HandoffPackage } from '../core/types.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import type { HandoffChangeCause, HandoffDesk, HandoffUpdateResult } from './desk.ts';
import { type DeliveryOutcome, deliverHandoff, type WebhookTarget } from './webhook.ts';

export interface WebhookOutboxOptions {
  target: WebhookTarget;
  /** attempts per package version before it is parked as failed */
  attempts: number;
  /** the first retry waits this long; each next one twice as long (with jitter), at most MAX_BACKOFF_MS */
  backoffMs: number;
  records: RecordsStore;
  clock: () => Date;
  random: () => number;
  logger: Logger;
  deliver?: (pkg: HandoffPackage) => Promise<DeliveryOutcome>;
}

export interface WebhookOutbox {
  /** desk hook: a package changed by anyone but the outbox itself is due for delivery */
  markPending(pkg: HandoffPackage, cause: HandoffChangeCause): HandoffPackage;
  /** desk hook: schedule the delivery of a stored package that is pending */
  schedule(pkg: HandoffPackage): void;
  /** the desk the outbox writes its delivery state through (created after the outbox, hence set later) */
  attach(desk: HandoffDesk): void;
  /** a parked (failed) package: try again from the first attempt */
  redeliver(id: string): Promise<HandoffUpdateResult>;
  /** after a restart: schedule every package still pending, at the time it was due */
  recover(): Promise<number>;
  close(): Promise<void>;
}

export const MAX_BACKOFF_MS = 10 * 60 * 1000;
/** how far back recovery looks for pending deliveries (newest packages first) */
const RECOVERY_SCAN_LIMIT = 5000;

export function backoffDelay(attemptsMade: number, baseMs: number, random: () => number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  // ±20% jitter, so packages that failed together do not all retry in the same millisecond.
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

export function createWebhookOutbox(options: WebhookOutboxOptions): WebhookOutbox {
  const { records, clock, logger } = options;
  const deliver = options.deliver ?? ((pkg: HandoffPackage) => deliverHandoff(options.target, pkg));
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Map<string, Promise<void>>();
  /** ids whose package changed while a delivery was in flight: deliver again right after */
  const again = new Set<string>();
  let desk: HandoffDesk | null = null;
  let closed = false;

  function scheduleAt(id: string, dueAt: number) {
    if (closed) return;
    const existing = timers.get(id);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(
      () => {
        timers.delete(id);
        void attempt(id);
      },
      Math.max(0, dueAt - clock().getTime()),
    );
    // A pending delivery must not keep a CLI process alive; the server keeps itself alive.
    timer.unref();
    timers.set(id, timer);
  }

  async function attempt(id: string): Promise<void> {
    if (closed || !desk) return;
    if (inFlight.has(id)) {
      again.add(id);
      return;
    }
    const work = (async () => {
      const pkg = await records.getHandoff(id);
      if (pkg?.delivery?.state !== 'pending' || !desk) return;
      const outcome = await deliver(pkg);
      const now = clock();
      const at = now.toISOString();
      await desk.update(
        id,
        (current) => {
          const delivery = current.delivery;
          if (delivery?.state !== 'pending') return current;
          const attempts = delivery.attempts + 1;
          if (outcome.ok) {
            // Changed while on its way: this version arrived, the newer one is still to go.
            if (current.updatedAt !== pkg.updatedAt) return current;
            logger.info({ handoffId: id, attempts }, 'handoff delivered to the contact-centre webhook');
            return {
              ...current,
              delivery: {
                ...delivery,
                state: 'delivered',
                attempts,
                lastError: null,
                lastAttemptAt: at,
                nextAttemptAt: null,
                deliveredAt: at,
              },
            };
          }
          if (attempts >= options.attempts) {
            logger.error(
              { handoffId: id, attempts, error: outcome.error },
              'handoff webhook failed for good: parked as failed',
            );
            return {
              ...current,
              delivery: {
                ...delivery,
                state: 'failed',
                attempts,
                lastError: outcome.error,
                lastAttemptAt: at,
                nextAttemptAt: null,
              },
            };
          }
          const next = new Date(now.getTime() + backoffDelay(attempts, options.backoffMs, options.random));
          logger.warn({ handoffId: id, attempts, error: outcome.error }, 'handoff webhook failed; retrying');
          return {
            ...current,
            delivery: {
              ...delivery,
              attempts,
              lastError: outcome.error,
              lastAttemptAt: at,
              nextAttemptAt: next.toISOString(),
            },
          };
        },
        'delivery',
      );
    })()
      .catch((error) => logger.error({ err: error, handoffId: id }, 'handoff webhook delivery crashed'))
      .finally(() => {
        inFlight.delete(id);
        if (again.delete(id)) void attempt(id);
      });
    inFlight.set(id, work);
    await work;
  }

  return {
    markPending(pkg, cause) {
      if (cause === 'delivery') return pkg;
      const previous = pkg.delivery;
      return {
        ...pkg,
        delivery: {
          state: 'pending',
          attempts: 0,
          lastError: previous?.lastError ?? null,
          lastAttemptAt: previous?.lastAttemptAt ?? null,
          nextAttemptAt: null,
          deliveredAt: previous?.deliveredAt ?? null,
        },
      };
    },
    schedule(pkg) {
      if (pkg.delivery?.state !== 'pending') return;
      if (inFlight.has(pkg.id) && !pkg.delivery.nextAttemptAt) {
        again.add(pkg.id);
        return;
      }
      const due = pkg.delivery.nextAttemptAt ? new Date(pkg.delivery.nextAttemptAt).getTime() : 0;
      scheduleAt(pkg.id, Number.isFinite(due) ? due : 0);
    },
    attach(next) {
      desk = next;
    },
    async redeliver(id) {
      if (!desk) throw new Error('the outbox has no desk attached');
      return desk.update(
        id,
        (current) => {
          if (current.delivery?.state !== 'failed') {
            return {
              refused: {
                status: 409,
                error: 'not-failed',
                message: `handoff ${id} has no failed delivery to retry`,
              },
            };
          }
          return {
            ...current,
            delivery: { ...current.delivery, state: 'pending', attempts: 0, nextAttemptAt: null },
          };
        },
        'delivery',
      );
    },
    async recover() {
      const recent = await records.listHandoffs({ limit: RECOVERY_SCAN_LIMIT });
      const pending = recent.filter((pkg) => pkg.delivery?.state === 'pending');
      for (const pkg of pending) this.schedule(pkg);
      if (pending.length)
        logger.info({ count: pending.length }, 'resuming pending handoff webhook deliveries');
      return pending.length;
    },
    async close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
