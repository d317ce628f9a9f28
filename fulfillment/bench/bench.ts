// `loket bench`: requests/s and latency of /v1/converse, /alexa and /google/cx next to a bare express JSON echo, on this machine.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { alexaBenchRequest } from '../channels/alexa/bench.ts';
import { cxBenchRequest } from '../channels/google/bench.ts';
import { loadPhoneWebhook, measureStreamLatency, PHONE_BENCH_ENV } from '../channels/telephony/bench.ts';
import {
  BenchError,
  checkEcho,
  guardRun,
  postJson,
  type ServerProcess,
  startEchoServer,
  startLoketServer,
  withServer,
} from './servers.ts';

const WARM_UP_SECONDS = 2;
const SESSION_POOL_SIZE = 300;
export const GOAL_RATIO = 0.5;

export type BenchLocale = 'nl-NL' | 'en-US';

/** Varied customer turns per locale: questions, problems, small talk, and the odd ask for a person. */
export const UTTERANCES: Readonly<Record<BenchLocale, readonly string[]>> = {
  'nl-NL': [
    'mijn internet doet het niet',
    'waar blijft mijn bestelling',
    'is er een storing in mijn buurt',
    'waarom is mijn rekening zo hoog',
    'ik wil mijn abonnement opzeggen',
    'ik ga verhuizen en wil mijn internet meenemen',
    'kan ik mijn rekening in termijnen betalen',
    'hoe laat zijn jullie open',
    'het lampje op mijn modem knippert oranje',
    'ik wil een klacht indienen',
    'mag ik een medewerker spreken',
    'kun je dat herhalen',
    'ja graag',
    'nee hoor',
    'dank je wel',
  ],
  'en-US': [
    'my internet is not working',
    'where is my order',
    'is there an outage',
    'why is my bill so high',
    'I want to cancel my subscription',
    "I'm moving house next month",
    'can I pay my bill in installments',
    'what are your opening hours',
    'how do I restart my modem',
    'I want to make a complaint',
    'can I talk to a person',
    'could you say that again',
    'yes please',
    'no thanks',
    'thank you',
  ],
};

export interface TurnBody {
  sessionId: string;
  locale: BenchLocale;
  text: string;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
}

export interface TargetResult {
  target: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  non2xx: number;
  /** connection errors, timeouts included */
  errors: number;
  timeouts: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export interface BenchSettings {
  seconds: number;
  connections: number;
  warmUpSeconds: number;
  sessions: number;
}

export interface Comparison {
  ratio: number;
  meetsGoal: boolean;
}

/** Seeded PRNG (mulberry32): every run, and both targets, see the same sequence of turns. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('cannot pick from an empty list');
  return item;
}

/** Even sessions speak Dutch, odd ones English: a caller keeps one language for the whole conversation. */
export function sessionPool(size: number): { sessionId: string; locale: BenchLocale }[] {
  return Array.from({ length: size }, (_, index) => {
    const locale: BenchLocale = index % 2 === 0 ? 'nl-NL' : 'en-US';
    return { sessionId: `bench-${locale.slice(0, 2)}-${String(index).padStart(4, '0')}`, locale };
  });
}

/** Conversations last a few turns, as real ones do, and then a new customer takes the slot in the pool. */
export const MIN_TURNS_PER_CONVERSATION = 3;
export const MAX_TURNS_PER_CONVERSATION = 8;

/** An endless, deterministic stream of text turns spread over a pool of concurrent conversations. */
export function createTurnSource(seed = 1, poolSize = SESSION_POOL_SIZE): () => TurnBody {
  const random = seededRandom(seed);
  const conversationLength = () =>
    MIN_TURNS_PER_CONVERSATION +
    Math.floor(random() * (MAX_TURNS_PER_CONVERSATION - MIN_TURNS_PER_CONVERSATION + 1));
  const slots = sessionPool(poolSize).map((session) => ({
    ...session,
    generation: 0,
    turnsLeft: conversationLength(),
  }));
  return () => {
    const slot = pick(slots, random);
    if (slot.turnsLeft === 0) {
      slot.generation += 1;
      slot.turnsLeft = conversationLength();
    }
    slot.turnsLeft -= 1;
    return {
      sessionId: `${slot.sessionId}-${slot.generation}`,
      locale: slot.locale,
      text: pick(UTTERANCES[slot.locale], random),
    };
  };
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
export function percentile(sortedAscending: ArrayLike<number>, fraction: number): number {
  const count = sortedAscending.length;
  if (count === 0) return Number.NaN;
  const rank = Math.min(Math.max(Math.ceil(fraction * count), 1), count);
  return sortedAscending[rank - 1] ?? Number.NaN;
}

export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  // A typed array sorts numerically and fast, which matters at a few hundred thousand samples.
  const sorted = Float64Array.from(samplesMs).sort();
  return {
    p50: roundTo(percentile(sorted, 0.5), 3),
    p90: roundTo(percentile(sorted, 0.9), 3),
    p99: roundTo(percentile(sorted, 0.99), 3),
  };
}

export function summarizeRun(
  target: string,
  counts: { requests: number; seconds: number; non2xx: number; errors: number; timeouts: number },
  latenciesMs: readonly number[],
): TargetResult {
  return {
    target,
    ...counts,
    requestsPerSecond: counts.seconds > 0 ? roundTo(counts.requests / counts.seconds, 1) : 0,
    latencyMs: summarizeLatencies(latenciesMs),
  };
}

export function compareThroughput(loket: TargetResult, echo: TargetResult): Comparison {
  const ratio =
    echo.requestsPerSecond > 0 ? roundTo(loket.requestsPerSecond / echo.requestsPerSecond, 3) : Number.NaN;
  return { ratio, meetsGoal: ratio >= GOAL_RATIO };
}

export function describeMachine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: roundTo(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function formatMs(value: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(2);
}

export function formatTable(rows: readonly TargetResult[]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'non-2xx', 'errors'];
  const cells = rows.map((row) => [
    row.target,
    row.requestsPerSecond.toFixed(0),
    formatMs(row.latencyMs.p50),
    formatMs(row.latencyMs.p90),
    formatMs(row.latencyMs.p99),
    String(row.non2xx),
    String(row.errors),
  ]);
  return alignColumns(header, cells);
}

/** A plain-text table: names read left-aligned, numbers right-aligned so their digits line up. */
export function alignColumns(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const formatLine = (line: readonly string[]) =>
    line
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [header, ...cells].map(formatLine).join('\n');
}

export function formatReport(
  machine: Machine,
  settings: BenchSettings,
  results: { echo: TargetResult; loket: TargetResult; channels?: readonly TargetResult[] },
  comparison: Comparison,
): string {
  const verdict = comparison.meetsGoal ? 'met' : 'NOT met';
  const channels = results.channels ?? [];
  const problems = [results.echo, results.loket, ...channels]
    .filter((row) => row.non2xx > 0 || row.errors > 0)
    .map(
      (row) =>
        `warning: ${row.target} had ${row.non2xx} non-2xx responses and ${row.errors} errors ` +
        `(${row.timeouts} timeouts); its figures are not a fair measurement`,
    );
  return [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.os}`,
    `settings: ${settings.connections} connections, ${settings.warmUpSeconds} s warm-up, ` +
      `${settings.seconds} s measured per target, ${settings.sessions} sessions, text turns in nl-NL and en-US`,
    '',
    formatTable([results.echo, results.loket, ...channels]),
    '',
    `loket/echo throughput: ${Number.isNaN(comparison.ratio) ? '-' : comparison.ratio.toFixed(2)}`,
    ...channels.map(
      (row) => `${row.target}/echo throughput: ${compareThroughput(row, results.echo).ratio.toFixed(2)}`,
    ),
    `goal "at least half the echo's throughput" (ratio >= ${GOAL_RATIO.toFixed(2)}): ${verdict}`,
    ...problems,
  ].join('\n');
}

function readSettings(options: { seconds: number; connections: number }): BenchSettings {
  if (!Number.isFinite(options.seconds) || options.seconds <= 0) {
    throw new BenchError(`--seconds must be a positive number (got ${options.seconds})`);
  }
  if (!Number.isInteger(options.connections) || options.connections < 1) {
    throw new BenchError(`--connections must be a whole number of at least 1 (got ${options.connections})`);
  }
  return {
    seconds: options.seconds,
    connections: options.connections,
    warmUpSeconds: WARM_UP_SECONDS,
    sessions: SESSION_POOL_SIZE,
  };
}

interface LoadRun {
  result: Result;
  latenciesMs: number[];
}

function runLoad(
  url: string,
  seconds: number,
  connections: number,
  nextBody: () => string,
  extraHeaders: Record<string, string> = {},
): Promise<LoadRun> {
  return new Promise((resolveRun, reject) => {
    const latenciesMs: number[] = [];
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration: seconds,
        timeout: 10,
        headers: { 'content-type': 'application/json', ...extraHeaders },
        // A fresh body per request, so turns hit different sessions instead of replaying one.
        requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
      },
      (error, result) => (error ? reject(error) : resolveRun({ result, latenciesMs })),
    );
    // autocannon's own histogram keeps whole milliseconds; the echo answers in well under a few, so keep ours.
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latenciesMs.push(responseTimeMs);
    });
  });
}

/** One endpoint under load: how a text turn becomes that endpoint's request body, and any headers it needs. */
export interface BenchTarget {
  name: string;
  path: string;
  body: (turn: TurnBody) => unknown;
  headers?: Record<string, string>;
}

async function measure(
  server: ServerProcess,
  target: BenchTarget,
  settings: BenchSettings,
): Promise<TargetResult> {
  // Every target gets the same seeded turns, each in its own platform's envelope.
  const nextTurn = createTurnSource(1, settings.sessions);
  const nextBody = () => JSON.stringify(target.body(nextTurn()));
  const url = `${server.baseUrl}${target.path}`;
  console.error(`${target.name}: warming up for ${settings.warmUpSeconds} s`);
  await runLoad(url, settings.warmUpSeconds, settings.connections, nextBody, target.headers);
  console.error(
    `${target.name}: measuring for ${settings.seconds} s with ${settings.connections} connections`,
  );
  const { result, latenciesMs } = await runLoad(
    url,
    settings.seconds,
    settings.connections,
    nextBody,
    target.headers,
  );
  const measured = summarizeRun(
    target.name,
    {
      requests: result.requests.total,
      seconds: result.duration,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    },
    latenciesMs,
  );
  if (measured.non2xx > 0 || measured.errors > 0) {
    console.error(`${target.name}: last output lines:\n${server.outputTail() || '(none)'}`);
  }
  return measured;
}

async function checkLoket(server: ServerProcess): Promise<void> {
  const body: TurnBody = { sessionId: 'bench-check', locale: 'nl-NL', text: 'mijn internet doet het niet' };
  const { status, json } = await postJson(`${server.baseUrl}/v1/converse`, body);
  const answer = json as {
    reply?: { text?: unknown };
    understood?: { intent?: unknown; confidence?: unknown };
  };
  if (status !== 200 || typeof answer?.reply?.text !== 'string') {
    throw new BenchError(
      `POST /v1/converse answered ${status} ${JSON.stringify(json)}; expected 200 with reply.text`,
    );
  }
  console.error(
    `loket: "${body.text}" -> intent ${String(answer.understood?.intent)} (${String(answer.understood?.confidence)})`,
  );
}

/** Media-stream turns the phone section times: enough for a steady p90 without making the run much longer. */
const STREAM_TURNS = 40;

export interface StreamLatency {
  turns: number;
  latencyMs: LatencySummary;
}

export function formatStreamLatency(stream: StreamLatency): string {
  const { p50, p90, p99 } = stream.latencyMs;
  return (
    `phone stream (offline voice), caller's final key -> first audio frame, ${stream.turns} turns: ` +
    `p50 ${formatMs(p50)} ms, p90 ${formatMs(p90)} ms, p99 ${formatMs(p99)} ms`
  );
}

/** The phone line: signed Twilio <Gather> results under load, then the media stream's time to first audio. */
async function measurePhone(
  server: ServerProcess,
  settings: BenchSettings,
): Promise<{ webhook: TargetResult; stream: StreamLatency }> {
  const nextTurn = createTurnSource(1, settings.sessions);
  console.error(`phone-webhook: warming up for ${settings.warmUpSeconds} s`);
  await loadPhoneWebhook(server.baseUrl, settings.warmUpSeconds, settings.connections, nextTurn);
  console.error(
    `phone-webhook: measuring for ${settings.seconds} s with ${settings.connections} connections`,
  );
  const run = await loadPhoneWebhook(server.baseUrl, settings.seconds, settings.connections, nextTurn);
  const webhook = summarizeRun('phone-webhook', run.counts, run.latenciesMs);
  if (webhook.non2xx > 0 || webhook.errors > 0) {
    console.error(`phone-webhook: last output lines:\n${server.outputTail() || '(none)'}`);
  }
  console.error(`phone-stream: timing ${STREAM_TURNS} turns on the media stream with the offline voice`);
  const latencies = await measureStreamLatency(server.baseUrl, STREAM_TURNS);
  return { webhook, stream: { turns: latencies.length, latencyMs: summarizeLatencies(latencies) } };
}

export async function bench(options: { seconds: number; connections: number }): Promise<void> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'loket-bench-'));
  const { running, release } = guardRun(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const settings = readSettings(options);
    const machine = describeMachine();
    // Without REDIS_URL, sessions go to SQLite in the fresh data dir: nothing from an earlier run, nothing shared.
    const { REDIS_URL: _sharedSessions, ...inherited } = process.env;

    // One server at a time, so the one being measured has the machine to itself apart from the load generator.
    const echo = await withServer(
      running,
      () => startEchoServer(inherited),
      async (server) => {
        await checkEcho(server);
        return measure(server, { name: 'echo', path: '/echo', body: (turn) => turn }, settings);
      },
    );
    // One Loket server answers all its endpoints, each measured on its own: the text API, Alexa and Dialogflow CX.
    const googleSecret = randomBytes(24).toString('hex');
    const [loket, ...channels] = await withServer(
      running,
      () =>
        startLoketServer('loket', {
          ...inherited,
          LOKET_DATA_DIR: dataDir,
          // Bench requests are not signed by Amazon; the signature check is measured by the Alexa tests instead.
          LOKET_ALEXA_VERIFY: 'false',
          LOKET_GOOGLE_SECRET: googleSecret,
        }),
      async (server) => {
        await checkLoket(server);
        const targets: BenchTarget[] = [
          { name: 'loket', path: '/v1/converse', body: (turn) => turn },
          {
            name: 'alexa',
            path: '/alexa',
            body: (turn) => alexaBenchRequest(turn.sessionId, turn.locale, turn.text),
          },
          {
            name: 'google-cx',
            path: '/google/cx',
            body: (turn) => cxBenchRequest(turn.sessionId, turn.locale, turn.text),
            headers: { authorization: `Bearer ${googleSecret}` },
          },
        ];
        const measured: TargetResult[] = [];
        for (const target of targets) measured.push(await measure(server, target, settings));
        return measured as [TargetResult, ...TargetResult[]];
      },
    );

    // The phone line on a server of its own, set up to check Twilio signatures and to run the media stream offline.
    const phone = await withServer(
      running,
      () => startLoketServer('loket-phone', { ...inherited, LOKET_DATA_DIR: dataDir, ...PHONE_BENCH_ENV }),
      (server) => measurePhone(server, settings),
    );
    const allChannels = [...channels, phone.webhook];

    const comparison = compareThroughput(loket, echo);
    console.log(formatReport(machine, settings, { echo, loket, channels: allChannels }, comparison));
    console.log(formatStreamLatency(phone.stream));
    console.log(
      JSON.stringify({
        machine,
        settings,
        results: { echo, loket, channels: allChannels },
        phoneStream: phone.stream,
        loketToEchoThroughput: comparison.ratio,
        meetsGoal: comparison.meetsGoal,
      }),
    );
    // Failed requests make the figures meaningless; a missed goal is a finding, not a failed run.
    if ([echo, loket, ...allChannels].some((row) => row.non2xx > 0 || row.errors > 0)) process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  } finally {
    release();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
