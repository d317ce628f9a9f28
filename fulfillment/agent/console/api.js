// The console's calls to the agent API (relative to /console/, so ../agent/...). The event stream is read with
// fetch rather than EventSource, because EventSource cannot send the Authorization header and a token in the URL
// would end up in logs.

const API = new URL('../agent/', document.baseURI);

export class ApiError extends Error {
  constructor(status, error, message) {
    super(message || error || `HTTP ${status}`);
    this.status = status;
    this.error = error;
  }
}

export async function call(token, path, { method = 'GET', body } = {}) {
  const response = await fetch(new URL(path, API), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, json.error, json.message);
  return json;
}

/** Parses one `event:`/`data:` block of a Server-Sent Events stream; comments (heartbeats) give null. */
function parseBlock(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { type, data: data.join('\n') } : null;
}

/**
 * Follows /agent/events until `signal` aborts, reconnecting after a dropped connection (3 s, then up to 30 s).
 * onReady runs on every (re)connect, once the subscription is in place: the moment to load the list.
 */
export async function followEvents(token, { onEvent, onReady, onDisconnect, onUnauthorized, signal }) {
  let delay = 3000;
  while (!signal.aborted) {
    try {
      const response = await fetch(new URL('events', API), {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        cache: 'no-store',
        signal,
      });
      if (response.status === 401) {
        onUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new ApiError(response.status);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const event = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event?.type === 'ready') {
            delay = 3000;
            onReady();
          } else if (event) onEvent(event.type, JSON.parse(event.data));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      console.warn('agent event stream:', error.message);
    }
    if (signal.aborted) return;
    onDisconnect();
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30_000);
  }
}
