import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDrift } from './drift.js';

const prismaDir = fileURLToPath(new URL('../../../prisma/', import.meta.url));
const schemaPath = path.join(prismaDir, 'schema.prisma');
const migrationsDir = path.join(prismaDir, 'migrations');

// Each check boots the WASM schema engine and two in-memory PGlite databases (~6 s).
const ENGINE_TIMEOUT = 120_000;

describe('schema drift', () => {
  const tmpDirs: string[] = [];
  afterAll(() => Promise.all(tmpDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it(
    'prisma/schema.prisma matches prisma/migrations (else: pnpm db:migration:new <name>)',
    async () => {
      expect(await detectDrift(schemaPath, migrationsDir)).toBeNull();
    },
    ENGINE_TIMEOUT,
  );

  it(
    'notices a schema edit that has no migration',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'itsm-drift-'));
      tmpDirs.push(dir);
      const edited = path.join(dir, 'schema.prisma');
      const schema = await readFile(schemaPath, 'utf8');
      await writeFile(edited, `${schema}\nmodel DriftProbe {\n  id Int @id\n}\n`);

      const sql = await detectDrift(edited, migrationsDir);

      expect(sql).toContain('CREATE TABLE "DriftProbe"');
    },
    ENGINE_TIMEOUT,
  );
});
