// PLACEHOLDER until issue 4 lands: the Dialogflow CX and ES webhooks. Answers 501 so nothing pretends to work.
import express, { type Router } from 'express';
import type { Runtime } from '../../server/runtime.ts';

export function googleRouter(_runtime: Runtime): Router {
  const router = express.Router();
  router.all(['/cx', '/es'], (_request, response) => {
    response
      .status(501)
      .json({ error: 'not-implemented', message: 'the Dialogflow channel is not built yet' });
  });
  return router;
}
