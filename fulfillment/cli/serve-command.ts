// `loket serve`: start the HTTP server, and stop it gracefully on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import { readSettings } from '../config/settings.ts';
import { createLogger } from '../observability/logger.ts';
import { createApp } from '../server/app.ts';
import { ModelError, startRuntime } from '../server/runtime.ts';
import { attachUpgrades } from '../server/upgrades.ts';

export async function serve(options: { watch: boolean }): Promise<void> {
  const settings = readSettings();
  // Personal data is masked in every log line (fulfillment/observability/logger.ts).
  const logger = createLogger({ level: settings.LOG_LEVEL });
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
    // /readyz answers 503 from now on; with a shutdown delay the listener stays open that long, so the load
    // balancer notices and stops sending new requests before connections are refused.
    runtime.startDraining();
    const delayMs = runtime.operations.shutdownDelayMs;
    logger.info({ signal, delayMs }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      server.close(async () => {
        await runtime.close();
        logger.info('stopped');
        process.exit(0);
      });
      server.closeIdleConnections();
      setTimeout(() => process.exit(1), 10_000).unref();
    }, delayMs);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
