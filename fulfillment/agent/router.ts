// PLACEHOLDER until issue 6 lands: the agent API and console. Answers 501 so nothing pretends to work.
import express, { type Router } from 'express';
import type { Runtime } from '../server/runtime.ts';

export function agentRouter(_runtime: Runtime): Router {
  const router = express.Router();
  router.all('/{*rest}', (_request, response) => {
    response.status(501).json({ error: 'not-implemented', message: 'the agent API is not built yet' });
  });
  return router;
}

export function consoleRouter(_runtime: Runtime): Router {
  const router = express.Router();
  router.all('/{*rest}', (_request, response) => {
    response.status(501).type('text/plain').send('the agent console is not built yet');
  });
  return router;
}
