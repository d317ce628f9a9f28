// Secrets never reach the logs, proven on a real `loket serve` at LOG_LEVEL=debug: every secret-bearing setting holds
// a random marker, the server gets turns, a handoff whose webhook fails, refused credentials on every protected
// endpoint (with wrong values that are markers too), signed and authorised requests, /metrics and /readyz, and SIGTERM;
// then no line may hold a marker. Also wrong Redis credentials (ioredis reports the failed AUTH command, password
// included) and start-up with each secret-bearing setting malformed: the error names the setting, never the value.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgentDirectory } from '../../fulfillment/agent/settings.ts';
import { readGoogleSettings } from '../../fulfillment/channels/google/settings.ts';
import { readTelephonySettings } from '../../fulfillment/channels/telephony/settings.ts';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import { maskPersonalData } from '../../fulfillment/privacy/mask.ts';
import { fixture, inSession } from '../google/helpers.ts';
import { converseWith, type ServeProcess, startServeProcess } from '../helpers/serve-process.ts';

/** Lower-case letters only: no detector of the personal-data masker matches them, so masking cannot hide a leak. */
function marker(label: string): string {
  const letters = Array.from(randomBytes(28), (byte) => String.fromCharCode(97 + (byte % 26))).join('');
  return `${label}${letters}`;
}

const right = {
  postgresPassword: marker('pgpass'),
  redisPassword: marker('redispass'),
  twilioToken: marker('twilio'),
  googleSecret: marker('google'),
  agentToken: marker('agent'),
  webhookSecret: marker('webhook'),
  azureKey: marker('azure'),
};
const wrong = {
  googleBearer: marker('wronggoogle'),
  googleBasic: marker('wrongbasic'),
  agentToken: marker('wrongagent'),
  twilioToken: marker('wrongtwilio'),
  redisPassword: marker('wrongredis'),
};
const basicHeader = Buffer.from(`dialogflow:${wrong.googleBasic}`).toString('base64');
/** every value that must never be logged, also in the forms a dumped header would have */
const secrets = [...Object.values(right), ...Object.values(wrong), basicHeader];

const PUBLIC_URL = 'https://loket.example.com';
/** generous: the model is trained at every start, and test files run side by side on few cores */
const START_TIMEOUT_MS = 90_000;
const SERVICE_NUMBER = '+31201234567';
const schema = `loket_secrets_${randomBytes(6).toString('hex')}`;
const postgresBase = new URL(
  process.env.LOKET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
);

function withPassword(base: URL, password: string): string {
  const url = new URL(base);
  url.username ||= 'postgres';
  url.password = password;
  return url.toString();
}

/** The logs as one text: a line split over two pipe chunks is whole again, so a marker cannot slip through a split. */
function allText(server: { logs: string[] }): string {
  return server.logs.join('');
}

function leakedIn(text: string): string[] {
  const lower = text.toLowerCase();
  return secrets.filter((secret) => lower.includes(secret.toLowerCase()));
}

/** The parsed pino lines with this msg. */
function entries(server: ServeProcess, msg: string): Record<string, unknown>[] {
  return server.logs.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.msg === msg ? [entry] : [];
    } catch {
      return [];
    }
  });
}

async function untilLogged(server: ServeProcess, msg: string, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (entries(server, msg).length === 0) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`no "${msg}" within ${timeoutMs} ms:\n${server.logs.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(server: ServeProcess): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

/** Posts a Twilio form, signed the way Twilio signs it (its own helper) with `token`. */
async function postTwilio(url: string, path: string, params: Record<string, string>, token: string) {
  const signature = twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}${path}`, params);
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text() };
}

async function postJson(url: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** Malformed secret-bearing settings that stop `loket serve`; each value is a marker that must not be echoed. */
const bad = {
  redis: marker('badredis'),
  postgres: marker('badpg'),
  webhookUrl: marker('badhookurl'),
  webhookSecret: marker('short').slice(0, 12),
  agentToken: marker('badagent'),
  googleSecret: marker('short').slice(0, 12),
  twilioToken: marker('short').slice(0, 12),
  azureKey: marker('short').slice(0, 12),
};
/** One process per settings module: the first module with a problem stops the start. */
const startupCases: { name: string; env: Record<string, string>; expected: RegExp[] }[] = [
  {
    name: 'REDIS_URL',
    env: { REDIS_URL: `redis://:${bad.redis}@127.0.0.1:99999` },
    expected: [/REDIS_URL: must be a URL/],
  },
  {
    name: 'DATABASE_URL and the webhook',
    env: {
      DATABASE_URL: `postgres://postgres:${bad.postgres}@127.0.0.1:99999/test`,
      LOKET_HANDOFF_WEBHOOK_URL: `http://contact-centre:${bad.webhookUrl}@127.0.0.1:9/loket`,
      LOKET_HANDOFF_WEBHOOK_SECRET: bad.webhookSecret,
    },
    expected: [
      /DATABASE_URL: must be a URL/,
      /LOKET_HANDOFF_WEBHOOK_URL: must not hold a user name or password/,
      /LOKET_HANDOFF_WEBHOOK_SECRET: must be at least 16 characters/,
    ],
  },
];
/** what each failed start wrote (startServeProcess puts the output in its error) */
const startupOutput = new Map<string, Promise<string>>();

/** A contact centre whose endpoint is down: every delivery gets a 500, so the outbox logs its failures. */
let contactCentre: Server;
let contactCentreUrl: string;
let loket: ServeProcess;
let wrongRedis: ServeProcess;
const exitCodes: { loket?: number | null; wrongRedis?: number | null } = {};
/** what the server answered to refused credentials: not echoed there either */
const answers: string[] = [];

beforeAll(async () => {
  contactCentre = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.statusCode = 500;
      response.end('down for maintenance');
    });
  });
  await new Promise<void>((resolve) => contactCentre.listen(0, '127.0.0.1', resolve));
  const address = contactCentre.address();
  contactCentreUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/loket`;

  // Started alongside the serving ones (each loads the model first): the machine has few cores.
  for (const startup of startupCases) {
    const started = startServeProcess({
      name: 'secrets-bad-settings',
      startTimeoutMs: START_TIMEOUT_MS,
      env: { LOG_LEVEL: 'debug', REDIS_URL: '', DATABASE_URL: '', ...startup.env },
    }).then(
      (served) => {
        served.destroy();
        return 'it started';
      },
      (error: Error) => error.message,
    );
    startupOutput.set(startup.name, started);
  }

  [loket, wrongRedis] = await Promise.all([
    startServeProcess({
      name: 'secrets',
      startTimeoutMs: START_TIMEOUT_MS,
      env: {
        LOG_LEVEL: 'debug',
        DATABASE_URL: withPassword(postgresBase, right.postgresPassword),
        LOKET_POSTGRES_SCHEMA: schema,
        // The machine's Redis has no password: it accepts one anyway (ioredis warns), so the store works.
        REDIS_URL: `redis://:${right.redisPassword}@127.0.0.1:6379`,
        LOKET_SESSION_TTL_SECONDS: '60',
        LOKET_PUBLIC_URL: PUBLIC_URL,
        LOKET_TWILIO_AUTH_TOKEN: right.twilioToken,
        LOKET_PHONE_LOCALES: `${SERVICE_NUMBER}=nl-NL`,
        LOKET_AZURE_SPEECH_KEY: right.azureKey,
        LOKET_AZURE_SPEECH_REGION: 'westeurope',
        LOKET_GOOGLE_SECRET: right.googleSecret,
        LOKET_AGENT_TOKENS: `chef:${right.agentToken}:supervisor`,
        LOKET_HANDOFF_WEBHOOK_URL: contactCentreUrl,
        LOKET_HANDOFF_WEBHOOK_SECRET: right.webhookSecret,
        LOKET_HANDOFF_WEBHOOK_ATTEMPTS: '2',
        LOKET_HANDOFF_WEBHOOK_BACKOFF_MS: '20',
        LOKET_HANDOFF_WEBHOOK_TIMEOUT_MS: '2000',
      },
    }),
    // A user the machine's Redis does not know: AUTH fails with WRONGPASS, and ioredis's error names the command.
    startServeProcess({
      name: 'secrets-wrong-redis',
      startTimeoutMs: START_TIMEOUT_MS,
      env: {
        LOG_LEVEL: 'debug',
        DATABASE_URL: '',
        REDIS_URL: `redis://nobody${randomBytes(4).toString('hex')}:${wrong.redisPassword}@127.0.0.1:6379`,
      },
    }),
  ]);

  // Turns, one of which hands off (the webhook then fails, is retried and parked).
  const sessionId = `secrets-${randomBytes(6).toString('hex')}`;
  for (const text of ['hallo', 'wat zijn jullie openingstijden', 'ik wil een klacht indienen']) {
    const turn = await converseWith(loket.url, { sessionId, locale: 'nl-NL', text });
    expect(turn.status, JSON.stringify(turn.json)).toBe(200);
  }
  const english = await converseWith(loket.url, {
    sessionId: `${sessionId}-en`,
    locale: 'en-US',
    text: 'is there an outage',
  });
  expect(english.status).toBe(200);

  // Dialogflow CX: a wrong bearer token, wrong basic-auth credentials, then the right secret.
  const cx = inSession(fixture('cx-free-text-nl'), `${sessionId}-cx`);
  for (const authorization of [`Bearer ${wrong.googleBearer}`, `Basic ${basicHeader}`]) {
    const refused = await postJson(`${loket.url}/google/cx`, cx, { authorization });
    expect(refused.status).toBe(401);
    answers.push(refused.body);
  }
  expect(
    (await postJson(`${loket.url}/google/cx`, cx, { authorization: `Bearer ${right.googleSecret}` })).status,
  ).toBe(200);

  // The agent API: a wrong token, then the supervisor's.
  const refusedAgent = await fetch(`${loket.url}/agent/handoffs`, {
    headers: { authorization: `Bearer ${wrong.agentToken}` },
  });
  expect(refusedAgent.status).toBe(401);
  answers.push(await refusedAgent.text());
  const handoffs = await fetch(`${loket.url}/agent/handoffs`, {
    headers: { authorization: `Bearer ${right.agentToken}` },
  });
  expect(handoffs.status).toBe(200);
  expect(JSON.stringify(await handoffs.json())).toContain(sessionId);

  // The phone line: a request signed with a wrong token, then a call signed with the right one.
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const callParams = { CallSid: callSid, From: '+31611112222', To: SERVICE_NUMBER, CallStatus: 'ringing' };
  const refusedCall = await postTwilio(loket.url, '/telephony/twilio/voice', callParams, wrong.twilioToken);
  expect(refusedCall.status).toBe(403);
  answers.push(refusedCall.body);
  const answered = await postTwilio(loket.url, '/telephony/twilio/voice', callParams, right.twilioToken);
  expect(answered.status, answered.body).toBe(200);
  expect(answered.body).toContain('<Response>');

  expect((await fetch(`${loket.url}/metrics`)).status).toBe(200);
  expect((await fetch(`${loket.url}/readyz`)).status).toBe(200);
  await untilLogged(loket, 'handoff webhook failed for good: parked as failed');

  // Wrong Redis credentials: a turn cannot be stored (503), /readyz says so, and the event bus logs the failure.
  expect((await converseWith(wrongRedis.url, { sessionId, locale: 'nl-NL', text: 'hallo' })).status).toBe(
    503,
  );
  expect((await fetch(`${wrongRedis.url}/readyz`)).status).toBe(503);
  await untilLogged(wrongRedis, 'handoff event bus: Redis connection failed');

  [exitCodes.loket, exitCodes.wrongRedis] = await Promise.all([stop(loket), stop(wrongRedis)]);
}, 150_000);

afterAll(async () => {
  loket?.destroy();
  wrongRedis?.destroy();
  await new Promise<void>((resolve) => (contactCentre ? contactCentre.close(() => resolve()) : resolve()));
  const admin = new pg.Client({ connectionString: withPassword(postgresBase, '') });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
});

describe('a serving Loket with every secret set, at LOG_LEVEL=debug', () => {
  it('uses the markers as they are: the personal-data masker leaves them alone, so it cannot hide a leak', () => {
    for (const secret of secrets.slice(0, -1))
      expect(maskPersonalData(`value ${secret} end`)).toContain(secret);
  });

  it('logged the events the traffic caused, and stopped cleanly on SIGTERM', () => {
    expect(loket.logs.length).toBeGreaterThan(10);
    expect(entries(loket, 'records in Postgres')).toEqual([expect.objectContaining({ schema })]);
    expect(entries(loket, `Loket is serving on http://localhost:${new URL(loket.url).port}`)).toEqual([
      expect.objectContaining({ sessions: 'redis' }),
    ]);
    expect(entries(loket, 'turn').length).toBeGreaterThanOrEqual(4);
    expect(entries(loket, 'handoff')).toEqual([expect.objectContaining({ reason: expect.any(String) })]);
    expect(entries(loket, 'handoff webhook failed; retrying')).toEqual([
      expect.objectContaining({ error: 'HTTP 500' }),
    ]);
    expect(entries(loket, 'telephony request refused')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/X-Twilio-Signature does not match/) }),
    ]);
    expect(entries(loket, 'stopped')).toHaveLength(1);
    expect(exitCodes.loket).toBe(0);
  });

  it('never logged a secret, right or wrong', () => {
    expect(leakedIn(allText(loket))).toEqual([]);
    for (const line of loket.logs) expect(leakedIn(line), line).toEqual([]);
  });

  it('never echoed a wrong credential in its answers', () => {
    expect(answers).toHaveLength(4);
    expect(leakedIn(answers.join('\n'))).toEqual([]);
  });
});

describe('a serving Loket with wrong Redis credentials', () => {
  it('logged the failed connection without the password ioredis keeps on the AUTH command', () => {
    const failures = entries(wrongRedis, 'handoff event bus: Redis connection failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(JSON.stringify(failures[0])).toMatch(/WRONGPASS/);
    expect(entries(wrongRedis, 'a store is unavailable: answered 503').length).toBeGreaterThan(0);
    expect(leakedIn(allText(wrongRedis))).toEqual([]);
    expect(exitCodes.wrongRedis).toBe(0);
  });
});

describe('start-up with a malformed secret-bearing setting', () => {
  it.each(startupCases)(
    '$name: stops with exit code 2, naming the setting but not the value',
    async (startup) => {
      const output = (await startupOutput.get(startup.name)) ?? '';
      expect(output).toMatch(/exited with 2/);
      for (const problem of startup.expected) expect(output).toMatch(problem);
      const lower = output.toLowerCase();
      for (const value of Object.values(bad)) expect(lower).not.toContain(value.toLowerCase());
    },
  );

  // The other modules, each of which would need a process (and a model load) of its own, are checked directly.
  it('LOKET_AGENT_TOKENS, LOKET_GOOGLE_SECRET, LOKET_TWILIO_AUTH_TOKEN and LOKET_AZURE_SPEECH_KEY: named, not echoed', () => {
    const problemsOf = (read: () => unknown): string => {
      try {
        read();
      } catch (error) {
        expect(error).toBeInstanceOf(SettingsError);
        return (error as SettingsError).message;
      }
      return 'accepted';
    };
    const problems = [
      // A token pasted without a name (and one with a name, so the name is still shown where it is one).
      problemsOf(() => readAgentDirectory({ LOKET_AGENT_TOKENS: `${bad.agentToken},ok:short` })),
      problemsOf(() => readGoogleSettings({ LOKET_GOOGLE_SECRET: bad.googleSecret })),
      problemsOf(() =>
        readTelephonySettings(
          {
            LOKET_TWILIO_AUTH_TOKEN: bad.twilioToken,
            LOKET_AZURE_SPEECH_KEY: bad.azureKey,
            LOKET_AZURE_SPEECH_REGION: 'westeurope',
          },
          ['nl-NL'],
        ),
      ),
    ].join('\n');
    expect(problems).toMatch(/LOKET_AGENT_TOKENS: entry 1: the token must be/);
    expect(problems).toMatch(/LOKET_AGENT_TOKENS: entry 2 \(ok\): the token must be/);
    expect(problems).toMatch(/LOKET_GOOGLE_SECRET: must be at least 16 characters/);
    expect(problems).toMatch(/LOKET_TWILIO_AUTH_TOKEN: must be your Twilio auth token/);
    expect(problems).toMatch(/LOKET_AZURE_SPEECH_KEY: must be an Azure Speech resource key/);
    for (const value of Object.values(bad)) expect(problems).not.toContain(value);
  });
});
