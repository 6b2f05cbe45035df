import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  type MigrationConnection,
  MigrationError,
  migrationStatus,
  pgConnection,
  pgliteConnection,
} from './migrate.js';

const realMigrationsDir = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));
const databaseUrl = process.env.TEST_DATABASE_URL;

interface Database {
  conn: MigrationConnection;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  open(): Promise<Database>;
}

const pgliteBackend: Backend = {
  name: 'PGlite (in memory)',
  async open() {
    const db = new PGlite();
    return { conn: pgliteConnection(db), close: () => db.close() };
  },
};

// A database of its own per test, dropped afterwards: runners must start from an empty database.
async function createPgDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `itsm_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function pgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const pgBackend = (adminUrl: string): Backend => ({
  name: 'PostgreSQL (TEST_DATABASE_URL)',
  async open() {
    const database = await createPgDatabase(adminUrl);
    const client = await pgClient(database.url);
    return {
      conn: pgConnection(client),
      async close() {
        await client.end();
        await database.drop();
      },
    };
  },
});

const backends = [pgliteBackend, ...(databaseUrl ? [pgBackend(databaseUrl)] : [])];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const realMigrationNames = async () =>
  (await readdir(realMigrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

const tmpDirs: string[] = [];
afterAll(() => Promise.all(tmpDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A copy of prisma/migrations plus extra migrations, `{ dirName: sql }`. */
async function migrationsWith(extra: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'itsm-migrations-'));
  tmpDirs.push(dir);
  await cp(realMigrationsDir, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
  rolled_back_at: Date | null;
}

const rowsOf = (conn: MigrationConnection, name?: string) =>
  conn.query<Row>(
    `SELECT * FROM _prisma_migrations ${name ? 'WHERE migration_name = $1' : ''} ORDER BY started_at`,
    name ? [name] : [],
  );

// Only this database's holders: advisory locks are per database, other test files use the same key.
const heldAdvisoryLocks = async (conn: MigrationConnection) =>
  (
    await conn.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
  )[0]?.n;

describe.each(backends)('migration runner on $name', (backend) => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  const open = async () => {
    db = await backend.open();
    return db.conn;
  };

  it('applies every migration once; a second run applies nothing', async () => {
    const conn = await open();
    const names = await realMigrationNames();
    expect(names.length).toBeGreaterThan(0);
    expect(await migrationStatus(conn, { migrationsDir: realMigrationsDir })).toEqual({ pending: names, failed: [] });

    expect(await applyMigrations(conn, { migrationsDir: realMigrationsDir })).toEqual({ applied: names });
    expect(await applyMigrations(conn, { migrationsDir: realMigrationsDir })).toEqual({ applied: [] });

    expect(await migrationStatus(conn, { migrationsDir: realMigrationsDir })).toEqual({ pending: [], failed: [] });
    const [table] = await conn.query<{ t: string | null }>(`SELECT to_regclass('"User"')::text AS t`);
    expect(table?.t).toBe('"User"');
    expect(await heldAdvisoryLocks(conn)).toBe(0);
  });

  it('writes _prisma_migrations exactly as Prisma does', async () => {
    const conn = await open();
    await applyMigrations(conn, { migrationsDir: realMigrationsDir });

    const columns = await conn.query(
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    // name, type, max length, nullable, default: what Prisma's own CREATE TABLE produces.
    expect(columns.map((column) => Object.values(column))).toEqual([
      ['id', 'character varying', 36, 'NO', null],
      ['checksum', 'character varying', 64, 'NO', null],
      ['finished_at', 'timestamp with time zone', null, 'YES', null],
      ['migration_name', 'character varying', 255, 'NO', null],
      ['logs', 'text', null, 'YES', null],
      ['rolled_back_at', 'timestamp with time zone', null, 'YES', null],
      ['started_at', 'timestamp with time zone', null, 'NO', 'now()'],
      ['applied_steps_count', 'integer', null, 'NO', '0'],
    ]);

    const rows = await rowsOf(conn);
    expect(rows.map((row) => row.migration_name)).toEqual(await realMigrationNames());
    for (const row of rows) {
      const sql = await readFile(path.join(realMigrationsDir, row.migration_name, 'migration.sql'), 'utf8');
      expect(row).toMatchObject({ checksum: sha256(sql), applied_steps_count: 1, logs: null, rolled_back_at: null });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it('records a failing migration as failed, rolls it back and refuses to go on until it is resolved', async () => {
    const conn = await open();
    const broken = '20990101000000_broken';
    const dir = await migrationsWith({
      [broken]: 'CREATE TABLE "HalfDone" ("id" INTEGER);\n\nTHIS IS NOT SQL;\n',
      '20990102000000_after': 'CREATE TABLE "After" ("id" INTEGER);\n',
    });

    const failure = await applyMigrations(conn, { migrationsDir: dir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).message).toMatch(
      /Migration 20990101000000_broken failed; its transaction was rolled back/,
    );
    expect((failure as MigrationError).message).toMatch(/syntax error at or near "THIS"/);
    expect((failure as MigrationError).migrations).toEqual([broken]);

    const [row] = await rowsOf(conn, broken);
    expect(row).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(row?.checksum).toBe(sha256('CREATE TABLE "HalfDone" ("id" INTEGER);\n\nTHIS IS NOT SQL;\n'));
    expect(row?.logs).toContain('Database error code: 42601');
    expect(row?.logs).toContain('Position: line 3');
    const [halfDone] = await conn.query<{ t: string | null }>(`SELECT to_regclass('"HalfDone"')::text AS t`);
    expect(halfDone?.t).toBeNull();
    expect(await heldAdvisoryLocks(conn)).toBe(0);
    expect(await migrationStatus(conn, { migrationsDir: dir })).toEqual({
      pending: [broken, '20990102000000_after'],
      failed: [broken],
    });

    // The next start refuses, naming the migration, its logs and the way out.
    const refusal = await applyMigrations(conn, { migrationsDir: dir }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MigrationError);
    const message = (refusal as MigrationError).message;
    expect(message).toMatch(
      /20990101000000_broken failed earlier[\s\S]*syntax error[\s\S]*SET rolled_back_at = now\(\)/,
    );
    expect(await heldAdvisoryLocks(conn)).toBe(0);

    // Recovery as the message says: fix the file, mark the attempt rolled back, start again.
    await writeFile(path.join(dir, broken, 'migration.sql'), 'CREATE TABLE "HalfDone" ("id" INTEGER);\n');
    const update = message.split('\n').find((line) => line.trim().startsWith('UPDATE _prisma_migrations'));
    expect(update).toBeDefined();
    await conn.exec(update as string);
    expect(await applyMigrations(conn, { migrationsDir: dir })).toEqual({
      applied: [broken, '20990102000000_after'],
    });
    const attempts = await rowsOf(conn, broken);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.rolled_back_at).not.toBeNull();
    expect(attempts[1]).toMatchObject({ rolled_back_at: null, applied_steps_count: 1, logs: null });
  });

  // Prisma itself writes BEGIN; … COMMIT; into migrations that alter enums; that COMMIT ends our transaction.
  it('applies migrations with their own BEGIN/COMMIT, and says so when one fails after committing', async () => {
    const conn = await open();
    const dir = await migrationsWith({
      '20990101000000_enum': 'CREATE TYPE "Probe" AS ENUM (\'A\', \'B\');\nCREATE TABLE "P" ("v" "Probe");\n',
      '20990102000000_alter_enum':
        'BEGIN;\nCREATE TYPE "Probe_new" AS ENUM (\'A\');\nALTER TABLE "P" ALTER COLUMN "v" TYPE "Probe_new" USING ("v"::text::"Probe_new");\n' +
        'ALTER TYPE "Probe" RENAME TO "Probe_old";\nALTER TYPE "Probe_new" RENAME TO "Probe";\nDROP TYPE "Probe_old";\nCOMMIT;\n',
      '20990103000000_half': 'BEGIN;\nCREATE TABLE "Half" ("id" INTEGER);\nCOMMIT;\nSELECT 1/0;\n',
    });

    await expect(applyMigrations(conn, { migrationsDir: dir })).rejects.toThrow(
      /20990103000000_half failed; it committed part of its work itself[\s\S]*division by zero/,
    );

    const rows = await rowsOf(conn);
    expect(rows.filter((row) => row.finished_at === null).map((row) => row.migration_name)).toEqual([
      '20990103000000_half',
    ]);
    expect(rows.filter((row) => row.migration_name === '20990103000000_half')).toHaveLength(1);
    expect(rows.find((row) => row.migration_name === '20990102000000_alter_enum')).toMatchObject({
      applied_steps_count: 1,
    });
    expect(await heldAdvisoryLocks(conn)).toBe(0);
  });

  it('warns when an applied migration was edited, but not for line-ending changes', async () => {
    const conn = await open();
    const dir = await migrationsWith({ '20990101000000_probe': 'CREATE TABLE "Probe" ("id" INTEGER);\n' });
    await applyMigrations(conn, { migrationsDir: dir });
    const file = path.join(dir, '20990101000000_probe', 'migration.sql');
    const warnings = async () => {
      const messages: string[] = [];
      await applyMigrations(conn, {
        migrationsDir: dir,
        log: (msg, data) => messages.push(`${msg} ${JSON.stringify(data)}`),
      });
      return messages.filter((msg) => msg.startsWith('warning'));
    };

    await writeFile(file, 'CREATE TABLE "Probe" ("id" INTEGER);\r\n');
    expect(await warnings()).toEqual([]);

    await writeFile(file, 'CREATE TABLE "Probe" ("id" BIGINT);\n');
    expect(await warnings()).toEqual([expect.stringMatching(/checksum differs.*20990101000000_probe/)]);
  });
});

describe.skipIf(!databaseUrl)('migration runner on PostgreSQL with several instances', () => {
  it('two instances starting at once both succeed and apply each migration exactly once', async () => {
    const database = await createPgDatabase(databaseUrl as string);
    const clients = [await pgClient(database.url), await pgClient(database.url)];
    try {
      // A slow migration keeps the first runner inside the lock while the second one arrives.
      const dir = await migrationsWith({ '20990101000000_slow': 'SELECT pg_sleep(0.5);\n' });
      const logs: string[][] = [[], []];
      const results = await Promise.all(
        clients.map((client, i) =>
          applyMigrations(pgConnection(client), { migrationsDir: dir, log: (msg) => logs[i]?.push(msg) }),
        ),
      );

      const all = [...(await realMigrationNames()), '20990101000000_slow'];
      expect(results.map((result) => result.applied.length).sort()).toEqual([0, all.length]);
      expect(logs.flat().filter((msg) => msg.startsWith('waiting for another instance'))).toHaveLength(1);
      const counts = await pgConnection(clients[0] as pg.Client).query<{ migration_name: string; n: number }>(
        'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY migration_name ORDER BY 1',
      );
      expect(counts).toEqual(all.map((name) => ({ migration_name: name, n: 1 })));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
      await database.drop();
    }
  });
});
