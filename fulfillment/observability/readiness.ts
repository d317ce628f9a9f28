// Readiness: can this instance take traffic? Every store must answer within a deadline, and a draining instance
// (SIGTERM received) says no at once, so the load balancer stops sending it new requests before it closes.
import { messageOf } from '../core/error-message.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import type { SessionStore } from '../stores/session-store.ts';

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  /** per store: 'ok', or why it is not */
  checks: Record<string, string>;
}

/** A store may implement `ping`; without one, the cheapest read of its contract stands in for it. */
type Pingable = { ping?: () => Promise<void> };

/** A check that passed while the store reports a degradation (records waiting in an outbox): still ready. */
const DEGRADED = 'degraded: ';

export interface ReadinessSources {
  sessions: SessionStore & Pingable;
  records: RecordsStore & Pingable;
  isDraining: () => boolean;
  timeoutMs: number;
}

async function withDeadline(check: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .then(
          () => 'ok',
          (error: unknown) => messageOf(error),
        ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(sources: ReadinessSources): Promise<ReadinessReport> {
  const { sessions, records, timeoutMs } = sources;
  const [sessionsCheck, recordsCheck] = await Promise.all([
    withDeadline(() => (sessions.ping ? sessions.ping() : sessions.countActive()), timeoutMs),
    withDeadline(() => (records.ping ? records.ping() : records.listHandoffs({ limit: 1 })), timeoutMs),
  ]);
  const degradation = recordsCheck === 'ok' ? (records.degradation?.() ?? null) : null;
  const checks = {
    sessions: sessionsCheck,
    records: degradation ? `${DEGRADED}${degradation}` : recordsCheck,
  };
  const draining = sources.isDraining();
  return {
    ready: !draining && sessionsCheck === 'ok' && recordsCheck === 'ok',
    draining,
    checks,
  };
}
