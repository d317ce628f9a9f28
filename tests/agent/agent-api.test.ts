// The agent API through real HTTP: bearer tokens and roles, listing and reading packages, accept and resolve with
// their refusals, concurrent accepts, and a corrupt stored package that does not take the queue down.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgentDirectory } from '../../fulfillment/agent/settings.ts';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

const TOKENS = {
  sanne: 'sanne-token-0123456789abcdef',
  piet: 'piet-token-0123456789abcdef',
  chef: 'chef-token-0123456789abcdef',
  wand: 'wand-token-0123456789abcdef',
};
let server: TestServer;
let sessionCounter = 0;

function api(path: string, token: string | null, init: RequestInit = {}) {
  return fetch(`${server.url}/agent${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
}

async function json(path: string, token: string | null, init: RequestInit = {}) {
  const response = await api(path, token, init);
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

/** A complaint through the text API: a waiting handoff, its id and code. */
async function complaint(extra: Record<string, string> = {}): Promise<{ id: string; code: string }> {
  sessionCounter += 1;
  // A caller is recognised by their number when the call starts.
  if (extra.callerId) {
    await converse(server.url, {
      sessionId: `agent-api-${sessionCounter}`,
      locale: 'nl-NL',
      event: 'launch',
      ...extra,
    });
  }
  const { json: reply } = await converse(server.url, {
    sessionId: `agent-api-${sessionCounter}`,
    locale: 'nl-NL',
    text: 'ik wil een klacht indienen over de monteur',
    ...extra,
  });
  expect(reply.handoff).toMatchObject({ reason: 'policy', status: 'waiting' });
  return { id: reply.handoff.id, code: reply.handoff.code };
}

const post = (body: unknown = {}) => ({ method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  server = await startTestServer({
    LOKET_AGENT_TOKENS: `sanne:${TOKENS.sanne}, piet:${TOKENS.piet}:agent, chef:${TOKENS.chef}:supervisor, wand:${TOKENS.wand}:viewer`,
  });
});
afterAll(async () => {
  await server?.close();
});

describe('agent tokens', () => {
  it('answers 401 without a token and with an unknown one, and tells who is signed in', async () => {
    const none = await json('/handoffs', null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="loket-agents"');
    const wrong = await json('/handoffs', 'not-a-known-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await api('/events', null)).status).toBe(401);
    expect(await json('/me', TOKENS.chef)).toMatchObject({
      status: 200,
      body: { name: 'chef', role: 'supervisor' },
    });
    expect((await api('/me', TOKENS.sanne)).headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a bad LOKET_AGENT_TOKENS with one line per problem, never echoing a token', () => {
    let caught: unknown;
    try {
      readAgentDirectory({
        LOKET_AGENT_TOKENS:
          'ok:abcdefghijklmnop1234,short:abc,bad name:abcdefghijklmnop1234,x:abcdefghijklmnop9999:boss,ok:zzzzzzzzzzzzzzzzzzzz',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const problems = (caught as SettingsError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/entry 2 \(short\): the token must be at least 16 characters/),
      expect.stringMatching(/entry 3 \(bad name\): the name must be/),
      expect.stringMatching(/entry 4 \(x\): role must be one of viewer, agent, supervisor \(got "boss"\)/),
      expect.stringMatching(/entry 5 \(ok\): the name is used twice/),
    ]);
    expect(problems.join('\n')).not.toContain('abcdefghijklmnop');
    expect(readAgentDirectory({}).size).toBe(0);
  });
});

describe('reading handoffs', () => {
  it('lists waiting packages without their transcripts, and reads one by id and by its spoken code', async () => {
    const { id, code } = await complaint({ callerId: '+31612345678' });
    const list = await json('/handoffs?status=waiting', TOKENS.wand);
    expect(list.status).toBe(200);
    const item = list.body.handoffs.find((entry: any) => entry.id === id);
    expect(item).toMatchObject({ code, status: 'waiting', queue: 'complaints', channel: 'text' });
    expect(item.transcript).toBeUndefined();
    expect(item.transcriptLength).toBeGreaterThan(0);
    expect(item.callerKey).toBeUndefined();

    const byId = await json(`/handoffs/${id}`, TOKENS.wand);
    expect(byId.body.handoff).toMatchObject({ id, code, customer: { name: 'Jan de Vries', verified: true } });
    expect(byId.body.handoff.summary).toMatch(/^Klant wil een klacht indienen; identiteit gecontroleerd;/);
    expect(byId.body.handoff.transcript[0]).toMatchObject({ speaker: 'customer' });
    expect(byId.body.handoff.callerKey).toBeUndefined();
    expect(JSON.stringify(byId.body.handoff)).not.toContain('612345678');

    const spaced = await json(`/handoffs/by-code/${code.slice(0, 3)}%20${code.slice(3)}`, TOKENS.sanne);
    expect(spaced.body.handoff.id).toBe(id);
  });

  it('answers 404 for an unknown id or code, and 400 for a bad code or query', async () => {
    expect((await json('/handoffs/nope', TOKENS.sanne)).status).toBe(404);
    expect((await json('/handoffs/by-code/999999', TOKENS.sanne)).status).toBe(404);
    expect(await json('/handoffs/by-code/12ab', TOKENS.sanne)).toMatchObject({
      status: 400,
      body: { error: 'invalid-code' },
    });
    expect(await json('/handoffs?status=lost', TOKENS.sanne)).toMatchObject({
      status: 400,
      body: { error: 'invalid-query' },
    });
    expect((await json('/nothing-here', TOKENS.sanne)).status).toBe(404);
  });
});

describe('accept and resolve', () => {
  it('lets an agent accept a waiting handoff and resolve it with a note; the note is masked', async () => {
    const { id } = await complaint();
    const accepted = await json(`/handoffs/${id}/accept`, TOKENS.sanne, post());
    expect(accepted.status).toBe(200);
    expect(accepted.body.handoff).toMatchObject({ status: 'accepted', agent: { acceptedBy: 'sanne' } });
    // Pressing accept twice is harmless.
    expect((await json(`/handoffs/${id}/accept`, TOKENS.sanne, post())).status).toBe(200);

    expect(await json(`/handoffs/${id}/resolve`, TOKENS.sanne, post({}))).toMatchObject({
      status: 400,
      body: { error: 'invalid-request' },
    });
    const resolved = await json(
      `/handoffs/${id}/resolve`,
      TOKENS.sanne,
      post({ note: 'Klacht doorgezet, klant teruggebeld op 06 12345678.' }),
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.handoff).toMatchObject({
      status: 'resolved',
      agent: {
        acceptedBy: 'sanne',
        resolvedBy: 'sanne',
        note: 'Klacht doorgezet, klant teruggebeld op [phone].',
      },
    });
    expect(await json(`/handoffs/${id}/resolve`, TOKENS.sanne, post({ note: 'nog eens' }))).toMatchObject({
      status: 409,
      body: { error: 'already-resolved' },
    });
    expect((await json(`/handoffs/${id}`, TOKENS.wand)).body.handoff.status).toBe('resolved');
  });

  it('gives 403 to a read-only viewer and to an agent resolving a colleague’s customer; 409 to a second accept', async () => {
    const { id } = await complaint();
    expect(await json(`/handoffs/${id}/accept`, TOKENS.wand, post())).toMatchObject({
      status: 403,
      body: { error: 'forbidden' },
    });
    expect((await json(`/handoffs/${id}/resolve`, TOKENS.sanne, post({ note: 'klaar' }))).body.error).toBe(
      'not-accepted',
    );
    expect((await json(`/handoffs/${id}/accept`, TOKENS.sanne, post())).status).toBe(200);
    expect(await json(`/handoffs/${id}/accept`, TOKENS.piet, post())).toMatchObject({
      status: 409,
      body: { error: 'already-accepted', message: 'already accepted by sanne' },
    });
    expect(await json(`/handoffs/${id}/resolve`, TOKENS.piet, post({ note: 'klaar' }))).toMatchObject({
      status: 403,
      body: { error: 'not-yours' },
    });
    expect((await json(`/handoffs/${id}/resolve`, TOKENS.wand, post({ note: 'klaar' }))).status).toBe(403);
    // A supervisor may close a colleague's customer (a shift ends, a duplicate).
    const closed = await json(`/handoffs/${id}/resolve`, TOKENS.chef, post({ note: 'dubbel' }));
    expect(closed.body.handoff.agent).toMatchObject({ acceptedBy: 'sanne', resolvedBy: 'chef' });
    expect((await json('/handoffs/nope/accept', TOKENS.sanne, post())).status).toBe(404);
  });

  it('gives one handoff to exactly one of two agents accepting at the same moment', async () => {
    const { id } = await complaint();
    const results = await Promise.all([
      json(`/handoffs/${id}/accept`, TOKENS.sanne, post()),
      json(`/handoffs/${id}/accept`, TOKENS.piet, post()),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
  });

  it('answers malformed JSON with 400', async () => {
    const { id } = await complaint();
    await json(`/handoffs/${id}/accept`, TOKENS.sanne, post());
    const response = await api(`/handoffs/${id}/resolve`, TOKENS.sanne, { method: 'POST', body: '{"note":' });
    expect(response.status).toBe(400);
  });

  it('only lets a supervisor retry a webhook delivery, and says when there is no webhook', async () => {
    const { id } = await complaint();
    expect((await json(`/handoffs/${id}/redeliver`, TOKENS.sanne, post())).status).toBe(403);
    expect(await json(`/handoffs/${id}/redeliver`, TOKENS.chef, post())).toMatchObject({
      status: 409,
      body: { error: 'no-webhook' },
    });
  });
});

describe('a corrupt stored package', () => {
  it('is left out of the list instead of breaking the queue; reading it says something went wrong', async () => {
    const good = await complaint();
    const bad = await complaint();
    const file = `${server.runtime.settings.dataDir}/records.db`;
    const db = new Database(file);
    db.prepare('UPDATE handoffs SET package = ? WHERE id = ?').run('{"id":"broken"', bad.id);
    db.close();
    const list = await json('/handoffs?status=waiting', TOKENS.sanne);
    expect(list.status).toBe(200);
    const ids = list.body.handoffs.map((entry: any) => entry.id);
    expect(ids).toContain(good.id);
    expect(ids).not.toContain(bad.id);
    expect((await json(`/handoffs/${bad.id}`, TOKENS.sanne)).status).toBe(500);
  });
});

describe('without any agents configured', () => {
  it('refuses everyone with 401 and says why', async () => {
    const closed = await startTestServer({});
    try {
      const response = await fetch(`${closed.url}/agent/handoffs`, {
        headers: { authorization: 'Bearer whatever-token-1234567' },
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(/LOKET_AGENT_TOKENS/);
    } finally {
      await closed.close();
    }
  });
});
