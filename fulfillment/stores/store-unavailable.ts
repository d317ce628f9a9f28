// Tells "the database is unreachable" apart from "the database refused this write". Only the first is worth keeping
// in the outbox and retrying: a refused write would be refused again, forever, and block everything queued behind it.

/** Node's socket errors: the server is down, restarting, or the network between us is. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Postgres SQLSTATE classes and codes that mean the server cannot serve right now (see the "PostgreSQL Error Codes"
 * appendix): 08 connection exception, 53 insufficient resources, 57P01–57P03 admin/crash shutdown and "cannot connect
 * now" while starting, 40001/40P01 a serialisation failure or deadlock that a retry resolves.
 */
function isTransientSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '40001' ||
    code === '40P01'
  );
}

/** What node-postgres says when a connection dies or never comes, without a code of its own. */
const UNREACHABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

export function isStoreUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    if (typeof current !== 'object') break;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    // A store that already knows it is unreachable says so by name (session-store.ts StoreUnavailableError).
    if ((current as { name?: unknown }).name === 'StoreUnavailableError') return true;
    if (typeof code === 'string') {
      if (UNREACHABLE_SOCKET_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && isTransientSqlState(code)) return true;
    }
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
    // AggregateError (several addresses refused, e.g. ::1 and 127.0.0.1) carries the real errors in `errors`.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isStoreUnavailable(inner)))
      return true;
    current = cause;
  }
  return false;
}
