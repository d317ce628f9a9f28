// One delivery of a handoff package to the contact centre: the package as JSON, signed with HMAC-SHA256 over the
// exact bytes sent, so the receiver can check it came from this Loket and was not changed on the way.
import { createHmac } from 'node:crypto';
import type { HandoffPackage } from '../core/types.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
  timeoutMs: number;
}

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; error: string };

/** `sha256=<hex>`, the form GitHub and Stripe made familiar; receivers compare it in constant time. */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The package as the receiver gets it: without Loket's own bookkeeping (delivery state, caller pseudonym). */
export function webhookBody(pkg: HandoffPackage): string {
  const { delivery: _delivery, callerKey: _callerKey, ...shared } = pkg;
  return JSON.stringify(shared);
}

export async function deliverHandoff(
  target: WebhookTarget,
  pkg: HandoffPackage,
  fetchImpl: typeof fetch = fetch,
): Promise<DeliveryOutcome> {
  const body = webhookBody(pkg);
  try {
    const response = await fetchImpl(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'loket-handoff-webhook',
        'x-loket-signature': signWebhookBody(body, target.secret),
        'x-loket-handoff-id': pkg.id,
        // The same package version always has the same delivery id: a receiver can drop a retry it already has.
        'x-loket-delivery': `${pkg.id}@${pkg.updatedAt}`,
      },
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: 'error',
    });
    // Drain the body so the connection can be reused; what it says does not matter.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok
      ? { ok: true, status: response.status }
      : { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout, a bad port) is in its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return {
      ok: false,
      error: (error as Error).name === 'TimeoutError' ? 'timeout' : reason || 'request failed',
    };
  }
}
