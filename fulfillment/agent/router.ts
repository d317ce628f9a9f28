// The agent API at /agent: bearer-token agents list, read, accept and resolve handoffs, and follow changes live over
// Server-Sent Events. The console at /console is this API's first client (fulfillment/agent/console-router.ts).
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { HandoffPackage } from '../core/types.ts';
import type { HandoffUpdateResult } from '../handoff/desk.ts';
import { toListItem } from '../handoff/events.ts';
import type { Runtime } from '../server/runtime.ts';
import { acceptHandoff, MAX_NOTE_LENGTH, resolveHandoff } from './actions.ts';
import { streamHandoffEvents } from './event-stream.ts';
import type { Agent } from './settings.ts';

export { consoleRouter } from './console-router.ts';

const listQuerySchema = z.strictObject({
  status: z.enum(['waiting', 'accepted', 'resolved', 'expired', 'all']).default('all'),
  delivery: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const resolveBodySchema = z.strictObject({
  note: z.string().trim().min(1, 'write a short note on how it was resolved').max(MAX_NOTE_LENGTH),
});
/** how often open event streams check that the HTTP server is still accepting connections */
const SHUTDOWN_CHECK_MS = 1000;

type AgentResponse = Response<unknown, { agent: Agent }>;

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** The package as an agent gets it: everything but the caller pseudonym, which only links calls inside Loket. */
function forAgents(pkg: HandoffPackage): Omit<HandoffPackage, 'callerKey'> {
  const { callerKey: _callerKey, ...rest } = pkg;
  return rest;
}

function answerUpdate(response: Response, result: HandoffUpdateResult): void {
  if (result.ok) {
    response.json({ handoff: forAgents(result.handoff) });
    return;
  }
  response.status(result.status).json({ error: result.error, message: result.message });
}

export function agentRouter(runtime: Runtime): Router {
  const router = express.Router();
  const { handoffs, deps } = runtime;
  const { agents, desk, events, outbox } = handoffs;

  router.use((_request, response, next) => {
    // Packages hold personal data: no cache anywhere may keep a copy.
    response.set('cache-control', 'no-store');
    next();
  });

  router.use((request: Request, response: AgentResponse, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.get('authorization') ?? '');
    const agent = match?.[1] ? agents.identify(match[1]) : null;
    if (!agent) {
      response
        .status(401)
        .set('www-authenticate', `Bearer realm="loket-agents"${match ? ', error="invalid_token"' : ''}`)
        .json({
          error: 'unauthorized',
          message:
            agents.size === 0
              ? 'no agents are configured (LOKET_AGENT_TOKENS)'
              : 'a valid agent token is required',
        });
      return;
    }
    response.locals.agent = agent;
    next();
  });
  router.use(express.json({ limit: '16kb' }));

  const mayChange = (response: AgentResponse): boolean => {
    if (response.locals.agent.role !== 'viewer') return true;
    response
      .status(403)
      .json({ error: 'forbidden', message: `${response.locals.agent.name} may only read handoffs` });
    return false;
  };

  router.get('/me', (_request, response: AgentResponse) => {
    response.json({
      name: response.locals.agent.name,
      role: response.locals.agent.role,
      webhook: outbox !== null,
    });
  });

  router.get('/handoffs', async (request, response) => {
    const parsed = listQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      response.status(400).json({ error: 'invalid-query', message: issues(parsed.error) });
      return;
    }
    const { status, delivery, limit } = parsed.data;
    const list = await deps.records.listHandoffs({ ...(status === 'all' ? {} : { status }), limit });
    const shown = delivery ? list.filter((pkg) => pkg.delivery?.state === delivery) : list;
    response.json({ handoffs: shown.map(toListItem) });
  });

  router.get('/handoffs/by-code/:code', async (request, response) => {
    // Codes are spoken and written in groups ("482 913"): spaces and dashes do not matter.
    const code = String(request.params.code).replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(code)) {
      response.status(400).json({ error: 'invalid-code', message: 'a handoff code is 6 digits' });
      return;
    }
    const pkg = await deps.records.getHandoffByCode(code);
    if (!pkg) {
      response.status(404).json({ error: 'not-found', message: `no handoff with code ${code}` });
      return;
    }
    response.json({ handoff: forAgents(pkg) });
  });

  router.get('/handoffs/:id', async (request, response) => {
    const pkg = await deps.records.getHandoff(String(request.params.id));
    if (!pkg) {
      response.status(404).json({ error: 'not-found', message: `no handoff ${request.params.id}` });
      return;
    }
    response.json({ handoff: forAgents(pkg) });
  });

  router.post('/handoffs/:id/accept', async (request, response: AgentResponse) => {
    if (!mayChange(response)) return;
    const change = acceptHandoff(response.locals.agent, deps.clock());
    answerUpdate(response, await desk.update(String(request.params.id), change, 'agent'));
  });

  router.post('/handoffs/:id/resolve', async (request, response: AgentResponse) => {
    if (!mayChange(response)) return;
    const body = resolveBodySchema.safeParse(request.body ?? {});
    if (!body.success) {
      response.status(400).json({ error: 'invalid-request', message: issues(body.error) });
      return;
    }
    const change = resolveHandoff(response.locals.agent, body.data.note, deps.clock());
    answerUpdate(response, await desk.update(String(request.params.id), change, 'agent'));
  });

  router.post('/handoffs/:id/redeliver', async (request, response: AgentResponse) => {
    if (response.locals.agent.role !== 'supervisor') {
      response
        .status(403)
        .json({ error: 'forbidden', message: 'only a supervisor may retry a webhook delivery' });
      return;
    }
    if (!outbox) {
      response.status(409).json({ error: 'no-webhook', message: 'no contact-centre webhook is configured' });
      return;
    }
    answerUpdate(response, await outbox.redeliver(String(request.params.id)));
  });

  // Open event streams end when Loket shuts down: at runtime close, or as soon as the HTTP server stops listening
  // (server.close() waits for open connections, and an event stream never ends by itself).
  const streams = new Map<() => void, Server | undefined>();
  handoffs.onClose(() => {
    for (const end of [...streams.keys()]) end();
  });
  const shutdownCheck = setInterval(() => {
    for (const [end, server] of [...streams]) if (server && !server.listening) end();
  }, SHUTDOWN_CHECK_MS);
  shutdownCheck.unref();
  handoffs.onClose(() => clearInterval(shutdownCheck));

  router.get('/events', (request, response) => {
    const server = (request.socket as { server?: Server }).server;
    const end = streamHandoffEvents(request, response, {
      events,
      heartbeatMs: handoffs.settings.LOKET_AGENT_HEARTBEAT_MS,
      onEnd: () => streams.delete(end),
    });
    streams.set(end, server);
  });

  router.use((request, response) => {
    response
      .status(404)
      .json({ error: 'not-found', message: `no agent route for ${request.method} ${request.path}` });
  });
  return router;
}
