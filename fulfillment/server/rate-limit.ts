// Rate limits for the public endpoints: an in-memory token bucket per client IP (mounted in app.ts before the
// channels) and per caller id (applied by the channels that know one: /v1/converse `callerId`, the phone line's
// `From`). Each instance counts on its own; see docs/operations.md.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { SettingsError } from '../config/settings.ts';

const perMinute = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (off) or more')
    .max(1_000_000)
    .default(fallback);

const rateLimitSettingsSchema = z.object({
  LOKET_RATE_LIMIT_PER_MINUTE: perMinute(600),
  LOKET_RATE_LIMIT_CALLER_PER_MINUTE: perMinute(120),
});
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;

export function readRateLimitSettings(env: Readonly<Record<string, string | undefined>>): RateLimitSettings {
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => name.startsWith('LOKET_RATE_LIMIT_') && value !== undefined && value !== '',
    ),
  );
  const result = rateLimitSettingsSchema.safeParse(present);
  if (!result.success) {
    throw new SettingsError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return `${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? '')})`;
      }),
    );
  }
  return result.data;
}

/** at most this many keys are tracked; past it, the least recently refilled keys are forgotten (they start full) */
const MAX_KEYS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A token bucket per key: `perMinute` requests in a burst, refilled evenly over a minute. 0 = no limit. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): TakeResult {
    if (this.perMinute <= 0) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.perMinute;
    if (bucket) {
      tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
      // Re-insert so that the map's order stays "least recently seen first" for eviction.
      this.buckets.delete(key);
    } else if (this.buckets.size >= MAX_KEYS) {
      this.sweep(now);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return { ok: true };
  }

  /** Forgets full buckets (a forgotten key starts full again, so nothing changes), then the oldest if still over. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_KEYS) break;
      this.buckets.delete(key);
    }
  }
}

/** Answers 429 with a JSON reason and Retry-After. */
export function tooManyRequests(response: Response, retryAfterSeconds: number, what: string): void {
  response
    .status(429)
    .set('retry-after', String(retryAfterSeconds))
    .json({
      error: 'rate-limited',
      message: `too many requests from this ${what}; try again in ${retryAfterSeconds} s`,
    });
}

/**
 * The per-IP limit as express middleware. request.ip is the socket's address, or with LOKET_TRUST_PROXY the client
 * address the trusted proxies report (fulfillment/server/trust-proxy.ts). `onLimited` counts a refusal.
 */
export function ipRateLimit(limiter: RateLimiter, onLimited?: (request: Request) => void) {
  return (request: Request, response: Response, next: NextFunction) => {
    const taken = limiter.take(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    if (taken.ok) {
      next();
      return;
    }
    onLimited?.(request);
    tooManyRequests(response, taken.retryAfterSeconds, 'address');
  };
}

const callerLimiters = new WeakMap<object, RateLimiter>();

/** The per-caller-id limiter shared by every channel of one app (keyed by the runtime it serves). */
export function callerRateLimiter(owner: {
  settings: { env: Readonly<Record<string, string | undefined>> };
}) {
  let limiter = callerLimiters.get(owner);
  if (!limiter) {
    limiter = new RateLimiter(readRateLimitSettings(owner.settings.env).LOKET_RATE_LIMIT_CALLER_PER_MINUTE);
    callerLimiters.set(owner, limiter);
  }
  return limiter;
}
