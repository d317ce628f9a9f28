// PLACEHOLDER until issue 3 lands: the Alexa skill endpoint. Answers 501 so nothing pretends to work.
import express, { type Router } from 'express';
import type { Runtime } from '../../server/runtime.ts';

export function alexaRouter(_runtime: Runtime): Router {
  const router = express.Router();
  router.all('/', (_request, response) => {
    response.status(501).json({ error: 'not-implemented', message: 'the Alexa channel is not built yet' });
  });
  return router;
}
