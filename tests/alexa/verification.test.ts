// Signature and timestamp verification (on by default): unsigned, tampered and stale requests are refused with a
// 4xx and never reach the engine. Amazon's signing certificate cannot be used in a test, so the check of the
// signature over the raw body runs against a stand-in certificate placed in the verifier's cache.
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import { SkillRequestSignatureVerifier, TimestampVerifier } from 'ask-sdk-express-adapter';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alexaRouter } from '../../fulfillment/channels/alexa/router.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope, postAlexa, spoken } from './alexa-client.ts';

const AMAZON_CERT_URL = 'https://s3.amazonaws.com/echo.api/echo-api-cert.pem';

/** The adapter's own verifier, with a certificate already in its cache, so it checks the body without downloading. */
class StandInCertificateVerifier extends SkillRequestSignatureVerifier {
  constructor(publicKeyPem: string) {
    super();
    this.certCache.set(AMAZON_CERT_URL, publicKeyPem);
  }
}

const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signatureOf = (body: string, keys = signingKeys) =>
  sign('sha256', Buffer.from(body, 'utf8'), keys.privateKey).toString('base64');

let server: TestServer;
let standIn: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  // Default settings: verification on.
  server = await startTestServer();
  const app = express();
  const publicKeyPem = signingKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  app.use(
    '/alexa',
    alexaRouter(server.runtime, {
      verifiers: [new TimestampVerifier(), new StandInCertificateVerifier(publicKeyPem)],
    }),
  );
  const listening: Server = await new Promise((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const address = listening.address();
  standIn = {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () => new Promise<void>((resolve) => listening.close(() => resolve())),
  };
});
afterAll(async () => {
  await standIn?.close();
  await server?.close();
});

async function engineSaw(sessionId: string): Promise<boolean> {
  const session = await server.runtime.deps.sessions.load(sessionId);
  const transcript = await server.runtime.deps.records.listTranscript(sessionId);
  return session !== null || transcript.length > 0;
}

describe('verification on (the default)', () => {
  it('refuses a request without the Signature-256 and SignatureCertChainUrl headers', async () => {
    const reply = await postAlexa(server.url, envelope('launch-request', { sessionId: 'verify-missing' }));
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'verification-failed' });
    expect(reply.json.message).toMatch(/Missing Certificate/);
    expect(await engineSaw('verify-missing')).toBe(false);
  });

  it('refuses a stale request (timestamp older than 150 seconds)', async () => {
    const body = envelope('launch-request', { sessionId: 'verify-stale', fresh: false });
    expect(body.request.timestamp).toBe('2019-03-05T22:34:17Z');
    const reply = await postAlexa(server.url, body, {
      'Signature-256': signatureOf(JSON.stringify(body)),
      SignatureCertChainUrl: AMAZON_CERT_URL,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toMatch(/Timestamp verification failed/);
    expect(await engineSaw('verify-stale')).toBe(false);
  });

  it('refuses a signature whose certificate does not come from Amazon', async () => {
    const body = JSON.stringify(envelope('launch-request', { sessionId: 'verify-foreign' }));
    const reply = await postAlexa(server.url, body, {
      'Signature-256': signatureOf(body),
      SignatureCertChainUrl: 'https://evil.example.com/echo.api/echo-api-cert.pem',
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toMatch(/invalid host name/);
    expect(await engineSaw('verify-foreign')).toBe(false);
  });

  it('refuses a malformed body before anything else reads it', async () => {
    const reply = await postAlexa(server.url, '{"version": "1.0", "request": ', {
      'Signature-256': 'bm90IGEgc2lnbmF0dXJl',
      SignatureCertChainUrl: AMAZON_CERT_URL,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toBe('verification-failed');
  });
});

describe('the signature over the raw body (stand-in certificate)', () => {
  it('accepts a correctly signed request and answers it', async () => {
    const body = JSON.stringify(envelope('launch-request', { sessionId: 'verify-good' }));
    const reply = await postAlexa(standIn.url, body, {
      'Signature-256': signatureOf(body),
      SignatureCertChainUrl: AMAZON_CERT_URL,
    });
    expect(reply.status).toBe(200);
    expect(spoken(reply)).toMatch(/Polderlink/);
    expect(await engineSaw('verify-good')).toBe(true);
  });

  it('refuses a request signed with another key', async () => {
    const body = JSON.stringify(envelope('launch-request', { sessionId: 'verify-bad-signature' }));
    const reply = await postAlexa(standIn.url, body, {
      'Signature-256': signatureOf(body, otherKeys),
      SignatureCertChainUrl: AMAZON_CERT_URL,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toMatch(/signature does not match/);
    expect(await engineSaw('verify-bad-signature')).toBe(false);
  });

  it('refuses a body changed after it was signed', async () => {
    const signed = JSON.stringify(envelope('intent-request-order-status', { sessionId: 'verify-tampered' }));
    const tampered = signed.replace(/45123/g, '45124');
    expect(tampered).not.toBe(signed);
    const reply = await postAlexa(standIn.url, tampered, {
      'Signature-256': signatureOf(signed),
      SignatureCertChainUrl: AMAZON_CERT_URL,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toMatch(/signature does not match/);
    expect(await engineSaw('verify-tampered')).toBe(false);
  });

  it('checks the exact bytes: re-serialising the same JSON breaks the signature', async () => {
    const pretty = JSON.stringify(envelope('launch-request', { sessionId: 'verify-bytes' }), null, 2);
    const reply = await postAlexa(standIn.url, JSON.stringify(JSON.parse(pretty)), {
      'Signature-256': signatureOf(pretty),
      SignatureCertChainUrl: AMAZON_CERT_URL,
    });
    expect(reply.status).toBe(400);
    expect(await engineSaw('verify-bytes')).toBe(false);
  });
});
