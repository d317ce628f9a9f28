// Closing an ioredis client without hanging, shared by every Redis connection Loket opens (sessions, handoff events).
import type { Redis } from 'ioredis';

export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    // Never connected (or reconnecting): QUIT would wait for a connection that may not come.
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
