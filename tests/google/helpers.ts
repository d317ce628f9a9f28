// Shared pieces of the Google channel tests: fixtures as Dialogflow sends them, posting with credentials, checking
// every response against Google's protos, and a Google-style ID token signed with a local key.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { expect } from 'vitest';
import { googleRouter } from '../../fulfillment/channels/google/router.ts';
import { readSettings } from '../../fulfillment/config/settings.ts';
import { type Runtime, startRuntime } from '../../fulfillment/server/runtime.ts';
import { protoProblems } from './proto-check.ts';

export const SECRET = 'test-secret-0123456789abcdef';
export const AGENT_NUMBER = '+31201234567';
export const BEARER = { authorization: `Bearer ${SECRET}` };

export const CX_RESPONSE = 'google.cloud.dialogflow.cx.v3.WebhookResponse';
export const CX_REQUEST = 'google.cloud.dialogflow.cx.v3.WebhookRequest';
export const ES_RESPONSE = 'google.cloud.dialogflow.v2.WebhookResponse';
export const ES_BETA_RESPONSE = 'google.cloud.dialogflow.v2beta1.WebhookResponse';
export const ES_REQUEST = 'google.cloud.dialogflow.v2.WebhookRequest';

export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8'));
}

/** The same request in a session of its own, so tests do not share conversation state. */
export function inSession(request: any, sessionId: string): any {
  const copy = structuredClone(request);
  if (copy.sessionInfo) copy.sessionInfo.session = copy.sessionInfo.session.replace(/[^/]+$/, sessionId);
  if (typeof copy.session === 'string') {
    const old = copy.session;
    copy.session = old.replace(/[^/]+$/, sessionId);
    for (const context of copy.queryResult?.outputContexts ?? []) {
      context.name = context.name.replace(old, copy.session);
    }
  }
  return copy;
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = BEARER,
): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Fails the test on any field Dialogflow would not accept or would silently drop. */
export function expectValid(typeName: string, json: unknown): void {
  expect(protoProblems(typeName, json, { rejectOutputOnly: true }), typeName).toEqual([]);
}

/** The messages of a CX response, by kind. */
export function cxMessages(json: any) {
  const messages: any[] = json.fulfillmentResponse.messages;
  return {
    text: messages.find((message) => message.text)?.text.text.join(' ') as string | undefined,
    ssml: messages.find((message) => message.outputAudioText)?.outputAudioText.ssml as string | undefined,
    handoff: messages.find((message) => message.liveAgentHandoff)?.liveAgentHandoff.metadata,
    transfer: messages.find((message) => message.telephonyTransferCall)?.telephonyTransferCall.phoneNumber,
  };
}

export interface GoogleOnlyServer {
  url: string;
  runtime: Runtime;
  close: () => Promise<void>;
}

/**
 * The real runtime and the real Google router, mounted on its own, with an injected certificate source: the only
 * way to test ID tokens without Google's network.
 */
export async function startGoogleOnlyServer(
  env: Record<string, string>,
  certificates: () => Promise<Record<string, string>>,
): Promise<GoogleOnlyServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-google-'));
  const settings = { ...readSettings({ LOG_LEVEL: 'error', ...env }), dataDir };
  const runtime = await startRuntime(settings, { logger: pino({ level: 'error' }) });
  const app = express();
  app.use('/google', googleRouter(runtime, { certificates }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  /** what Google's certificate endpoint would give for this key: kid -> PEM */
  certificates: Record<string, string>;
}

export function newSigningKey(kid = 'loket-test-key'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificates: { [kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  };
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An RS256 JWT shaped like the ID token Google issues to a service account. */
export function signIdToken(key: SigningKey, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: 'https://accounts.google.com',
      sub: '104729358112233445566',
      iat: now - 10,
      exp: now + 3600,
      ...claims,
    }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${base64url(signer.sign(key.privateKeyPem))}`;
}
