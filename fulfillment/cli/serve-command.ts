// `loket serve`: start the HTTP server, and stop it gracefully on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { readSettings } from '../config/settings.ts';
import { createApp } from '../server/app.ts';
import { ModelError, startRuntime } from '../server/runtime.ts';
import { attachUpgrades } from '../server/upgrades.ts';

export async function serve(options: { watch: boolean }): Promise<void> {
  const settings = readSettings();
  const logger = pino({ level: settings.LOG_LEVEL });
  let runtime: Awaited<ReturnType<typeof startRuntime>>;
  try {
    runtime = await startRuntime(settings, { logger, watch: options.watch });
  } catch (error) {
    if (error instanceof ModelError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = createApp(runtime);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(settings.PORT, settings.HOST, () => resolve(listening));
  });
  attachUpgrades(server, runtime);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  logger.info(
    {
      port,
      dataDir: settings.dataDir,
      sessions: settings.REDIS_URL ? 'redis' : 'sqlite',
      watch: options.watch,
    },
    `Loket is serving on http://localhost:${port}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close(async () => {
      await runtime.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
