// Webhook auth on /google/cx and /google/es: missing, wrong and right credentials, for the shared secret (bearer and
// basic auth) and for Google ID tokens signed with a local key, plus the safe defaults of a fresh `npm start`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idTokenVerifier } from '../../fulfillment/channels/google/id-token.ts';
import { googleRouter } from '../../fulfillment/channels/google/router.ts';
import { readGoogleSettings } from '../../fulfillment/channels/google/settings.ts';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import type { Runtime } from '../../fulfillment/server/runtime.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  CX_RESPONSE,
  expectValid,
  fixture,
  type GoogleOnlyServer,
  inSession,
  newSigningKey,
  post,
  SECRET,
  signIdToken,
  startGoogleOnlyServer,
} from './helpers.ts';

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('with LOKET_GOOGLE_SECRET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOKET_GOOGLE_SECRET: SECRET });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses missing and wrong credentials with 401, before reading the body', async () => {
    for (const path of ['/google/cx', '/google/es']) {
      const url = `${server.url}${path}`;
      const missing = await post(url, fixture('cx-free-text-nl'), {});
      expect(missing.status).toBe(401);
      expect(missing.json.error).toBe('unauthorized');
      expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect((await post(url, {}, { authorization: `Bearer ${SECRET}x` })).status).toBe(401);
      expect((await post(url, {}, { authorization: 'Bearer ' })).status).toBe(401);
      expect((await post(url, {}, basic('dialogflow', 'not-the-secret'))).status).toBe(401);
      expect((await post(url, {}, { authorization: SECRET })).status).toBe(401);
      // Not even malformed JSON is looked at without credentials.
      expect((await post(url, '{"oops', {})).status).toBe(401);
    }
  });

  it('accepts the secret as a bearer token and as the basic-auth password', async () => {
    const request = inSession(fixture('cx-free-text-nl'), 'auth-secret');
    const bearer = await post(`${server.url}/google/cx`, request, { authorization: `Bearer ${SECRET}` });
    expect(bearer.status).toBe(200);
    expectValid(CX_RESPONSE, bearer.json);
    const viaBasic = await post(`${server.url}/google/cx`, request, basic('dialogflow', SECRET));
    expect(viaBasic.status).toBe(200);
    const es = await post(`${server.url}/google/es`, fixture('es-free-text-nl'), basic('', SECRET));
    expect(es.status).toBe(200);
  });

  it('does not take a JWT-looking bearer as an ID token when ID tokens are not configured', async () => {
    const token = signIdToken(newSigningKey(), { aud: 'x', email: 'a@b.c', email_verified: true });
    const response = await post(`${server.url}/google/cx`, {}, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(response.json.message).toBe('wrong credentials');
  });
});

describe('a fresh start without any Google settings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({});
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses everything with 401 and says what to configure', async () => {
    const response = await post(`${server.url}/google/cx`, fixture('cx-free-text-nl'), {
      authorization: 'Bearer anything-at-all-0123456789',
    });
    expect(response.status).toBe(401);
    expect(response.json.message).toMatch(/LOKET_GOOGLE_SECRET/);
  });
});

describe('start-up', () => {
  const routerWith = (env: Record<string, string>) => {
    const warnings: string[] = [];
    const runtime = {
      settings: { env, LOKET_MAX_BODY_BYTES: 65_536 },
      deps: { logger: { warn: (message: string) => warnings.push(message), info() {}, error() {} } },
    } as unknown as Runtime;
    googleRouter(runtime);
    return warnings;
  };

  it('logs why the endpoints refuse everything, and warns when auth is off', () => {
    expect(routerWith({}).join()).toMatch(/answer 401 to every request: set LOKET_GOOGLE_SECRET/);
    expect(routerWith({ LOKET_GOOGLE_AUTH: 'off' }).join()).toMatch(/local development only/);
    expect(routerWith({ LOKET_GOOGLE_SECRET: SECRET })).toEqual([]);
  });

  it('stops on bad settings with one line per problem, and never echoes the secret', () => {
    try {
      readGoogleSettings({
        LOKET_GOOGLE_SECRET: 'short',
        LOKET_GOOGLE_AUTH: 'maybe',
        LOKET_GOOGLE_AUDIENCE: 'https://loket.example.com/google/cx',
        LOKET_AGENT_PHONE_NUMBER: '020 123 4567',
        LOKET_PUBLIC_URL: 'loket.example.com',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      const { problems } = error as SettingsError;
      expect(problems).toContain('LOKET_GOOGLE_AUTH: must be on or off (got "maybe")');
      expect(problems.find((line) => line.startsWith('LOKET_GOOGLE_SECRET'))).toMatch(/\(got \(hidden\)\)$/);
      expect(problems.join('\n')).not.toContain('short');
      expect(problems.find((line) => line.startsWith('LOKET_GOOGLE_SERVICE_ACCOUNTS'))).toMatch(/required/);
      expect(problems.find((line) => line.startsWith('LOKET_AGENT_PHONE_NUMBER'))).toMatch(/E\.164/);
      expect(problems.find((line) => line.startsWith('LOKET_PUBLIC_URL'))).toMatch(/URL/);
    }
  });

  it('reads good settings', () => {
    expect(
      readGoogleSettings({
        LOKET_GOOGLE_AUDIENCE: 'https://loket.example.com/google/cx, https://loket.example.com',
        LOKET_GOOGLE_SERVICE_ACCOUNTS: 'Service-123@gcp-sa-dialogflow.iam.gserviceaccount.com',
        LOKET_PUBLIC_URL: 'https://loket.example.com/',
        LOKET_GOOGLE_SECRET: '',
      }),
    ).toEqual({
      auth: 'on',
      secret: null,
      idToken: {
        audiences: ['https://loket.example.com/google/cx', 'https://loket.example.com'],
        serviceAccounts: ['service-123@gcp-sa-dialogflow.iam.gserviceaccount.com'],
      },
      agentPhoneNumber: null,
      publicUrl: 'https://loket.example.com',
    });
  });
});

describe('with LOKET_GOOGLE_AUTH=off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOKET_GOOGLE_AUTH: 'off' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts requests without credentials', async () => {
    const response = await post(
      `${server.url}/google/cx`,
      inSession(fixture('cx-free-text-nl'), 'auth-off'),
      {},
    );
    expect(response.status).toBe(200);
  });
});

const AUDIENCE = 'https://loket.example.com/google/cx';
const DIALOGFLOW_AGENT = 'service-123456789012@gcp-sa-dialogflow.iam.gserviceaccount.com';

describe('Google ID tokens', () => {
  const key = newSigningKey('google-key-1');
  const verify = idTokenVerifier({
    audiences: [AUDIENCE],
    serviceAccounts: [DIALOGFLOW_AGENT],
    certificates: async () => key.certificates,
  });
  const good = { aud: AUDIENCE, email: DIALOGFLOW_AGENT, email_verified: true };
  const now = Math.floor(Date.now() / 1000);

  it('accepts a token from the allowed service account for our audience', async () => {
    expect(await verify(signIdToken(key, good))).toEqual({ ok: true, email: DIALOGFLOW_AGENT });
  });

  it.each([
    ['wrong audience', { ...good, aud: 'https://elsewhere.example.com' }, 'wrong audience'],
    ['another issuer', { ...good, iss: 'https://evil.example.com' }, 'not issued by Google'],
    ['expired', { ...good, iat: now - 7200, exp: now - 3600 }, 'expired'],
    ['not yet valid', { ...good, iat: now + 3600, exp: now + 7200 }, 'not valid yet'],
    ['another service account', { ...good, email: 'someone@example.iam.gserviceaccount.com' }, 'not allowed'],
    ['an unverified e-mail', { ...good, email_verified: false }, 'e-mail not verified'],
    ['no e-mail', { aud: AUDIENCE }, 'no e-mail in token'],
  ])('rejects %s', async (_name, claims, reason) => {
    const verdict = await verify(signIdToken(key, claims));
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('rejects a token signed with another key, a tampered token, and garbage', async () => {
    const other = newSigningKey('google-key-1');
    expect(await verify(signIdToken(other, good))).toEqual({ ok: false, reason: 'bad signature' });
    const [header, , signature] = signIdToken(key, good).split('.');
    const forged = Buffer.from(JSON.stringify({ ...good, email: 'x@y.z', iat: now, exp: now + 60 })).toString(
      'base64url',
    );
    expect(await verify(`${header}.${forged}.${signature}`)).toEqual({ ok: false, reason: 'bad signature' });
    expect(await verify(signIdToken(newSigningKey('unknown-kid'), good))).toEqual({
      ok: false,
      reason: 'signed with an unknown key',
    });
    expect((await verify('a.b.c')).ok).toBe(false);
  });

  it('refuses, and does not crash, when the certificates cannot be fetched', async () => {
    const offline = idTokenVerifier({
      audiences: [AUDIENCE],
      serviceAccounts: [DIALOGFLOW_AGENT],
      certificates: async () => {
        throw new Error('getaddrinfo ENOTFOUND www.googleapis.com');
      },
    });
    expect(await offline(signIdToken(key, good))).toEqual({
      ok: false,
      reason: "could not fetch Google's signing certificates",
    });
  });

  describe('through HTTP', () => {
    let server: GoogleOnlyServer;
    beforeAll(async () => {
      server = await startGoogleOnlyServer(
        { LOKET_GOOGLE_AUDIENCE: AUDIENCE, LOKET_GOOGLE_SERVICE_ACCOUNTS: DIALOGFLOW_AGENT },
        async () => key.certificates,
      );
    });
    afterAll(async () => {
      await server?.close();
    });

    it('accepts the right token and refuses missing and wrong ones', async () => {
      const url = `${server.url}/google/cx`;
      const request = inSession(fixture('cx-free-text-nl'), 'auth-id-token');
      const right = await post(url, request, { authorization: `Bearer ${signIdToken(key, good)}` });
      expect(right.status).toBe(200);
      expectValid(CX_RESPONSE, right.json);
      expect((await post(url, request, {})).status).toBe(401);
      const wrong = await post(url, request, {
        authorization: `Bearer ${signIdToken(key, { ...good, aud: 'https://elsewhere.example.com' })}`,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.json.message).toBe(
        'ID token rejected: wrong audience (the token is for "https://elsewhere.example.com")',
      );
      // Without a secret configured, basic auth is never enough.
      expect((await post(url, request, basic('x', 'y'))).status).toBe(401);
    });
  });
});
