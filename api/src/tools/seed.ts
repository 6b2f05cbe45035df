// `pnpm db:seed`: migrates, then seeds the demo data set if the database is empty; prints the demo logins once.
import { loadConfig } from '../config.js';
import { openDatabase } from '../db.js';
import { createLogger } from '../logger.js';
import { ensureReferenceData } from '../modules/reference/reference.service.js';
import { seedDemoDataIfEmpty } from '../modules/seed/demo.js';
// Registers every module's ticket hooks (routing, SLA clocks, ownership, mail), exactly as the server does.
import '../schema.js';

const config = loadConfig();
const log = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
try {
  await ensureReferenceData(database.prisma);
  const seeded = await seedDemoDataIfEmpty(database.prisma, log);
  if (!seeded) {
    process.stdout.write('The database already has data; nothing seeded.\n');
  } else {
    process.stdout.write('Demo data seeded. Log in as:\n');
    for (const c of seeded.credentials) process.stdout.write(`  ${c.role.padEnd(9)} ${c.email} / ${c.password}\n`);
    process.stdout.write(`Wallboard token (shown once): ${seeded.wallboardToken}\n`);
  }
} finally {
  await database.close();
}
process.exit(0);
