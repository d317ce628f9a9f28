// Verifies the Google-signed ID token that Dialogflow CX sends when its webhook uses service agent auth (ID_TOKEN):
// signature against Google's certificates, issuer, audience, expiry, then the signer's e-mail and that it is verified.
// The checks follow https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
import { OAuth2Client } from 'google-auth-library';

/** Key id (the token header's `kid`) to PEM certificate or public key. */
export type Certificates = Record<string, string>;
export type CertificateSource = () => Promise<Certificates>;

export interface IdTokenPolicy {
  audiences: string[];
  serviceAccounts: string[];
  certificates: CertificateSource;
}

export type IdTokenVerdict = { ok: true; email: string } | { ok: false; reason: string };

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/**
 * Google's published signing certificates, fetched and cached (by the response's max-age) by google-auth-library.
 * Injectable, because tests run without network and sign their own tokens.
 */
export function googleCertificates(client = new OAuth2Client()): CertificateSource {
  return async () => (await client.getFederatedSignonCertsAsync()).certs as Certificates;
}

// google-auth-library's messages can carry the whole token or its payload: keep only a short, safe reason.
const REASONS: [RegExp, string][] = [
  [/^Wrong number of segments/, 'not a JWT'],
  [/^No pem found/, 'signed with an unknown key'],
  [/^Invalid token signature/, 'bad signature'],
  [/^No issue time|^iat field/, 'no issue time'],
  [/^No expiration time|^exp field/, 'no expiry'],
  [/^Expiration time too far/, 'lifetime too long'],
  [/^Token used too early/, 'not valid yet'],
  [/^Token used too late/, 'expired'],
  [/^Invalid issuer/, 'not issued by Google'],
  [/^Wrong recipient/, 'wrong audience'],
  [/^Can't parse token/, 'unreadable token'],
];

function shortReason(error: unknown, token: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'invalid token';
  // Which audience Dialogflow used is the one thing an operator needs to fix a wrong LOKET_GOOGLE_AUDIENCE.
  return reason === 'wrong audience' ? `${reason} (the token is for ${audienceOf(token)})` : reason;
}

function audienceOf(token: string): string {
  try {
    const { aud } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return JSON.stringify(aud).slice(0, 200);
  } catch {
    return 'an unreadable audience';
  }
}

export function idTokenVerifier(policy: IdTokenPolicy): (token: string) => Promise<IdTokenVerdict> {
  const client = new OAuth2Client();
  const allowed = new Set(policy.serviceAccounts.map((email) => email.toLowerCase()));
  return async (token) => {
    let certificates: Certificates;
    try {
      certificates = await policy.certificates();
    } catch {
      return { ok: false, reason: "could not fetch Google's signing certificates" };
    }
    try {
      const ticket = await client.verifySignedJwtWithCertsAsync(
        token,
        certificates,
        policy.audiences,
        GOOGLE_ISSUERS,
      );
      const payload = ticket.getPayload();
      const email = payload?.email?.toLowerCase();
      if (!email) return { ok: false, reason: 'no e-mail in token' };
      if (payload?.email_verified !== true) return { ok: false, reason: 'e-mail not verified' };
      if (!allowed.has(email)) return { ok: false, reason: `signer ${email} is not allowed` };
      return { ok: true, email };
    } catch (error) {
      return { ok: false, reason: shortReason(error, token) };
    }
  };
}
