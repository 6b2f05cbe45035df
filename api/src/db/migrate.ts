// Applies prisma/migrations at start-up without Prisma's schema engine (which cannot be downloaded
// here), keeping `_prisma_migrations` exactly as `prisma migrate deploy` keeps it, so the normal Prisma
// CLI sees the same history. Works on one connection: a pg.Client or an embedded PGlite.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PGliteInterface } from '@electric-sql/pglite';
import type { Client, PoolClient } from 'pg';

export interface MigrationConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (simple query protocol, no parameters). */
  exec(sql: string): Promise<void>;
}

export interface MigrationOptions {
  migrationsDir: string;
  log?: (msg: string, data?: object) => void;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
  constructor(
    message: string,
    readonly migrations: string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function pgConnection(client: Client | PoolClient): MigrationConnection {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

/** Run migrations before anything else uses `db`: BEGIN/COMMIT here are not isolated from other users. */
export function pgliteConnection(db: PGliteInterface): MigrationConnection {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
}

// Prisma's schema engine takes this very key, so our runner and `prisma migrate deploy` exclude each other too.
const LOCK_KEY = 72707369;

// Verbatim from the schema engine (postgres flavour), so the table is indistinguishable from Prisma's.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

interface MigrationFile {
  name: string;
  sql: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Prisma accepts a file whose line endings were converted after it was applied (git autocrlf).
function matchesChecksum(sql: string, checksum: string): boolean {
  return [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')].some((s) => sha256(s) === checksum);
}

async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  names.sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      const sql = await readFile(file, 'utf8').catch((error: Error) => {
        throw new MigrationError(`Cannot read ${file}: ${error.message}`, [name], { cause: error });
      });
      return { name, sql };
    }),
  );
}

/** null when `_prisma_migrations` does not exist yet. */
async function readRows(conn: MigrationConnection): Promise<MigrationRow[] | null> {
  const [table] = await conn.query<{ exists: boolean }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`,
  );
  if (!table?.exists) return null;
  return conn.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at',
  );
}

const live = (rows: MigrationRow[]) => rows.filter((row) => row.rolled_back_at === null);
const failedRows = (rows: MigrationRow[]) => live(rows).filter((row) => row.finished_at === null);

function pendingOf(files: MigrationFile[], rows: MigrationRow[]): MigrationFile[] {
  const applied = new Set(
    live(rows)
      .filter((row) => row.finished_at !== null)
      .map((row) => row.migration_name),
  );
  return files.filter((file) => !applied.has(file.name));
}

export async function migrationStatus(
  conn: MigrationConnection,
  opts: MigrationOptions,
): Promise<{ pending: string[]; failed: string[] }> {
  const files = await readMigrationFiles(opts.migrationsDir);
  const rows = (await readRows(conn)) ?? [];
  return {
    pending: pendingOf(files, rows).map((file) => file.name),
    failed: failedRows(rows).map((row) => row.migration_name),
  };
}

function refuseFailed(failed: MigrationRow[]): MigrationError {
  const names = failed.map((row) => row.migration_name);
  const details = failed.map((row) => `--- ${row.migration_name}\n${row.logs ?? '(no logs)'}`).join('\n');
  return new MigrationError(
    `Refusing to migrate: ${names.join(', ')} failed earlier and ${names.length > 1 ? 'are' : 'is'} still marked as failed in _prisma_migrations.\n` +
      `${details}\n` +
      'To recover: make sure the database is as before that migration (this runner rolls its transaction back, ' +
      'unless the script commits by itself), fix its migration.sql, then mark the attempt as rolled back so the ' +
      'next start re-applies it:\n' +
      `  UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name IN (${names.map((n) => `'${n}'`).join(', ')}) AND finished_at IS NULL AND rolled_back_at IS NULL;\n` +
      '(same as `prisma migrate resolve --rolled-back <name>`; if you completed it by hand instead, use `prisma migrate resolve --applied <name>`.)',
    names,
  );
}

// The parts of a PostgreSQL error (pg and PGlite have the same shape) worth keeping in `logs`.
function describeError(error: unknown, sql: string): string {
  const e = error as { code?: string; message?: string; detail?: string; hint?: string; position?: string };
  const lines = [
    `Database error code: ${e.code ?? 'unknown'}`,
    '',
    'Database error:',
    `ERROR: ${e.message ?? String(error)}`,
  ];
  if (e.detail) lines.push(`DETAIL: ${e.detail}`);
  if (e.hint) lines.push(`HINT: ${e.hint}`);
  const position = Number(e.position);
  if (position > 0) {
    const lineNumber = sql.slice(0, position - 1).split('\n').length;
    lines.push('', `Position: line ${lineNumber}`, `  ${sql.split('\n')[lineNumber - 1]}`);
  }
  return lines.join('\n');
}

async function applyOne(conn: MigrationConnection, migration: MigrationFile): Promise<void> {
  // Same row life cycle as Prisma's: inserted on start, applied_steps_count 1 and finished_at on success,
  // logs with finished_at NULL on failure. Client-side timestamps, as the engine writes them.
  const id = randomUUID();
  const checksum = sha256(migration.sql);
  const startedAt = new Date();
  try {
    await conn.exec('BEGIN');
    await conn.query(
      'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, applied_steps_count) VALUES ($1, $2, $3, $4, 0)',
      [id, checksum, startedAt, migration.name],
    );
    await conn.exec(migration.sql);
    await conn.query('UPDATE _prisma_migrations SET applied_steps_count = 1, finished_at = $2 WHERE id = $1', [
      id,
      new Date(),
    ]);
    await conn.exec('COMMIT');
  } catch (error) {
    const logs = describeError(error, migration.sql);
    let outcome: string;
    try {
      outcome = await recordFailure(conn, { id, checksum, startedAt, name: migration.name, logs });
    } catch (recordError) {
      outcome = `Recording the failure in _prisma_migrations failed too: ${(recordError as Error).message}`;
    }
    const message = `Migration ${migration.name} failed; ${outcome} Start-up stops here.\n${logs}`;
    throw new MigrationError(message, [migration.name], { cause: error });
  }
}

async function recordFailure(
  conn: MigrationConnection,
  row: { id: string; checksum: string; startedAt: Date; name: string; logs: string },
): Promise<string> {
  await conn.exec('ROLLBACK');
  // Prisma writes BEGIN; … COMMIT; into migrations that alter enums. Such a COMMIT ends our transaction
  // early, and what ran before it (our row included) stays even though the migration failed later.
  const [kept] = await conn.query('SELECT 1 FROM _prisma_migrations WHERE id = $1', [row.id]);
  if (kept) {
    await conn.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [row.id, row.logs]);
    return 'it committed part of its work itself before failing, so the database is partly migrated; it is recorded as failed.';
  }
  await conn.query(
    'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs, applied_steps_count) VALUES ($1, $2, $3, $4, $5, 0)',
    [row.id, row.checksum, row.startedAt, row.name, row.logs],
  );
  return 'its transaction was rolled back and it is recorded as failed.';
}

export async function applyMigrations(
  conn: MigrationConnection,
  opts: MigrationOptions,
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const files = await readMigrationFiles(opts.migrationsDir);
  const [lock] = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY]);
  if (!lock?.locked) {
    log('waiting for another instance to finish migrating (advisory lock)', { key: LOCK_KEY });
    await conn.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  }
  try {
    const existing = await readRows(conn);
    if (existing === null) await conn.exec(CREATE_MIGRATIONS_TABLE);
    const rows = existing ?? [];
    const failed = failedRows(rows);
    if (failed.length > 0) throw refuseFailed(failed);
    warnAboutHistory(files, rows, log);

    const applied: string[] = [];
    for (const migration of pendingOf(files, rows)) {
      log('applying migration', { migration: migration.name });
      await applyOne(conn, migration);
      applied.push(migration.name);
    }
    log(applied.length ? 'migrations applied' : 'database schema is up to date', { applied });
    return { applied };
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {
      // The connection is gone, and a session-level lock goes with it.
    });
  }
}

function warnAboutHistory(files: MigrationFile[], rows: MigrationRow[], log: NonNullable<MigrationOptions['log']>) {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of live(rows)) {
    const file = byName.get(row.migration_name);
    if (!file) {
      log('warning: applied migration is missing from the migrations directory', { migration: row.migration_name });
    } else if (!matchesChecksum(file.sql, row.checksum)) {
      log('warning: migration was modified after it was applied (checksum differs)', { migration: row.migration_name });
    }
  }
}
