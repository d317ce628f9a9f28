// The real server logger never writes personal data: every PII corpus text, logged as a message, a format argument,
// a field, a nested field, an error and a child binding, comes out masked.
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { createLogger } from '../../fulfillment/observability/logger.ts';

const corpus = z
  .object({
    positive: z.array(z.object({ locale: z.string(), text: z.string(), pii: z.array(z.string()) })),
  })
  .parse(parse(fs.readFileSync(new URL('../privacy/pii-corpus.yaml', import.meta.url), 'utf8')));

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // pino writes synchronously to a plain Writable, so lines are there right after each call.
  const logger = createLogger({ level: 'trace' }, stream);
  /** each line without pino's own fields (time, pid, hostname), whose digits are not what we are looking for */
  const written = () =>
    lines.map((line) => {
      const { time: _time, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(line);
      return JSON.stringify(rest);
    });
  return { logger, written };
}

describe('the server logger masks personal data', () => {
  it('has a corpus to check against', () => {
    expect(corpus.positive.length).toBeGreaterThanOrEqual(60);
  });

  it.each(corpus.positive)('$locale: $text', ({ text, pii }) => {
    const { logger, written } = capture();
    const turn = { turnId: 't-1', sessionId: 's-1', channel: 'text' };
    logger.info(text);
    logger.info({ ...turn, said: text }, 'turn');
    logger.info(turn, 'customer said: %s', text);
    logger.warn({ ...turn, nested: { transcript: [{ speaker: 'customer', text }] } }, 'nested');
    logger.error({ ...turn, err: new Error(`skill failed on: ${text}`) });
    logger.error(new Error(text));
    logger
      .child({ ...turn, callerSaid: text })
      .child({ again: text })
      .debug('child');
    logger.info({ ...turn, msg: text });

    const lines = written();
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      for (const piece of pii) expect(line, line).not.toContain(JSON.stringify(piece).slice(1, -1));
    }
    // What is not personal stays readable: the ids a turn log must carry.
    expect(lines[1]).toContain('"turnId":"t-1"');
    expect(lines[1]).toContain('"sessionId":"s-1"');
    expect(lines[1]).toContain('"channel":"text"');
  });

  it('keeps messages without personal data as they are', () => {
    const { logger, written } = capture();
    logger.info({ port: 38123 }, 'Loket is serving on http://localhost:38123');
    expect(JSON.parse(written()[0] as string)).toMatchObject({
      port: 38123,
      msg: 'Loket is serving on http://localhost:38123',
    });
  });

  it('does not change the objects it logs', () => {
    const { logger } = capture();
    const logged = { text: 'bel me op 06-12345678' };
    logger.info(logged, 'x');
    expect(logged.text).toBe('bel me op 06-12345678');
  });
});
