import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMigration } from './schema-engine.js';

const prismaDir = fileURLToPath(new URL('../../../prisma/', import.meta.url));
const ENGINE_TIMEOUT = 120_000;

describe('schema engine (WASM on PGlite)', () => {
  const tmpDirs: string[] = [];
  afterAll(() => Promise.all(tmpDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function tempMigrations(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'itsm-engine-'));
    tmpDirs.push(dir);
    await cp(path.join(prismaDir, 'migrations'), dir, { recursive: true });
    return dir;
  }

  const schema = async (extra = '') => ({
    path: 'schema.prisma',
    content: (await readFile(path.join(prismaDir, 'schema.prisma'), 'utf8')) + extra,
  });

  it(
    'names the new migration like `prisma migrate dev` and only contains the change',
    async () => {
      const created = await createMigration(
        await schema('\nmodel EngineProbe {\n  id Int @id\n}\n'),
        await tempMigrations(),
        'add_probe',
      );

      expect(created?.directoryName).toMatch(/^\d{14}_add_probe$/);
      expect(created?.sql).toBe(
        '-- CreateTable\nCREATE TABLE "EngineProbe" (\n    "id" INTEGER NOT NULL,\n\n    CONSTRAINT "EngineProbe_pkey" PRIMARY KEY ("id")\n);\n',
      );
    },
    ENGINE_TIMEOUT,
  );

  // pglite-prisma-adapter 0.7.2 alone would report this migration as applied (executeScript not awaited).
  it(
    'fails on an existing migration with invalid SQL instead of treating it as applied',
    async () => {
      const dir = await tempMigrations();
      await mkdir(path.join(dir, '20990101000000_broken'));
      await writeFile(path.join(dir, '20990101000000_broken', 'migration.sql'), 'THIS IS NOT SQL;\n');

      await expect(createMigration(await schema(), dir)).rejects.toThrow(/syntax error at or near "THIS"/);
    },
    ENGINE_TIMEOUT,
  );
});
