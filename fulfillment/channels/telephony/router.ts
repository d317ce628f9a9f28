// PLACEHOLDER until issue 5 lands: the phone line's Twilio-compatible webhooks. Answers 501 so nothing pretends to work.
import express, { type Router } from 'express';
import type { Runtime } from '../../server/runtime.ts';

export function telephonyRouter(_runtime: Runtime): Router {
  const router = express.Router();
  router.all('/{*rest}', (_request, response) => {
    response.status(501).json({ error: 'not-implemented', message: 'the phone line is not built yet' });
  });
  return router;
}
