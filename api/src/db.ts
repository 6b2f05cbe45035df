import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { repoRoot } from './config.js';
import {
  applyMigrations,
  type MigrationConnection,
  migrationStatus,
  pgConnection,
  pgliteConnection,
} from './db/migrate.js';
import { PrismaClient } from './generated/prisma/client.js';
import type { Logger } from './logger.js';

export type { PrismaClient };
export const migrationsDir = path.join(repoRoot, 'prisma/migrations');

export interface Database {
  kind: 'embedded' | 'postgres';
  prisma: PrismaClient;
  /** Reachable, and every migration in the repository applied. */
  ready(): Promise<boolean>;
  /** SQL statements Prisma has sent since start (tests assert query budgets with it). */
  queryCount(): number;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  log: Logger;
  /** Apply pending migrations before returning (every start does; tools may not). */
  migrate?: boolean;
}

let active: Database | undefined;

/** The process's database. Services take it as a parameter; resolvers and tools get it here. */
export function db(): PrismaClient {
  if (!active) throw new Error('database is not open: call openDatabase() first');
  return active.prisma;
}

export function activeDatabase(): Database | undefined {
  return active;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (active) throw new Error('a database is already open in this process');
  const database = options.databaseUrl ? await openPostgres(options) : await openEmbedded(options);
  active = database;
  const originalClose = database.close;
  database.close = async () => {
    if (active === database) active = undefined;
    await originalClose();
  };
  return database;
}

function countingClient(adapter: PrismaPg | PrismaPGlite) {
  const client = new PrismaClient({ adapter, log: [{ emit: 'event' as const, level: 'query' as const }] });
  let count = 0;
  client.$on('query', () => {
    count += 1;
  });
  // The log option only widens the client's type; everything else takes the plain client.
  return { prisma: client as unknown as PrismaClient, queryCount: () => count };
}

async function openPostgres(options: DatabaseOptions): Promise<Database> {
  const url = options.databaseUrl as string;
  const log = options.log.child({ db: 'postgres' });
  if (options.migrate !== false) {
    // Migrations take a session-level advisory lock, so they need one dedicated connection.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await applyMigrations(pgConnection(client), { migrationsDir, log: (msg, data) => log.info(data ?? {}, msg) });
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', (err) => log.error({ err }, 'idle PostgreSQL connection failed'));
  const { prisma, queryCount } = countingClient(new PrismaPg(pool));
  await prisma.$connect();
  return {
    kind: 'postgres',
    prisma,
    queryCount,
    ready: async () => {
      const client = await pool.connect();
      try {
        return await isMigrated(pgConnection(client as unknown as pg.Client));
      } catch {
        return false;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function isMigrated(conn: MigrationConnection): Promise<boolean> {
  const status = await migrationStatus(conn, { migrationsDir });
  return status.pending.length === 0 && status.failed.length === 0;
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it.
 * A lock file holding the owner's pid guards it; a lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lockPath = path.join(dir, 'itsm.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${owner}; stop it, or set DATA_DIR or DATABASE_URL`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database in ${dir}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openEmbedded(options: DatabaseOptions): Promise<Database> {
  const dir = path.join(options.dataDir, 'pgdata');
  fs.mkdirSync(dir, { recursive: true });
  const log = options.log.child({ db: 'embedded' });
  const unlock = lockDataDir(options.dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create(dir);
    if (options.migrate !== false) {
      await applyMigrations(pgliteConnection(pglite), { migrationsDir, log: (msg, data) => log.info(data ?? {}, msg) });
    }
  } catch (err) {
    await pglite?.close().catch(() => undefined);
    unlock();
    throw err;
  }
  const engine = pglite;
  const { prisma, queryCount } = countingClient(new PrismaPGlite(engine));
  await prisma.$connect();
  return {
    kind: 'embedded',
    prisma,
    queryCount,
    ready: async () => {
      try {
        return await isMigrated(pgliteConnection(engine));
      } catch {
        return false;
      }
    },
    close: async () => {
      await prisma.$disconnect();
      await engine.close();
      unlock();
    },
  };
}
