// `pnpm db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db.js';
import { createLogger } from '../logger.js';

try {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  log.info({ database: database.kind }, 'migrations are up to date');
  await database.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(
    `${err instanceof ConfigError ? 'configuration error' : 'migration failed'}: ${(err as Error).message}\n`,
  );
  process.exit(1);
}
