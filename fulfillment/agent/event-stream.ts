// GET /agent/events: Server-Sent Events for new and changed handoffs. A comment line every heartbeat keeps proxies
// from closing a quiet stream; a closed connection unsubscribes at once.
// https://html.spec.whatwg.org/multipage/server-sent-events.html
import type { Request, Response } from 'express';
import type { HandoffEventBus } from '../handoff/events.ts';

export interface EventStreamOptions {
  events: HandoffEventBus;
  heartbeatMs: number;
  /** called once when the stream ends, whoever ended it */
  onEnd?: () => void;
}

/** Returns a function that ends the stream from the server side (shutdown). */
export function streamHandoffEvents(
  request: Request,
  response: Response,
  options: EventStreamOptions,
): () => void {
  response.status(200);
  response.set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // The connection is the stream: when the stream ends (shutdown), the socket goes too, instead of idling in a
    // keep-alive pool that a closing server would wait for.
    connection: 'close',
    // nginx buffers responses by default, which would hold events back until the buffer fills.
    'x-accel-buffering': 'no',
  });
  response.flushHeaders();
  // `retry` tells EventSource how long to wait before reconnecting; `ready` says the subscription is in place, so a
  // client that loads the list after it cannot miss a change made in between.
  response.write('retry: 3000\n\n');

  let sequence = 0;
  let ended = false;
  const unsubscribe = options.events.subscribe((event) => {
    if (ended) return;
    sequence += 1;
    response.write(`id: ${sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  response.write(`event: ready\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
  const heartbeat = setInterval(() => {
    response.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, options.heartbeatMs);

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    options.onEnd?.();
  };
  request.on('close', end);
  response.on('close', end);
  return () => {
    end();
    response.end();
  };
}
