// The text channel: POST /v1/converse, the plain JSON API for tests, web chat and other gateways.
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { z } from 'zod';
import { type TurnResult, takeTurn } from '../../conversation/take-turn.ts';
import type { Turn } from '../../core/types.ts';
import { recordWebhookFailure, requestFailureReasonOf } from '../../observability/metrics.ts';
import { callerRateLimiter, tooManyRequests } from '../../server/rate-limit.ts';
import type { Runtime } from '../../server/runtime.ts';

export const converseRequestSchema = z
  .strictObject({
    sessionId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9._:@-]+$/, 'use letters, digits and . _ : @ - only'),
    locale: z.string().min(2).max(20),
    text: z.string().max(2000, 'at most 2000 characters').optional(),
    event: z.enum(['launch', 'no-input', 'end']).optional(),
    dtmf: z
      .string()
      .regex(/^[0-9*#]{1,32}$/, 'digits, * and # only')
      .optional(),
    callerId: z.string().max(32).optional(),
  })
  .refine((body) => [body.text, body.event, body.dtmf].filter((value) => value !== undefined).length === 1, {
    message: 'give exactly one of text, event or dtmf',
  });

export type ConverseRequest = z.infer<typeof converseRequestSchema>;

export function converseResponse(result: TurnResult, sessionId: string) {
  const { handoff } = result;
  return {
    sessionId,
    reply: { text: result.text, ssml: result.ssml },
    understood: result.understood,
    expecting: result.reply.expecting,
    handoff: handoff
      ? {
          id: handoff.id,
          code: handoff.code,
          reason: handoff.reason,
          queue: handoff.queue,
          summary: handoff.summary,
          status: handoff.status,
        }
      : null,
    ended: result.reply.end,
  };
}

export function turnFromConverse(body: ConverseRequest): Turn {
  const input: Turn['input'] =
    body.text !== undefined
      ? { type: 'text', text: body.text }
      : body.dtmf !== undefined
        ? { type: 'dtmf', digits: body.dtmf }
        : body.event === 'launch'
          ? { type: 'launch' }
          : body.event === 'no-input'
            ? { type: 'no-input' }
            : { type: 'end' };
  return {
    turnId: randomUUID(),
    channel: 'text',
    sessionId: body.sessionId,
    locale: body.locale,
    ...(body.callerId ? { callerId: body.callerId } : {}),
    input,
    capabilities: {
      ssmlDialect: 'generic',
      canTransfer: false,
      progressiveResponse: false,
      screen: true,
      dtmf: true,
    },
  };
}

/** Case-insensitive match of a requested locale ("nl-nl", "nl") onto the model's locales. */
export function matchLocale(requested: string, supported: readonly string[]): string | null {
  const lower = requested.toLowerCase();
  return (
    supported.find((locale) => locale.toLowerCase() === lower) ??
    supported.find((locale) => locale.toLowerCase().split('-')[0] === lower) ??
    null
  );
}

export function converseRouter(runtime: Runtime): Router {
  const router = express.Router();
  router.use(express.json({ limit: runtime.settings.LOKET_MAX_BODY_BYTES, strict: true, type: () => true }));
  const perCaller = callerRateLimiter(runtime);
  router.post('/', async (request, response) => {
    const parsed = converseRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      recordWebhookFailure(runtime.metrics, 'text', 'invalid-request');
      response.status(400).json({
        error: 'invalid-request',
        message: parsed.error.issues
          .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
          .join('; '),
      });
      return;
    }
    if (parsed.data.callerId) {
      const taken = perCaller.take(`caller:${parsed.data.callerId}`);
      if (!taken.ok) {
        recordWebhookFailure(runtime.metrics, 'text', 'rate-limited');
        tooManyRequests(response, taken.retryAfterSeconds, 'caller id');
        return;
      }
    }
    const supported = runtime.locales();
    const locale = matchLocale(parsed.data.locale, supported);
    if (!locale) {
      recordWebhookFailure(runtime.metrics, 'text', 'unknown-locale');
      response.status(400).json({
        error: 'unknown-locale',
        message: `unknown locale '${parsed.data.locale}'; supported: ${supported.join(', ')}`,
        supported,
      });
      return;
    }
    const turn = turnFromConverse({ ...parsed.data, locale });
    const result = await takeTurn(runtime.deps, turn);
    response.json(converseResponse(result, turn.sessionId));
  });
  // Malformed JSON and oversized bodies (from the body parser) and failed turns end here: count them, then let the
  // app's error handler answer (503 with Retry-After when the session store is down, see app.ts).
  router.use(((error, _request, _response, next) => {
    recordWebhookFailure(runtime.metrics, 'text', requestFailureReasonOf(error));
    next(error);
  }) satisfies ErrorRequestHandler);
  return router;
}
