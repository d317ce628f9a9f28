// LOKET_TRUST_PROXY: which proxies in front of Loket may say who the client is (X-Forwarded-For). It becomes express's
// `trust proxy` setting, so request.ip, and with it the per-IP rate limit, is the customer's address behind a load
// balancer or an ingress, and stays the TCP peer's address (spoofing-proof) when nothing is trusted.
// https://expressjs.com/en/guide/behind-proxies.html
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseEnvironment } from '../config/settings.ts';

/** what express's `trust proxy` accepts, in the forms Loket allows */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's names for the private ranges */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 20;

/** null when `entry` is an address, a CIDR range or a named range; otherwise what is wrong with it */
function entryProblem(entry: string): string | null {
  if (NAMED_RANGES.has(entry)) return null;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return `'${entry}' is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`;
  }
  if (prefix === undefined) return null;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) {
    return `'${entry}' needs a prefix length from 0 to ${bits}`;
  }
  return null;
}

export const trustProxySchema = z
  .string()
  .trim()
  .transform((text, context): TrustProxy => {
    const lower = text.toLowerCase();
    if (lower === 'false' || lower === '0') return false;
    if (lower === 'true') return true;
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops <= MAX_HOPS) return hops;
      context.addIssue({ code: 'custom', message: `a hop count must be at most ${MAX_HOPS}` });
      return z.NEVER;
    }
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const problems = entries.map(entryProblem).filter((problem) => problem !== null);
    if (entries.length === 0 || problems.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `must be false, true, a hop count or a comma-separated list of addresses and CIDR ranges${
          problems.length > 0 ? `: ${problems.join('; ')}` : ''
        }`,
      });
      return z.NEVER;
    }
    return entries;
  });

const trustProxySettingsSchema = z.object({ LOKET_TRUST_PROXY: trustProxySchema.optional() });

/** LOKET_TRUST_PROXY, validated: `false` (the default), `true`, a hop count, or addresses and CIDR ranges. */
export function readTrustProxy(env: Readonly<Record<string, string | undefined>>): TrustProxy {
  return parseEnvironment(trustProxySettingsSchema, env).LOKET_TRUST_PROXY ?? false;
}
