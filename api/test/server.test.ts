import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { repoRoot } from '../src/config.js';
import { schema } from '../src/schema.js';
import { createToken, createWorld } from './fixtures.js';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  t = await startTestApp();
  world = await createWorld(t.prisma);
});
afterAll(() => t?.stop());

describe('HTTP endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('echoes a valid x-request-id and makes one up otherwise', async () => {
    const given = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GraphiQL to a browser at /graphql', async () => {
    const res = await fetch(t.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });

  it('masks unexpected errors but keeps typed GraphQL errors', async () => {
    const res = await t.gql('{ nope }', {}, { token: world.tokens.agent });
    expect(res.errors?.[0]?.message).toMatch(/Cannot query field "nope"/);
  });

  it('answers 404 for unknown paths', async () => {
    const res = await fetch(`${t.url}/nothing-here.js`);
    expect(res.status).toBe(404);
  });
});

describe('printed schema', () => {
  it('api/schema.graphql matches the code (run `pnpm generate` when this fails)', () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'api/schema.graphql'), 'utf8');
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });
});

describe('graphql-ws on the same port and path', () => {
  function closeCodeOf(connectionParams: Record<string, unknown> | undefined): Promise<number> {
    return new Promise((resolve) => {
      const client = createClient({
        url: t.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe(
        { query: 'subscription { serverClock }' },
        { next: () => {}, error: () => {}, complete: () => {} },
      );
    });
  }

  it('streams to a client that sends its token in connection_init', async () => {
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${world.tokens.agent}` },
    });
    const ticks: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const stop = client.subscribe<{ serverClock: string }>(
        { query: 'subscription { serverClock(intervalSeconds: 1) }' },
        {
          next: (msg) => {
            ticks.push(msg.data!.serverClock);
            if (ticks.length === 2) {
              stop();
              resolve();
            }
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await client.dispose();
    expect(new Date(ticks[1]!).getTime()).toBeGreaterThan(new Date(ticks[0]!).getTime());
  });

  it('closes with 4401 when no credential is sent', async () => {
    expect(await closeCodeOf(undefined)).toBe(4401);
  });

  it('closes with 4403 for a revoked or unknown token', async () => {
    const { token, secret } = await createToken(t.prisma, world.users.acmeCustomer, ['events:subscribe']);
    await t.prisma.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect(await closeCodeOf({ authorization: `Bearer ${secret}` })).toBe(4403);
    expect(await closeCodeOf({ authorization: 'Bearer itsm_unknown' })).toBe(4403);
  });
});
