// The server's pino logger, with personal data masked before anything is written: log objects (and child bindings)
// go through maskDeep, messages and format arguments through maskPersonalData. Turn logs carry turnId, sessionId and
// channel, never what the customer said in the clear.
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { maskDeep, maskPersonalData } from '../privacy/mask.ts';

export interface LoggerSettings {
  level: LoggerOptions['level'];
}

function errorMessageOf(value: unknown): string | null {
  if (value instanceof Error) return value.message;
  if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string') {
    return value.message;
  }
  return null;
}

/**
 * pino builds the message before `formatters.log` sees the object: from the string arguments, or, when there is
 * none, from the error's message. So strings are masked here, and a message pino would take from an error is
 * made explicit (and masked); the object itself is left to `formatters.log`, so it is masked once.
 */
function maskArguments(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  const masked = rest.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : maskDeep(arg)));
  if (typeof first === 'string') return [maskPersonalData(first), ...masked];
  if (first instanceof Error) {
    return [{ err: first }, ...(masked.length > 0 ? masked : [maskPersonalData(first.message)])];
  }
  if (first && typeof first === 'object' && masked.length === 0 && !('msg' in first) && 'err' in first) {
    const message = errorMessageOf(first.err);
    if (message !== null) return [first, maskPersonalData(message)];
  }
  return [first, ...masked];
}

/** The pino options that mask personal data; exported so that tests and other entry points log the same way. */
export function maskingOptions(): Pick<LoggerOptions, 'formatters' | 'hooks'> {
  return {
    formatters: {
      log: (object) => maskDeep(object),
      bindings: (bindings) => maskDeep(bindings),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, maskArguments(args) as Parameters<typeof method>);
      },
    },
  };
}

export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = { level: settings.level, ...maskingOptions() };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino applies formatters.bindings to the root's bindings only, not to child(): mask those here. Children are
  // created with Object.create(parent), so they (and their children) inherit this method.
  const child = logger.child;
  logger.child = function maskedChild(this: Logger, bindings, childOptions) {
    return child.call(this, maskDeep(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
