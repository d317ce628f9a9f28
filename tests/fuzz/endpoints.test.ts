// Fuzzes every public endpoint and the agent API over real HTTP with property-based payloads (fast-check): wrong
// types, huge strings, deep nesting, invalid UTF-8, wrong content types, missing and bogus signatures, stale Alexa
// timestamps, and real fixture envelopes with mutated fields. Rules: never a 5xx, the process stays up, and memory
// stays bounded. LOKET_FUZZ_RUNS sets the requests per endpoint (default 10000); LOKET_FUZZ_SEED the seed.
// See docs/fuzzing.md for the command and the last measured run.
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const RUNS = Number(process.env.LOKET_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.LOKET_FUZZ_SEED ?? 20261122);
const CONCURRENCY = 16;
const WARM_UP_RUNS = 1_000;
const REQUEST_TIMEOUT_MS = 15_000;

const GOOGLE_SECRET = 'fuzz-google-secret-0123456789abcd'; // 32+ characters
const TWILIO_TOKEN = 'fuzz0123456789abcdef0123456789ab';
const PUBLIC_URL = 'https://loket.example.com';
const AGENT_TOKEN = 'fuzz-agent-token-0123456789abcdef';

const HERE = import.meta.dirname;
const readFixture = (folder: string, name: string): unknown =>
  JSON.parse(readFileSync(join(HERE, '..', folder, 'fixtures', name), 'utf8'));
const ALEXA_FIXTURES = [
  'builtin-help-intent.json',
  'intent-request-order-status.json',
  'intent-request-resolved-slot.json',
  'launch-request.json',
  'session-ended-error.json',
].map((name) => readFixture('alexa', name));
const CX_FIXTURES = [
  'cx-free-text-nl.json',
  'cx-intent-with-parameters-en.json',
  'cx-phone-gateway-dtmf-nl.json',
  'cx-phone-gateway-transcript-en.json',
  'cx-phone-gateway-welcome-nl.json',
].map((name) => readFixture('google', name));
const ES_FIXTURES = [
  'es-free-text-nl.json',
  'es-intent-with-parameters-en.json',
  'es-phone-gateway-nl.json',
].map((name) => readFixture('google', name));

// ---------------------------------------------------------------------------------------------------------------
// The payloads

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
});
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('a', 'é', '𝕏', '"', ' '))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));
const deepNesting = fc
  .tuple(fc.integer({ min: 50, max: 30_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);
const invalidUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 2_000 })
  .map((bytes) => Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), bytes]));

/** values of the wrong type, edge values and hostile strings */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 64 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    '-1',
    'NaN',
    '1e309',
    '9'.repeat(400),
    '\u0000',
    '\ud800',
    '<speak><audio src="x"/></speak>',
    ']]></Say><Dial>+31</Dial>',
    '$' + '{7*7}{{7*7}}',
    "'; DROP TABLE sessions; --",
    '%s%s%s%n',
    'en-US',
    'nl-NL',
    'nl',
    '+31612345678',
    '45123',
    'launch',
  ),
  { weight: 1, arbitrary: hugeString.map((value) => value.slice(0, 70_000)) },
);

function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) pathsOf(item, [...prefix, index], out);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

type Mutation = { at: number; kind: 'set' | 'delete' | 'add'; value: unknown; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('set', 'delete', 'add'),
  value: weirdValue,
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype')),
});

/** A real envelope with a few fields replaced, removed or added. */
function mutated(fixtures: unknown[], maxMutations = 4): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...fixtures), fc.array(mutation, { maxLength: maxMutations }))
    .map(([fixture, mutations]) => {
      const copy: any = structuredClone(fixture);
      let root: any = copy;
      for (const change of mutations) {
        const paths = pathsOf(root);
        const path = paths[change.at % paths.length] ?? [];
        if (path.length === 0) {
          if (change.kind === 'set') root = structuredClone(change.value);
          continue;
        }
        let parent: any = root;
        for (const step of path.slice(0, -1)) parent = parent?.[step];
        if (!parent || typeof parent !== 'object') continue;
        const last = path[path.length - 1] as string | number;
        if (change.kind === 'delete') delete parent[last];
        else if (change.kind === 'set') parent[last] = structuredClone(change.value);
        else if (typeof parent[last] === 'object' && parent[last] !== null) {
          Object.defineProperty(parent[last], change.key, {
            value: structuredClone(change.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
      return root;
    });
}

const jsonContentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  '',
  '*/*',
);
const encodingHeader = fc.option(
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip'),
  {
    freq: 12,
  },
);

/** A body for a JSON endpoint: mostly structured (so validation is reached), the rest raw and hostile. */
function jsonBody(structured: fc.Arbitrary<unknown>): fc.Arbitrary<Buffer | string | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: structured.map((value) => JSON.stringify(value) ?? 'undefined') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: hugeString.map((value) => JSON.stringify({ text: value })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(undefined, '', 'null', '[]', '"x"', '{"__proto__":{"a":1}}', '{'),
    },
  );
}

function withEncoding(headers: Record<string, string>, encoding: string | null, contentType: string) {
  const out: Record<string, string> = { ...headers };
  if (contentType) out['content-type'] = contentType;
  if (encoding) out['content-encoding'] = encoding;
  return out;
}

// /v1/converse
const converseRecord = fc.record(
  {
    sessionId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/), weirdValue),
    locale: fc.oneof(fc.constantFrom('nl-NL', 'en-US', 'nl', 'EN-us', 'de-DE'), weirdValue),
    text: fc.oneof(fc.constantFrom('waar blijft mijn bestelling', 'a person please', '45123'), weirdValue),
    event: fc.oneof(fc.constantFrom('launch', 'no-input', 'end'), weirdValue),
    dtmf: fc.oneof(fc.stringMatching(/^[0-9*#]{1,32}$/), weirdValue),
    callerId: fc.oneof(fc.constantFrom('+31612345678', 'anonymous'), weirdValue),
    extra: weirdValue,
  },
  { requiredKeys: [] },
);
const converseRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(jsonBody(converseRecord), jsonContentType, encodingHeader)
  .map(([body, contentType, encoding]) => ({
    method: 'POST',
    path: '/v1/converse',
    headers: withEncoding({}, encoding, contentType),
    body,
  }));

// /alexa with verification on: the signature and timestamp checks under attack
const alexaTimestamp = fc.oneof(
  fc
    .integer({ min: 151, max: 10 * 365 * 86_400 })
    .map((age) => new Date(Date.now() - age * 1000).toISOString()),
  fc.integer({ min: 140, max: 160 }).map((age) => new Date(Date.now() - age * 1000).toISOString()),
  fc.constantFrom('2019-03-05T22:34:17Z', '1970-01-01T00:00:00Z'),
  weirdValue,
);
/** Never a valid Amazon certificate address: the verifier would download it. */
const certUrl = fc.option(
  fc.constantFrom(
    '',
    'not a url',
    'http://s3.amazonaws.com/echo.api/echo-api-cert.pem',
    'https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem',
    'https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem',
    'https://s3.amazonaws.com/invalid.path/echo-api-cert.pem',
    'https://evil.example.com/echo.api/echo-api-cert.pem',
    'https://127.0.0.1/echo.api/echo-api-cert.pem',
    'file:///etc/passwd',
    '//s3.amazonaws.com/echo.api/x',
    'javascript:alert(1)',
  ),
  { freq: 5 },
);
const alexaSignedRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    mutated(ALEXA_FIXTURES, 2),
    alexaTimestamp,
    certUrl,
    fc.option(fc.oneof(fc.base64String({ maxLength: 400 }), printable), { freq: 5 }),
    fc.option(fc.base64String({ maxLength: 400 }), { freq: 3 }),
    fc.integer({ min: 0, max: 9 }),
    jsonContentType,
  )
  .map(([envelope, timestamp, cert, signature, signature256, raw, contentType]) => {
    const body: any = envelope && typeof envelope === 'object' ? envelope : { request: {} };
    if (body.request && typeof body.request === 'object') body.request.timestamp = timestamp;
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    if (cert !== null) headers.signaturecertchainurl = cert;
    if (signature !== null) headers.signature = signature;
    if (signature256 !== null) headers['signature-256'] = signature256;
    return {
      method: 'POST',
      path: '/alexa',
      headers,
      body: raw === 0 ? '{"request":{"timestamp":' : raw === 1 ? '' : JSON.stringify(body),
    };
  });

// /alexa with verification off (a second server): mutated envelopes reach the parser and the skill
const alexaEnvelopeRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(jsonBody(mutated(ALEXA_FIXTURES)), jsonContentType, fc.boolean())
  .map(([body, contentType, freshTimestamp]): FuzzRequest => {
    let text = body;
    if (freshTimestamp && typeof text === 'string')
      text = text.replace(/"timestamp":"[^"]*"/, `"timestamp":"${new Date().toISOString()}"`);
    return {
      method: 'POST',
      path: '/alexa',
      headers: contentType ? { 'content-type': contentType } : {},
      body: text,
    };
  });

// /google/cx and /google/es
const googleAuthHeader = fc.oneof(
  { weight: 10, arbitrary: fc.constant(`Bearer ${GOOGLE_SECRET}`) },
  fc.constantFrom(
    '',
    'Bearer',
    'Bearer ',
    `bearer ${GOOGLE_SECRET}`,
    `Basic ${GOOGLE_SECRET}`,
    `Bearer ${GOOGLE_SECRET}x`,
  ),
  printable.map((value) => `Bearer ${value}`),
  fc.integer({ min: 1_000, max: 12_000 }).map((length) => `Bearer ${'A'.repeat(length)}`),
  fc.constant('Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJhdWQiOiJ4In0.c2ln'),
);
function googleRequest(path: string, fixtures: unknown[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      jsonBody(mutated(fixtures)),
      jsonContentType,
      encodingHeader,
      fc.option(googleAuthHeader, { freq: 12 }),
    )
    .map(([body, contentType, encoding, auth]) => ({
      method: 'POST',
      path,
      headers: withEncoding(auth === null ? {} : { authorization: auth }, encoding, contentType),
      body,
    }));
}

// /telephony/twilio/voice and /gather: form posts, mostly signed right so the handlers are reached
const twilioParams = fc.record(
  {
    CallSid: fc.oneof(
      { weight: 6, arbitrary: fc.stringMatching(/^CA[0-9a-f]{32}$/) },
      fc.string({ maxLength: 40 }),
    ),
    AccountSid: fc.constant(`AC${'0'.repeat(32)}`),
    From: fc.oneof(
      fc.constantFrom('+31612345678', '+12025550123', 'anonymous', 'client:alice', 'sip:x@y'),
      printable,
    ),
    To: fc.oneof(fc.constantFrom('+31201234567', '+12025550123'), printable),
    CallStatus: fc.oneof(fc.constantFrom('ringing', 'in-progress', 'completed'), printable),
    SpeechResult: fc.oneof(
      fc.constantFrom('waar blijft mijn bestelling', 'een medewerker', 'vier vijf een twee drie'),
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
    ),
    Confidence: fc.oneof(fc.double().map(String), printable),
    Digits: fc.oneof(fc.stringMatching(/^[0-9*#]{1,12}$/), printable),
    Extra: fc.string({ maxLength: 50 }),
  },
  { requiredKeys: [] },
);
const twilioQuery = fc.oneof(
  fc.constantFrom(
    '',
    '?locale=nl-NL',
    '?locale=en-US',
    '?locale=xx',
    '?locale=nl-NL&locale=en-US',
    '?locale=%',
    '?locale[]=a',
  ),
  printable.map((value) => `?locale=${encodeURIComponent(value)}`),
);
function twilioRequest(route: 'voice' | 'gather'): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      twilioParams,
      twilioQuery,
      fc.integer({ min: 0, max: 19 }),
      fc.oneof(
        fc.constant(undefined),
        fc.uint8Array({ maxLength: 1_000 }).map((bytes) => Buffer.from(bytes)),
        hugeString.map((value) => `SpeechResult=${value}`),
        fc.constantFrom('CallSid=a&CallSid=b', '%%%', 'a=%E0%A4%A', '=&=&=', 'CallSid'),
      ),
      printable,
    )
    .map(([params, query, mode, rawBody, bogus]) => {
      const path = `/telephony/twilio/${route}${query}`;
      const stringParams = Object.fromEntries(
        Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      const body =
        mode >= 17 && rawBody !== undefined ? rawBody : new URLSearchParams(stringParams).toString();
      const headers: Record<string, string> = {
        'content-type': mode === 16 ? 'application/json' : 'application/x-www-form-urlencoded',
      };
      if (mode < 14) {
        headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(
          TWILIO_TOKEN,
          `${PUBLIC_URL}${path}`,
          stringParams,
        );
      } else if (mode === 14) headers['x-twilio-signature'] = bogus;
      else if (mode === 15) {
        headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(
          'wrong-token',
          `${PUBLIC_URL}${path}`,
          stringParams,
        );
      }
      return { method: 'POST', path, headers, body };
    });
}

// /agent/handoffs...
const pathSegment = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[0-9]{4,8}$/),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2F..%2F', '%ZZ', 'a%FFb', '-1', 'null', '__proto__'),
  fc.integer({ min: 100, max: 6_000 }).map((length) => 'x'.repeat(length)),
);
function agentRequest(knownIds: () => string[]): fc.Arbitrary<FuzzRequest> {
  const id = fc.oneof(
    pathSegment,
    fc.nat().map((n) => knownIds()[n % Math.max(1, knownIds().length)] ?? 'none'),
  );
  const auth = fc.oneof(
    { weight: 10, arbitrary: fc.constant(`Bearer ${AGENT_TOKEN}`) },
    fc.constantFrom('', 'Bearer', `Bearer ${AGENT_TOKEN} extra`, `Basic ${AGENT_TOKEN}`),
    printable.map((value) => `Bearer ${value}`),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc
      .record(
        {
          status: fc.oneof(fc.constantFrom('waiting', 'accepted', 'resolved', 'expired', 'all'), printable),
          delivery: fc.oneof(fc.constantFrom('pending', 'delivered', 'failed'), printable),
          limit: fc.oneof(fc.integer({ min: -10, max: 1_000 }).map(String), printable),
          other: printable,
        },
        { requiredKeys: [] },
      )
      .map((record) => `?${new URLSearchParams(record as Record<string, string>).toString()}`),
    fc.constantFrom('?status=all&status=waiting', '?limit[]=1', '?limit=1e3', '?%=%', '?limit=%E0%A4%A'),
  );
  const noteBody = jsonBody(fc.record({ note: weirdValue, extra: weirdValue }, { requiredKeys: [] }));
  return fc
    .tuple(
      fc.constantFrom('list', 'get', 'by-code', 'accept', 'resolve', 'redeliver', 'me', 'unknown'),
      id,
      query,
      fc.option(auth, { freq: 12 }),
      noteBody,
      jsonContentType,
    )
    .map(([op, handoffId, search, authorization, body, contentType]) => {
      const headers: Record<string, string> = authorization === null ? {} : { authorization };
      const post = (path: string): FuzzRequest => ({
        method: 'POST',
        path,
        headers: contentType ? { ...headers, 'content-type': contentType } : headers,
        body,
      });
      switch (op) {
        case 'list':
          return { method: 'GET', path: `/agent/handoffs${search}`, headers };
        case 'get':
          return { method: 'GET', path: `/agent/handoffs/${handoffId}`, headers };
        case 'by-code':
          return { method: 'GET', path: `/agent/handoffs/by-code/${handoffId}`, headers };
        case 'me':
          return { method: 'GET', path: '/agent/me', headers };
        case 'unknown':
          return post(`/agent/handoffs/${handoffId}/${handoffId}`);
        default:
          return post(`/agent/handoffs/${handoffId}/${op}`);
      }
    });
}

// header abuse on every endpoint
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/);
const headerAbuse: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
    fc.constantFrom(
      '/v1/converse',
      '/alexa',
      '/google/cx',
      '/google/es',
      '/google/other',
      '/telephony/twilio/voice',
      '/telephony/twilio/gather',
      '/telephony/twilio/nope',
      '/telephony/stream',
      '/agent/handoffs',
      '/agent/me',
      '/healthz',
      '/readyz',
      '/metrics',
      '/console',
      '/console/%',
      '/%E0%A4%A',
      '/v1/converse/%ZZ',
      '/nope',
    ),
    fc.dictionary(headerName, printable, { maxKeys: 40 }),
    fc.record(
      {
        'content-type': fc.oneof(jsonContentType, printable),
        'content-encoding': fc.oneof(fc.constantFrom('gzip', 'x-unknown', 'identity'), printable),
        authorization: fc.oneof(fc.constant(`Bearer ${AGENT_TOKEN}`), printable),
        'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), printable),
        'x-forwarded-proto': printable,
        host: fc.oneof(fc.domain(), printable),
        accept: printable,
        'accept-encoding': printable,
        'x-twilio-signature': printable,
        signaturecertchainurl: fc.constantFrom('', 'http://x', 'https://evil.example.com/echo.api/x'),
        signature: printable,
        expect: fc.constantFrom('100-continue', 'bogus'),
        'x-long': fc.integer({ min: 1_000, max: 20_000 }).map((length) => 'v'.repeat(length)),
      },
      { requiredKeys: [] },
    ),
    fc.option(jsonBody(converseRecord), { freq: 2 }),
  )
  .map(([method, path, extra, known, body]) => {
    const headers: Record<string, string> = { ...extra, ...known };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers.connection;
    delete headers.upgrade;
    // A client that sends 100-continue waits for the server's go-ahead; node's client handles it for POST only.
    if (method !== 'POST') delete headers.expect;
    return {
      method,
      path,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : (body ?? undefined),
    };
  });

// ---------------------------------------------------------------------------------------------------------------
// Sending

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

type Outcome = number | 'socket-error' | 'client-refused' | 'timeout';

function send(baseUrl: string, fuzz: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const url = new URL(baseUrl);
    const body =
      fuzz.body === undefined
        ? undefined
        : typeof fuzz.body === 'string'
          ? Buffer.from(fuzz.body)
          : fuzz.body;
    let request: ReturnType<typeof httpRequest>;
    try {
      request = httpRequest({
        agent,
        host: url.hostname,
        port: url.port,
        method: fuzz.method,
        path: fuzz.path,
        headers: { ...fuzz.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: REQUEST_TIMEOUT_MS,
      });
    } catch {
      // node's client refused to send it (an invalid header or path): nothing reached the server
      resolve('client-refused');
      return;
    }
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve('socket-error'));
    });
    request.on('timeout', () => {
      request.destroy();
      resolve('timeout');
    });
    request.on('error', () => resolve('socket-error'));
    if (fuzz.headers.expect === '100-continue' && body) request.on('continue', () => request.end(body));
    else request.end(body);
  });
}

interface EndpointReport {
  sent: number;
  statuses: Record<string, number>;
  failures: { outcome: Outcome; request: string }[];
}

function describeRequest(fuzz: FuzzRequest): string {
  const body =
    fuzz.body === undefined
      ? ''
      : typeof fuzz.body === 'string'
        ? fuzz.body.slice(0, 300)
        : `<${fuzz.body.length} bytes> ${fuzz.body.subarray(0, 100).toString('hex')}`;
  return `${fuzz.method} ${fuzz.path.slice(0, 200)} ${JSON.stringify(fuzz.headers).slice(0, 300)} ${body}`;
}

async function fuzzEndpoint(
  baseUrl: string,
  arbitrary: fc.Arbitrary<FuzzRequest>,
  seed: number,
  runs = RUNS,
) {
  const report: EndpointReport = { sent: 0, statuses: {}, failures: [] };
  const CHUNK = 100;
  for (let start = 0; start < runs; start += CHUNK) {
    const batch = fc.sample(arbitrary, { numRuns: Math.min(CHUNK, runs - start), seed: seed + start });
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const fuzz = batch[next++]!;
        const outcome = await send(baseUrl, fuzz);
        report.sent++;
        const key = String(outcome);
        report.statuses[key] = (report.statuses[key] ?? 0) + 1;
        const failed = typeof outcome === 'number' ? outcome >= 500 : outcome === 'timeout';
        if (failed && report.failures.length < 20)
          report.failures.push({ outcome, request: describeRequest(fuzz) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  return report;
}

// ---------------------------------------------------------------------------------------------------------------

let server: TestServer;
let unverified: TestServer;
const reports: Record<string, EndpointReport & { seconds: number; rssMb: number }> = {};
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

/**
 * A full collection before reading rss, so the comparison is about what is still held rather than about when V8 last
 * collected. global.gc is not exposed to vitest's workers; V8's flag can be set at run time and a new context then
 * gets a gc function. If that ever stops working, rss is read without it.
 */
function collect(): void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    gc();
  } catch {
    // rss without a forced collection
  }
}
let rssBefore = 0;
const startedAt = Date.now();

beforeAll(async () => {
  const common = {
    LOKET_RATE_LIMIT_PER_MINUTE: '0',
    LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '0',
    LOKET_GOOGLE_SECRET: GOOGLE_SECRET,
    LOKET_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    LOKET_PUBLIC_URL: PUBLIC_URL,
    LOKET_AGENT_TOKENS: `fuzz:${AGENT_TOKEN}`,
  };
  server = await startTestServer({ ...common, LOKET_ALEXA_VERIFY: 'true' });
  unverified = await startTestServer({ ...common, LOKET_ALEXA_VERIFY: 'false' });
  // Tens of thousands of refusals and error-level lines (Alexa's SessionEndedRequest with an error) would drown the
  // test output; a 5xx is reported by the assertions with the request that caused it.
  for (const target of [server, unverified]) target.runtime.deps.logger.level = 'fatal';
  // Warm up first (other seeds), so that the baseline already holds what the allocator and the JIT keep after the
  // first huge bodies: what grows after that is what the fuzzing leaks.
  for (const [index, [, url, arbitrary]] of endpoints.entries()) {
    await fuzzEndpoint(url(), arbitrary, SEED - 1 - index, Math.min(RUNS, WARM_UP_RUNS));
  }
  collect();
  rssBefore = process.memoryUsage().rss;
  console.log(`fuzz: rss after the warm-up ${Math.round(rssBefore / 1024 / 1024)} MB`);
});
afterAll(async () => {
  agent.destroy();
  await server?.close();
  await unverified?.close();
  const total = Object.values(reports).reduce((sum, report) => sum + report.sent, 0);
  console.log(
    `fuzz: ${RUNS} runs per endpoint, seed ${SEED}, ${total} requests in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
  for (const [name, report] of Object.entries(reports)) {
    console.log(
      `fuzz: ${name.padEnd(22)} ${String(report.sent).padStart(6)} requests in ${report.seconds.toFixed(1)} s, rss ${report.rssMb} MB  ${JSON.stringify(report.statuses)}`,
    );
  }
});

const endpoints: [string, () => string, fc.Arbitrary<FuzzRequest>][] = [
  ['POST /v1/converse', () => server.url, converseRequest],
  ['POST /alexa (verified)', () => server.url, alexaSignedRequest],
  ['POST /alexa (envelopes)', () => unverified.url, alexaEnvelopeRequest],
  ['POST /google/cx', () => server.url, googleRequest('/google/cx', CX_FIXTURES)],
  ['POST /google/es', () => server.url, googleRequest('/google/es', ES_FIXTURES)],
  ['POST /telephony/voice', () => server.url, twilioRequest('voice')],
  ['POST /telephony/gather', () => server.url, twilioRequest('gather')],
];

const knownIds: string[] = [];

describe(`fuzzing every endpoint (${RUNS} requests each)`, () => {
  const timeout = Math.max(60_000, RUNS * 20);
  for (const [index, [name, url, arbitrary]] of endpoints.entries()) {
    it(
      `${name}: never a 5xx`,
      async () => {
        const started = Date.now();
        const report = await fuzzEndpoint(url(), arbitrary, SEED + index * 1_000_003);
        reports[name] = { ...report, seconds: (Date.now() - started) / 1000, rssMb: rssMb() };
        expect(report.failures).toEqual([]);
        expect(report.sent).toBe(RUNS);
      },
      timeout,
    );
  }

  it(
    'GET+POST /agent/handoffs...: never a 5xx',
    async () => {
      const list = await fetch(`${server.url}/agent/handoffs?status=all&limit=500`, {
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
      });
      expect(list.status).toBe(200);
      const { handoffs } = (await list.json()) as { handoffs: { id: string; code: string }[] };
      for (const handoff of handoffs) knownIds.push(handoff.id, handoff.code);
      const started = Date.now();
      const report = await fuzzEndpoint(
        server.url,
        agentRequest(() => knownIds),
        SEED + 77,
      );
      reports['/agent/handoffs...'] = { ...report, seconds: (Date.now() - started) / 1000, rssMb: rssMb() };
      expect(report.failures).toEqual([]);
    },
    timeout,
  );

  it(
    'header abuse on every path: never a 5xx',
    async () => {
      const started = Date.now();
      const report = await fuzzEndpoint(server.url, headerAbuse, SEED + 99);
      reports['header abuse'] = { ...report, seconds: (Date.now() - started) / 1000, rssMb: rssMb() };
      expect(report.failures).toEqual([]);
    },
    timeout,
  );

  it('the process is still up and memory stayed bounded', async () => {
    for (const target of [server, unverified]) {
      const health = await fetch(`${target.url}/healthz`);
      expect(health.status).toBe(200);
    }
    // rss after a collection still lags what V8 and malloc hand back: the lowest of three readings a moment apart.
    const readings: number[] = [];
    for (let reading = 0; reading < 3; reading++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      collect();
      readings.push(process.memoryUsage().rss);
    }
    const growth = Math.min(...readings) - rssBefore;
    console.log(`fuzz: rss grew by ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(growth).toBeLessThan(200 * 1024 * 1024);
  });
});
