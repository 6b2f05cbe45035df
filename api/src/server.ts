import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`configuration error: ${(err as Error).message}\n`);
  process.exit(2);
}

const log = createLogger(config.logLevel);
const app = buildApp(config, { log });

try {
  await app.start();
} catch (err) {
  log.fatal({ err: err instanceof ConfigError ? err.message : err }, `start-up failed: ${(err as Error).message}`);
  await app.stop().catch(() => undefined);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'signal received');
    app.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
