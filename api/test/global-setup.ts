import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations, pgConnection, pgliteConnection } from '../src/db/migrate.js';
import { migrationsDir } from '../src/db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Migrated PGlite directory that each test file copies. */
    pgliteTemplate: string;
    /** With TEST_DATABASE_URL: a migrated database each test file clones, and the run's database prefix. */
    pgTemplate: string | null;
    pgPrefix: string;
  }
}

export function adminUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-pglite-template-'));
  const pgDir = path.join(templateDir, 'pgdata');
  const lite = await PGlite.create(pgDir);
  await applyMigrations(pgliteConnection(lite), { migrationsDir });
  await lite.close();
  project.provide('pgliteTemplate', templateDir);

  const url = process.env.TEST_DATABASE_URL;
  const prefix = `itsm_t_${runId}`;
  project.provide('pgPrefix', prefix);
  let template: string | null = null;
  if (url) {
    template = `${prefix}_tpl`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${template}"`);
    await admin.end();
    const client = new pg.Client({ connectionString: adminUrl(url, template) });
    await client.connect();
    await applyMigrations(pgConnection(client), { migrationsDir });
    await client.end();
  }
  project.provide('pgTemplate', template);

  return async () => {
    fs.rmSync(templateDir, { recursive: true, force: true });
    if (!url) return;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${prefix}%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  };
}
