// Notices when a backend call keeps the customer waiting, so a channel can say "een ogenblik" instead of silence
// (Alexa's progressive response). Wraps any Backend without the skills or the engine knowing.
import type { Backend } from '../backend/backend.ts';

export function watchSlowCalls(backend: Backend, slowAfterMs: number, onSlow: () => void): Backend {
  let fired = false;
  const wrapped = {} as Record<string, unknown>;
  for (const name of Object.keys(backend) as (keyof Backend)[]) {
    const method = backend[name];
    if (typeof method !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      const timer = fired
        ? null
        : setTimeout(() => {
            if (fired) return;
            fired = true;
            onSlow();
          }, slowAfterMs);
      const settle = () => {
        if (timer) clearTimeout(timer);
      };
      const result = (method as (...inner: unknown[]) => Promise<unknown>).apply(backend, args);
      return result.finally(settle);
    };
  }
  return wrapped as unknown as Backend;
}

/** The sample backend answers in microseconds; this makes it behave like a real CRM for demos and tests. */
export function withLatency(backend: Backend, latencyMs: number): Backend {
  if (latencyMs <= 0) return backend;
  const wrapped = {} as Record<string, unknown>;
  for (const name of Object.keys(backend) as (keyof Backend)[]) {
    const method = backend[name];
    if (typeof method !== 'function') continue;
    wrapped[name] = async (...args: unknown[]) => {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return (method as (...inner: unknown[]) => Promise<unknown>).apply(backend, args);
    };
  }
  return { ...backend, ...wrapped } as Backend;
}
