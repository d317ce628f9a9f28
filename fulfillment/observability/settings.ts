// Operations settings (metrics, readiness, shutdown), read from the environment at start-up with one message per bad value.
import { z } from 'zod';
import { parseEnvironment } from '../config/settings.ts';

const milliseconds = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

const operationsSettingsSchema = z.object({
  LOKET_METRICS: z
    .string()
    .toLowerCase()
    .pipe(z.enum(['on', 'off'], { message: 'must be on or off' }))
    .default('on')
    .describe('serve GET /metrics (Prometheus text format)'),
  LOKET_READY_TIMEOUT_MS: milliseconds(50, 30_000)
    .default(1000)
    .describe('a store that does not answer within this time makes /readyz answer 503'),
  LOKET_ACTIVE_SESSIONS_CACHE_MS: milliseconds(0, 300_000)
    .default(5000)
    .describe('how long the active-sessions gauge reuses its last count (counting scans the store)'),
  LOKET_SHUTDOWN_DELAY_MS: milliseconds(0, 60_000)
    .default(0)
    .describe('after SIGTERM, keep serving (with /readyz at 503) this long before closing the listener'),
});

export interface OperationsSettings {
  metrics: boolean;
  readyTimeoutMs: number;
  activeSessionsCacheMs: number;
  shutdownDelayMs: number;
}

export function readOperationsSettings(
  env: Readonly<Record<string, string | undefined>>,
): OperationsSettings {
  const data = parseEnvironment(operationsSettingsSchema, env);
  return {
    metrics: data.LOKET_METRICS === 'on',
    readyTimeoutMs: data.LOKET_READY_TIMEOUT_MS,
    activeSessionsCacheMs: data.LOKET_ACTIVE_SESSIONS_CACHE_MS,
    shutdownDelayMs: data.LOKET_SHUTDOWN_DELAY_MS,
  };
}
