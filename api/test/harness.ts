import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { PrismaClient } from '../src/db.js';
import { adminUrl } from './global-setup.js';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: { message: string; extensions?: { code?: string } }[] | undefined;
}

export interface RequestAuth {
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: App;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  prisma: PrismaClient;
  env: Record<string, string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: RequestAuth,
  ): Promise<GqlResult<T>>;
  stop(): Promise<void>;
}

/**
 * A fresh database for this test file (a copy of the migrated PGlite template, or a clone of the migrated
 * PostgreSQL template when TEST_DATABASE_URL is set), described as the environment a real process would get.
 */
export async function createTestDatabaseEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-test-'));
  if (!url) {
    fs.cpSync(path.join(inject('pgliteTemplate'), 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
    return { env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `${inject('pgPrefix')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
  await admin.end();
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: adminUrl(url, name) },
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startTestApp(extraEnv: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabaseEnv();
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO_DATA: 'false',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...database.env,
    ...extraEnv,
  };
  const app = buildApp(loadConfig(env));
  const { port } = await app.start();
  const url = `http://127.0.0.1:${port}`;
  const graphqlUrl = `${url}/graphql`;
  return {
    app,
    url,
    graphqlUrl,
    wsUrl: graphqlUrl.replace(/^http/, 'ws'),
    prisma: app.database().prisma,
    env,
    gql: (query, variables, auth) => gql(graphqlUrl, query, variables, auth),
    stop: async () => {
      await app.stop();
      await database.drop();
    },
  };
}

export async function gql<T = Record<string, any>>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth: RequestAuth = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const res = await fetch(graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T | null; errors?: GqlResult['errors'] };
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}
