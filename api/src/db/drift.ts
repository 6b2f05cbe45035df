// Guards against editing prisma/schema.prisma without adding a migration: replays the migrations on a
// throw-away PGlite and asks Prisma's engine what is still missing.
import { readFile } from 'node:fs/promises';
import { createMigration } from './schema-engine.js';

/** The SQL a new migration would need for the migrations to match the schema; null when in sync. */
export async function detectDrift(schemaPath: string, migrationsDir: string): Promise<string | null> {
  const schema = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
  const migration = await createMigration(schema, migrationsDir, 'drift');
  return migration?.sql ?? null;
}
