// A slow backend call is noticed once per turn (for progressive responses); a fast one never.
import { describe, expect, it } from 'vitest';
import { turnFromConverse } from '../../fulfillment/channels/converse/router.ts';
import { withLatency } from '../../fulfillment/conversation/slow-backend.ts';
import { takeTurn } from '../../fulfillment/conversation/take-turn.ts';
import { startTestServer } from '../helpers/server.ts';

describe('slow backend calls', () => {
  it('calls onSlowBackend once when a lookup takes longer than the limit, and not when it is quick', async () => {
    const server = await startTestServer();
    try {
      const fast = server.runtime.deps;
      const slow = { ...fast, backend: withLatency(fast.backend, 120) };
      const turn = (sessionId: string, text: string) =>
        turnFromConverse({ sessionId, locale: 'nl-NL', text });

      let quickNotices = 0;
      await takeTurn(fast, turn('slow-1', 'waar blijft mijn bestelling'));
      const quick = await takeTurn(fast, turn('slow-1', '45123'), {
        onSlowBackend: () => quickNotices++,
        slowAfterMs: 60,
      });
      expect(quick.text).toMatch(/PostNL/);
      expect(quickNotices).toBe(0);

      let slowNotices = 0;
      await takeTurn(slow, turn('slow-2', 'waar blijft mijn bestelling'));
      const started = Date.now();
      const answered = await takeTurn(slow, turn('slow-2', '45123'), {
        onSlowBackend: () => slowNotices++,
        slowAfterMs: 60,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(120);
      expect(answered.text).toMatch(/PostNL/);
      expect(slowNotices).toBe(1);
    } finally {
      await server.close();
    }
  });
});
