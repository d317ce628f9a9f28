// `loket privacy`: GDPR requests from the command line, on the same stores the server uses (Postgres with
// DATABASE_URL, else records.db in the data folder; sessions in Redis with REDIS_URL, else sessions.db). Export what
// Loket keeps about a customer, erase it, or run the retention once. It never prompts: CI and scripts have no terminal,
// so an erasure without --yes is a dry run.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, CommanderError } from 'commander';
import { z } from 'zod';
import type { RetentionSettings } from '../retention/settings.ts';
import type { CustomerRecords, ErasureReport, RecordsStore } from '../stores/records-store.ts';
import type { SessionStore } from '../stores/session-store.ts';

/** Bad arguments, as every `loket` command reports them. */
const BAD_ARGUMENTS = 2;

const customerIdSchema = z.string().trim().min(1, 'must not be empty').max(200, 'is too long');
const daysSchema = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number of days')
  .min(1, 'must be between 1 and 3650')
  .max(3650, 'must be between 1 and 3650');

/** The access-request document: everything Loket keeps about the customer, as it is stored. */
export interface CustomerExport extends CustomerRecords {
  generatedAt: string;
}

export function toCustomerExport(records: CustomerRecords, now: Date): CustomerExport {
  const { customerId, sessions, transcripts, handoffs } = records;
  return { customerId, generatedAt: now.toISOString(), sessions, transcripts, handoffs };
}

export function hasNoRecords(records: CustomerRecords): boolean {
  return records.sessions.length === 0 && records.transcripts.length === 0 && records.handoffs.length === 0;
}

export function describeErasure(counts: ErasureReport & { liveSessions: number }): string {
  return [
    `${counts.sessions} session(s)`,
    `${counts.transcripts} transcript record(s)`,
    `${counts.handoffs} handoff package(s)`,
    `${counts.liveSessions} live session(s)`,
  ].join(', ');
}

function badArgument(message: string): void {
  console.error(`loket privacy: ${message}`);
  process.exitCode = BAD_ARGUMENTS;
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, name: string): T | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  badArgument(`${name} ${parsed.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(value)})`);
  return null;
}

interface PrivacyStores {
  retention: RetentionSettings;
  records: RecordsStore;
  /** opened on first use: only an erasure touches live sessions */
  sessions: () => Promise<SessionStore>;
  close: () => Promise<void>;
}

/**
 * The server's choice of stores (fulfillment/server/runtime.ts). Imported on use: loading every store's module
 * takes over a second through tsx, which every other `loket` command would pay for.
 */
async function openStores(): Promise<PrivacyStores | null> {
  const [
    { readSettings },
    { readHandoffSettings },
    { readRetentionSettings },
    { openRecordsStore },
    { createLogger },
    pino,
  ] = await Promise.all([
    import('../config/settings.ts'),
    import('../handoff/settings.ts'),
    import('../retention/settings.ts'),
    import('../handoff/records.ts'),
    import('../observability/logger.ts'),
    import('pino'),
  ]);
  // All of them first, like the server: a bad value stops the command before it touches a store.
  const settings = readSettings();
  const handoffSettings = readHandoffSettings(settings.env);
  const retention = readRetentionSettings(settings.env);
  const recordsFile = join(settings.dataDir, 'records.db');
  // A mistyped LOKET_DATA_DIR would otherwise create an empty database and report "no records".
  if (!handoffSettings.DATABASE_URL && !existsSync(recordsFile)) {
    console.error(
      `loket privacy: no records database at ${recordsFile} (check LOKET_DATA_DIR or DATABASE_URL)`,
    );
    process.exitCode = 1;
    return null;
  }
  // Logs go to stderr: stdout carries the export document.
  const logger = createLogger({ level: 'warn' }, pino.destination(2));
  const records = await openRecordsStore({
    settings: handoffSettings,
    dataDir: settings.dataDir,
    logger,
    writeBatchMs: 0,
    onWriteError: (error) => logger.error({ err: error }, 'writing to the records store failed'),
  });
  let sessions: SessionStore | null = null;
  const openSessions = async (): Promise<SessionStore> => {
    const ttlSeconds = settings.LOKET_SESSION_TTL_SECONDS;
    if (settings.REDIS_URL) {
      const { createRedisSessionStore } = await import('../stores/session-redis.ts');
      sessions ??= createRedisSessionStore({ url: settings.REDIS_URL, ttlSeconds });
    } else {
      const { createSqliteSessionStore } = await import('../stores/session-sqlite.ts');
      sessions ??= createSqliteSessionStore({ file: join(settings.dataDir, 'sessions.db'), ttlSeconds });
    }
    return sessions;
  };
  return {
    retention,
    records,
    sessions: openSessions,
    close: async () => {
      await sessions?.close();
      await records.close();
    },
  };
}

/** Opens the stores, runs the work, closes them; a store or settings failure is one line on stderr. */
async function withStores(work: (stores: PrivacyStores) => Promise<void>): Promise<void> {
  const { SettingsError } = await import('../config/settings.ts');
  let stores: PrivacyStores | null = null;
  try {
    stores = await openStores();
    if (stores) await work(stores);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exitCode = BAD_ARGUMENTS;
    } else {
      console.error(`loket privacy: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  } finally {
    await stores?.close().catch(() => undefined);
  }
}

export async function privacyExport(options: { customer: string; out?: string }): Promise<void> {
  const customerId = parseOr(customerIdSchema, options.customer, '--customer');
  if (customerId === null) return;
  if (options.out !== undefined && options.out.trim() === '') return badArgument('--out must name a file');
  await withStores(async ({ records }) => {
    const found = await records.exportCustomer(customerId);
    const text = `${JSON.stringify(toCustomerExport(found, new Date()), null, 2)}\n`;
    if (options.out) {
      // Personal data: readable by the owner only (chmod too: `mode` only applies to a file that did not exist).
      writeFileSync(options.out, text, { mode: 0o600 });
      chmodSync(options.out, 0o600);
      console.error(
        `wrote ${options.out}: ${found.sessions.length} session(s), ${found.transcripts.length} transcript record(s), ${found.handoffs.length} handoff package(s)`,
      );
    } else {
      process.stdout.write(text);
    }
    if (hasNoRecords(found)) console.error(`no records for customer ${customerId}`);
  });
}

export async function privacyErase(options: { customer: string; yes?: boolean }): Promise<void> {
  const customerId = parseOr(customerIdSchema, options.customer, '--customer');
  if (customerId === null) return;
  await withStores(async ({ records, sessions }) => {
    const found = await records.exportCustomer(customerId);
    const sessionIds = found.sessions.map((session) => session.sessionId);
    const liveStore = await sessions();
    const live: string[] = [];
    for (const id of sessionIds) if (await liveStore.load(id)) live.push(id);
    if (hasNoRecords(found) && live.length === 0) {
      console.log(`nothing to erase for customer ${customerId}`);
      return;
    }
    if (!options.yes) {
      const counts = {
        sessions: found.sessions.length,
        transcripts: found.transcripts.length,
        handoffs: found.handoffs.length,
        liveSessions: live.length,
      };
      console.log(`would erase for customer ${customerId}: ${describeErasure(counts)}`);
      console.log('dry run: nothing was erased; add --yes to erase');
      return;
    }
    const report = await records.eraseCustomer(customerId);
    // The live session holds the customer's name and the conversation so far: it goes too.
    for (const id of sessionIds) await liveStore.delete(id);
    console.log(
      `erased customer ${customerId}: ${describeErasure({ ...report, liveSessions: live.length })}`,
    );
  });
}

export async function privacyRetention(options: { days?: string }): Promise<void> {
  const days = options.days === undefined ? undefined : parseOr(daysSchema, options.days, '--days');
  if (days === null) return;
  await withStores(async ({ retention, records }) => {
    const { retentionCutoffs } = await import('../retention/cutoffs.ts');
    const retentionDays = days ?? retention.retentionDays;
    const { transcriptsBefore } = retentionCutoffs({ ...retention, retentionDays }, new Date());
    const report = await records.applyRetention(transcriptsBefore);
    console.log(
      `retention (${retentionDays} days, before ${transcriptsBefore}): ${report.transcripts} transcript record(s) deleted, ${report.handoffsScrubbed} handoff package(s) scrubbed, ${report.sessionLinks} session link(s) removed`,
    );
  });
}

export function registerPrivacyCommand(program: Command): void {
  const privacy = program
    .command('privacy')
    .description('GDPR: export or erase what Loket keeps about a customer, and run the retention once')
    // Set before the subcommands, which inherit it: a usage error exits 2 like every other bad argument.
    .exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : BAD_ARGUMENTS));
  privacy
    .command('export')
    .description("write the customer's sessions, transcripts and handoff packages as one JSON document")
    .requiredOption('--customer <id>', 'the customer id (as the backend knows them)')
    .option('--out <file>', 'write to this file (mode 600) instead of stdout')
    .action(privacyExport);
  privacy
    .command('erase')
    .description("erase the customer's transcripts, handoff packages, session links and live sessions")
    .requiredOption('--customer <id>', 'the customer id (as the backend knows them)')
    .option('--yes', 'really erase; without it, only print what would be erased')
    .action(privacyErase);
  privacy
    .command('retention')
    .description('delete transcripts older than the retention period and scrub old handoff packages, once')
    .option('--days <n>', 'keep this many days (default: LOKET_RETENTION_DAYS, 90)')
    .action(privacyRetention);
}
