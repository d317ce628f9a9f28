// `loket bench load`: many concurrent multi-turn conversations over HTTP against the bare express echo, one
// `loket serve` and two, sharing the machine's Redis and Postgres; with two, each conversation alternates instances.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DEFAULT_SESSION_KEY_PREFIX } from '../stores/session-redis.ts';
import {
  alignColumns,
  describeMachine,
  formatMs,
  type LatencySummary,
  MAX_TURNS_PER_CONVERSATION,
  type Machine,
  MIN_TURNS_PER_CONVERSATION,
  roundTo,
  summarizeLatencies,
} from './bench.ts';
import { checkConverseAnswer, createConversationSource, type ScriptedConversation } from './conversations.ts';
import {
  BenchError,
  checkEcho,
  guardRun,
  type ServerProcess,
  startEchoServer,
  startLoketServer,
  stopServer,
  waitUntilReady,
} from './servers.ts';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** The hard cap: however fast the target, a phase (warm-up included) sends at most this many turns. */
export const MAX_TURNS_PER_PHASE = 100_000;
const MAX_CONVERSATIONS = 2_000;
const MAX_SECONDS = 120;
const MAX_WARM_UP_SECONDS = 30;
/** A turn that takes longer has failed; it also bounds how long a phase waits for its last answers. */
const TURN_TIMEOUT_MS = 10_000;
/** Below the 5 s keep-alive timeout of Node's HTTP server, which Loket and the echo keep. */
const IDLE_SOCKET_TIMEOUT_MS = 4_000;
const PROBLEMS_SHOWN = 5;
/** With this many cores or fewer, the instances and everything around them compete for CPU: say so in the report. */
const FEW_CORES = 4;
/** Every phase speaks with the same customers, in the same order. */
const CONVERSATION_SEED = 1;
// A bench killed with SIGKILL cannot clean up; its sessions then expire on their own (the minimum TTL is 60 s).
const SESSION_TTL_SECONDS = 600;

export interface LoadSettings {
  conversations: number;
  seconds: number;
  warmUpSeconds: number;
  instances: readonly (1 | 2)[];
  maxTurnsPerPhase: number;
}

export interface PhaseResult {
  phase: string;
  /** 0 for the echo */
  instances: number;
  seconds: number;
  conversations: { completed: number; unfinished: number; broken: number };
  turns: number;
  turnsPerSecond: number;
  latencyMs: LatencySummary;
  errors: { non200: number; failed: number; incoherent: number };
  /** this phase's turns per second over the echo's */
  vsEcho: number | null;
}

/** One phase's endpoint: where the turns go (turn by turn round the instances) and how an answer is judged. */
interface LoadTarget {
  phase: string;
  instances: number;
  baseUrls: readonly string[];
  path: string;
  /** the reply text for the next turn, and what is wrong with the answer if anything */
  judge: (
    body: string,
    sent: string,
    conversation: ScriptedConversation,
    turnIndex: number,
    previousReply: string | null,
  ) => { replyText: string | null; problem: string | null };
}

export function readLoadSettings(options: {
  conversations: number;
  seconds: number;
  warmUpSeconds: number;
  instances: string;
}): LoadSettings {
  const { conversations, seconds, warmUpSeconds } = options;
  if (!Number.isInteger(conversations) || conversations < 1 || conversations > MAX_CONVERSATIONS) {
    throw new BenchError(
      `--conversations must be a whole number from 1 to ${MAX_CONVERSATIONS} (got ${conversations})`,
    );
  }
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS) {
    throw new BenchError(`--seconds must be more than 0 and at most ${MAX_SECONDS} (got ${seconds})`);
  }
  if (!Number.isFinite(warmUpSeconds) || warmUpSeconds < 0 || warmUpSeconds > MAX_WARM_UP_SECONDS) {
    throw new BenchError(`--warm-up must be from 0 to ${MAX_WARM_UP_SECONDS} seconds (got ${warmUpSeconds})`);
  }
  const counts = options.instances.split(',').map((part) => part.trim());
  if (counts.length === 0 || counts.some((count) => count !== '1' && count !== '2')) {
    throw new BenchError(`--instances must be 1, 2 or 1,2 (got "${options.instances}")`);
  }
  const instances = [...new Set(counts.map((count) => (count === '1' ? 1 : 2) as 1 | 2))].sort();
  return { conversations, seconds, warmUpSeconds, instances, maxTurnsPerPhase: MAX_TURNS_PER_PHASE };
}

/** A connection string as it may appear in a message: without its password. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unreadable URL';
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(reasonOf).join(', ');
  return error instanceof Error ? error.message || error.name : String(error);
}

async function connectRedis(url: string): Promise<Redis> {
  // One attempt, no reconnecting: an unreachable Redis is a message, not a hang.
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    throw new BenchError(
      `Redis at ${withoutPassword(url)} is not reachable (${reasonOf(error)}): start it, or set REDIS_URL`,
    );
  }
}

async function connectPostgres(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new BenchError(
      `Postgres at ${withoutPassword(url)} is not reachable (${reasonOf(error)}): start it, or set DATABASE_URL`,
    );
  }
}

/** SCAN for this run's session keys only (its own prefix), then delete them in batches. */
async function deleteSessions(redis: Redis, sessionIdPrefix: string): Promise<number> {
  const pattern = `${DEFAULT_SESSION_KEY_PREFIX}${sessionIdPrefix}-*`;
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

function postTurn(agent: http.Agent, url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveTurn, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: TURN_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolveTurn({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TURN_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

interface DriveCounts {
  /** from the end of the warm-up to the last answer */
  seconds: number;
  /** answered with 200 after the warm-up */
  turns: number;
  /** conversations whose last answer came after the warm-up */
  completed: number;
  /** cut off by the end of the phase */
  unfinished: number;
  /** stopped by a wrong answer; over the whole phase, warm-up included, like the three error counts */
  broken: number;
  non200: number;
  failed: number;
  incoherent: number;
  /** of the turns sent after the warm-up */
  latenciesMs: number[];
  problems: string[];
}

/**
 * `conversations` customers at once, each saying its turns in order and waiting for every answer before the next,
 * and starting a new conversation when one ends, until the time is up or the phase's turn budget is spent. A
 * conversation that gets a wrong answer stops there: its later turns would only repeat the same failure.
 * Warm-up and measurement are one run, so the measurement starts with the conversations already out of step, as
 * real ones are, instead of all of them saying their first turn at once.
 */
async function drive(
  target: LoadTarget,
  options: { conversations: number; warmUpSeconds: number; seconds: number; idPrefix: string },
  budget: { left: number },
  onTick: (counts: DriveCounts, measuredSeconds: number) => void,
): Promise<DriveCounts> {
  const nextConversation = createConversationSource(CONVERSATION_SEED, options.idPrefix);
  // Keep-alive sockets, one per concurrent conversation at most, closed when the run is over. An idle one is closed
  // here before the server's keep-alive timeout (Node's default: 5 s) can close it under a request being sent,
  // which would fail that turn with ECONNRESET.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.conversations,
    timeout: IDLE_SOCKET_TIMEOUT_MS,
  });
  const counts: DriveCounts = {
    seconds: 0,
    turns: 0,
    completed: 0,
    unfinished: 0,
    broken: 0,
    non200: 0,
    failed: 0,
    incoherent: 0,
    latenciesMs: [],
    problems: [],
  };
  const measureFrom = performance.now() + options.warmUpSeconds * 1_000;
  const deadline = measureFrom + options.seconds * 1_000;
  let lastAnswer = measureFrom;
  const goOn = () => performance.now() < deadline && budget.left > 0;
  const note = (conversation: ScriptedConversation, turnIndex: number, problem: string) => {
    if (counts.problems.length < PROBLEMS_SHOWN) {
      counts.problems.push(
        `${conversation.sessionId} turn ${turnIndex + 1} "${conversation.turns[turnIndex]?.text}": ${problem}`,
      );
    }
  };

  /** One conversation, turn by turn: 'completed' when every answer fitted. */
  const converse = async (
    conversation: ScriptedConversation,
  ): Promise<'completed' | 'unfinished' | 'broken'> => {
    let previousReply: string | null = null;
    for (const [turnIndex, turn] of conversation.turns.entries()) {
      if (!goOn()) return 'unfinished';
      budget.left -= 1;
      // Round robin per turn: without stickiness, turn n and n+1 of a conversation land on different instances.
      const baseUrl = target.baseUrls[(conversation.serial + turnIndex) % target.baseUrls.length];
      const sent = JSON.stringify({
        sessionId: conversation.sessionId,
        locale: conversation.locale,
        text: turn.text,
      });
      const turnStarted = performance.now();
      let answer: { status: number; body: string };
      try {
        answer = await postTurn(agent, `${baseUrl}${target.path}`, sent);
      } catch (error) {
        counts.failed += 1;
        note(conversation, turnIndex, reasonOf(error));
        return 'broken';
      }
      const answered = performance.now();
      // Throughput counts answers after the warm-up; latency only turns sent after it, so no warm-up queue leaks in.
      if (turnStarted >= measureFrom) counts.latenciesMs.push(answered - turnStarted);
      if (answer.status !== 200) {
        counts.non200 += 1;
        note(conversation, turnIndex, `HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
        return 'broken';
      }
      if (answered >= measureFrom) {
        counts.turns += 1;
        lastAnswer = answered;
      }
      const judged = target.judge(answer.body, sent, conversation, turnIndex, previousReply);
      if (judged.problem) {
        counts.incoherent += 1;
        note(conversation, turnIndex, judged.problem);
        return 'broken';
      }
      previousReply = judged.replyText;
    }
    return 'completed';
  };

  const customer = async () => {
    while (goOn()) {
      const outcome = await converse(nextConversation());
      if (outcome === 'broken') counts.broken += 1;
      else if (outcome === 'unfinished') counts.unfinished += 1;
      else if (performance.now() >= measureFrom) counts.completed += 1;
    }
  };

  const ticker = setInterval(() => {
    const measured = (performance.now() - measureFrom) / 1_000;
    if (measured > 0.5) onTick(counts, measured);
  }, 1_000);
  try {
    await Promise.all(Array.from({ length: options.conversations }, customer));
  } finally {
    clearInterval(ticker);
    agent.destroy();
  }
  // Up to the last answer: the turns in flight at the deadline were served, so their time counts too.
  counts.seconds = (lastAnswer - measureFrom) / 1_000;
  return counts;
}

function summarizePhase(target: LoadTarget, counts: DriveCounts): PhaseResult {
  return {
    phase: target.phase,
    instances: target.instances,
    seconds: roundTo(counts.seconds, 2),
    conversations: { completed: counts.completed, unfinished: counts.unfinished, broken: counts.broken },
    turns: counts.turns,
    turnsPerSecond: counts.seconds > 0 ? roundTo(counts.turns / counts.seconds, 1) : 0,
    latencyMs: summarizeLatencies(counts.latenciesMs),
    errors: { non200: counts.non200, failed: counts.failed, incoherent: counts.incoherent },
    vsEcho: null,
  };
}

function errorCount(result: PhaseResult): number {
  return result.errors.non200 + result.errors.failed + result.errors.incoherent;
}

async function runPhase(target: LoadTarget, settings: LoadSettings, runId: string): Promise<PhaseResult> {
  const budget = { left: settings.maxTurnsPerPhase };
  console.error(
    `${target.phase}: ${settings.conversations} concurrent conversations, ` +
      `${settings.warmUpSeconds} s warm-up, then ${settings.seconds} s measured`,
  );
  const counts = await drive(
    target,
    {
      conversations: settings.conversations,
      warmUpSeconds: settings.warmUpSeconds,
      seconds: settings.seconds,
      idPrefix: `load-${runId}-${target.phase}`,
    },
    budget,
    (sofar, measured) =>
      console.error(
        `${target.phase}: ${measured.toFixed(0)} s, ${sofar.turns} turns, ${(sofar.turns / measured).toFixed(0)} turns/s, ` +
          `${sofar.completed} conversations done, ${sofar.non200 + sofar.failed + sofar.incoherent} errors`,
      ),
  );
  if (budget.left <= 0)
    console.error(`${target.phase}: stopped at the cap of ${settings.maxTurnsPerPhase} turns`);
  if (counts.problems.length > 0) {
    console.error(`${target.phase}: first problems:\n  ${counts.problems.join('\n  ')}`);
  }
  return summarizePhase(target, counts);
}

/** The echo gives back what it was sent; anything else means the baseline is broken, not slow. */
function judgeEcho(body: string, sent: string): { replyText: string | null; problem: string | null } {
  try {
    return JSON.stringify(JSON.parse(body)) === sent
      ? { replyText: null, problem: null }
      : { replyText: null, problem: `echoed ${body.slice(0, 200)}` };
  } catch {
    return { replyText: null, problem: 'the echo is not JSON' };
  }
}

function judgeLoket(
  body: string,
  _sent: string,
  conversation: ScriptedConversation,
  turnIndex: number,
  previousReply: string | null,
): { replyText: string | null; problem: string | null } {
  const turn = conversation.turns[turnIndex];
  if (!turn) return { replyText: null, problem: 'no such turn in the script' };
  return checkConverseAnswer(body, turn.check, previousReply);
}

export function withEchoRatios(phases: readonly PhaseResult[]): PhaseResult[] {
  const echo = phases.find((phase) => phase.instances === 0);
  return phases.map((phase) => ({
    ...phase,
    vsEcho: echo && echo.turnsPerSecond > 0 ? roundTo(phase.turnsPerSecond / echo.turnsPerSecond, 3) : null,
  }));
}

/** Two instances' turns per second over one's; null unless both ran. */
export function scaleOut(phases: readonly PhaseResult[]): number | null {
  const one = phases.find((phase) => phase.instances === 1);
  const two = phases.find((phase) => phase.instances === 2);
  return one && two && one.turnsPerSecond > 0 ? roundTo(two.turnsPerSecond / one.turnsPerSecond, 3) : null;
}

export function formatLoadReport(
  machine: Machine,
  settings: LoadSettings,
  phases: readonly PhaseResult[],
): string {
  const header = [
    'phase',
    'instances',
    'conversations',
    'turns',
    'turns/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'errors',
    'incoherent',
    'vs echo',
  ];
  const cells = phases.map((phase) => [
    phase.phase,
    phase.instances === 0 ? '-' : String(phase.instances),
    String(phase.conversations.completed),
    String(phase.turns),
    phase.turnsPerSecond.toFixed(0),
    formatMs(phase.latencyMs.p50),
    formatMs(phase.latencyMs.p90),
    formatMs(phase.latencyMs.p99),
    String(phase.errors.non200 + phase.errors.failed),
    String(phase.errors.incoherent),
    phase.vsEcho === null ? '-' : phase.vsEcho.toFixed(2),
  ]);
  const twoOverOne = scaleOut(phases);
  const loketProcesses = Math.max(...settings.instances);
  const sharing =
    `the load generator, ${loketProcesses === 1 ? 'the Loket instance' : `${loketProcesses} Loket instances`}, ` +
    'Redis and Postgres';
  const problems = phases
    .filter((phase) => errorCount(phase) > 0)
    .map(
      (phase) =>
        `warning: ${phase.phase} had ${phase.errors.non200} non-200 answers, ${phase.errors.failed} failed turns and ` +
        `${phase.errors.incoherent} answers that lost the conversation; its figures are not a fair measurement`,
    );
  return [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.os}`,
    `settings: ${settings.conversations} concurrent conversations of ${MIN_TURNS_PER_CONVERSATION} to ` +
      `${MAX_TURNS_PER_CONVERSATION} turns (nl-NL and en-US), ${settings.warmUpSeconds} s warm-up and ` +
      `${settings.seconds} s measured per phase, at most ${settings.maxTurnsPerPhase} turns per phase, 127.0.0.1 only`,
    machine.cores <= FEW_CORES
      ? `caveat: ${sharing} all share these ${machine.cores} cores: two instances cannot show scale-out here, ` +
        'they show that conversations survive alternating between instances under load'
      : `note: ${sharing} all run on this one machine`,
    '',
    alignColumns(header, cells),
    '',
    'conversations: completed after the warm-up; turns/s and latency: after the warm-up; ' +
      'errors (non-200 or no answer) and incoherent: the whole phase',
    ...(twoOverOne === null ? [] : [`two instances / one: ${twoOverOne.toFixed(2)}`]),
    ...problems,
  ].join('\n');
}

export async function benchLoad(options: {
  conversations: number;
  seconds: number;
  warmUpSeconds: number;
  instances: string;
}): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const schema = `loket_bench_${runId}`;
  const sessionIdPrefix = `load-${runId}`;
  const dataDir = mkdtempSync(join(os.tmpdir(), 'loket-bench-load-'));
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let redis: Redis | null = null;
  let postgres: pg.Client | null = null;
  /** Leave the shared stores as they were: this run's sessions and its schema go. Safe to call twice. */
  const cleanUp = async () => {
    const [client, admin] = [redis, postgres];
    [redis, postgres] = [null, null];
    if (client) {
      const deleted = await deleteSessions(client, sessionIdPrefix).catch((error) => {
        console.error(`could not delete this run's sessions from Redis: ${reasonOf(error)}`);
        return 0;
      });
      if (deleted > 0) console.error(`deleted this run's ${deleted} sessions from Redis`);
      client.disconnect();
    }
    if (admin) {
      await admin
        .query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        .then(() => console.error(`dropped Postgres schema ${schema}`))
        .catch((error) => console.error(`could not drop Postgres schema ${schema}: ${reasonOf(error)}`));
      await admin.end().catch(() => undefined);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const { running, release } = guardRun(cleanUp);
  const started: ServerProcess[] = [];
  const start = async (begin: () => Promise<ServerProcess>) => {
    const server = await begin();
    running.add(server);
    started.push(server);
    return server;
  };
  try {
    const settings = readLoadSettings(options);
    const machine = describeMachine();
    // Both stores first: a missing one should stop the run before anything is measured.
    redis = await connectRedis(redisUrl);
    postgres = await connectPostgres(databaseUrl);
    console.error(
      `run ${runId}: sessions in Redis at ${withoutPassword(redisUrl)} (ids ${sessionIdPrefix}-*),`,
    );
    console.error(`  records in Postgres at ${withoutPassword(databaseUrl)}, schema ${schema}`);
    // The contact-centre webhook stays out of it: bench handoffs must not reach a real receiver.
    const {
      REDIS_URL: _redis,
      DATABASE_URL: _database,
      LOKET_HANDOFF_WEBHOOK_URL: _webhook,
      LOKET_HANDOFF_WEBHOOK_SECRET: _secret,
      ...inherited
    } = process.env;

    const phases: PhaseResult[] = [];
    // The echo alone first, so nothing else runs while the baseline is measured.
    const echo = await start(() => startEchoServer(inherited));
    await waitUntilReady(echo);
    await checkEcho(echo);
    phases.push(
      await runPhase(
        { phase: 'echo', instances: 0, baseUrls: [echo.baseUrl], path: '/echo', judge: judgeEcho },
        settings,
        runId,
      ),
    );
    await stopServer(echo);
    running.delete(echo);

    // Both instances start together (NLU training on both cores); the second idles while the first is measured.
    const names = Math.max(...settings.instances) === 2 ? ['loket-a', 'loket-b'] : ['loket-a'];
    const instances = await Promise.all(
      names.map((name) =>
        start(() =>
          startLoketServer(name, {
            ...inherited,
            REDIS_URL: redisUrl,
            DATABASE_URL: databaseUrl,
            LOKET_POSTGRES_SCHEMA: schema,
            LOKET_DATA_DIR: join(dataDir, name),
            LOKET_SESSION_TTL_SECONDS: String(SESSION_TTL_SECONDS),
          }),
        ),
      ),
    );
    await Promise.all(instances.map(waitUntilReady));
    for (const count of settings.instances) {
      const serving = instances.slice(0, count);
      const result = await runPhase(
        {
          phase: `loket-x${count}`,
          instances: count,
          baseUrls: serving.map((server) => server.baseUrl),
          path: '/v1/converse',
          judge: judgeLoket,
        },
        settings,
        runId,
      );
      phases.push(result);
      if (errorCount(result) > 0) {
        for (const server of serving) {
          console.error(`${server.name}: last output lines:\n${server.outputTail() || '(none)'}`);
        }
      }
    }
    await Promise.all(instances.map(stopServer));

    const results = withEchoRatios(phases);
    console.log(formatLoadReport(machine, settings, results));
    console.log(
      JSON.stringify({
        machine,
        settings: {
          ...settings,
          turnsPerConversation: [MIN_TURNS_PER_CONVERSATION, MAX_TURNS_PER_CONVERSATION],
        },
        phases: results,
        twoInstancesOverOne: scaleOut(results),
      }),
    );
    // Failed or incoherent turns make the figures meaningless, and a lost conversation is a bug.
    if (results.some((phase) => errorCount(phase) > 0)) process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    console.error(`bench load: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await Promise.all(started.map(stopServer));
    release();
    await cleanUp();
  }
}
