// Real processes, as a user runs them: `pnpm start` on a fresh data directory, SIGTERM, and two instances
// starting at once against one empty PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../src/config.js';
import { adminUrl } from './global-setup.js';
import { gql } from './harness.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

function launch(command: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  // 'close' waits for every process holding the pipes (pnpm's children too), not just the pnpm wrapper.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out.slice(-3000)}`));
        }, ms);
        listeners.add(check);
        check();
        void exited.then((code) => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited (${code}) before ${pattern}; output:\n${out.slice(-3000)}`));
          }
        });
      }),
  };
}

describe('pnpm start (the README quick start)', () => {
  it('seeds a fresh embedded database, prints a working wallboard token, and stops cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-quickstart-'));
    const port = await freePort();
    const run = launch('pnpm', ['start'], {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: '',
    });
    const [, token] = await run.waitFor(/Wallboard token \(shown once\): (itsm_\S+)/);
    await run.waitFor(/"msg":"listening"/);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const me = await gql(`${base}/graphql`, '{ me { email role } }', {}, { token });
    expect(me.data?.me).toEqual({ email: 'wallboard@leonardo.example', role: 'AGENT' });
    const login = await gql(
      `${base}/graphql`,
      'mutation { login(input: { email: "admin@leonardo.example", password: "demo-Passw0rd!" }) { __typename } }',
    );
    expect(login.data?.login.__typename).toBe('LoginPayload');
    if (fs.existsSync(path.join(repoRoot, 'web/dist/index.html'))) {
      const spa = await fetch(`${base}/`);
      expect(spa.headers.get('content-type')).toMatch(/text\/html/);
    }

    // A second process on the same data directory must refuse rather than corrupt it.
    const intruder = launch('pnpm', ['--filter', '@itsm/api', 'serve'], {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DATABASE_URL: '',
    });
    expect(await intruder.exited).toBe(1);
    expect(intruder.output()).toMatch(/in use by process/);

    // Graceful stop: a request already in flight still gets its answer.
    const inFlight = gql(
      `${base}/graphql`,
      'mutation { login(input: { email: "admin@leonardo.example", password: "demo-Passw0rd!" }) { __typename } }',
    );
    await new Promise((r) => setTimeout(r, 20));
    process.kill(-run.child.pid!, 'SIGTERM');
    expect((await inFlight).data?.login.__typename).toBe('LoginPayload');
    await run.waitFor(/"msg":"stopped"/, 20_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two instances on one empty PostgreSQL', () => {
  it('both come up; every migration is applied exactly once and demo data seeded once', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `${inject('pgPrefix')}_twin`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const dbUrl = adminUrl(url, name);
    const ports = [await freePort(), await freePort()];
    const runs = ports.map((port) =>
      launch('pnpm', ['--filter', '@itsm/api', 'serve'], {
        DATABASE_URL: dbUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
      }),
    );
    await Promise.all(runs.map((r) => r.waitFor(/"msg":"listening"/, 90_000)));
    for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const { rows } = await client.query(
      'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL GROUP BY 1',
    );
    const onDisk = fs.readdirSync(path.join(repoRoot, 'prisma/migrations')).filter((d) => !d.endsWith('.toml'));
    expect(rows.map((r) => r.migration_name).sort()).toEqual(onDisk.sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const orgs = await client.query('SELECT count(*)::int AS n FROM "Organization" WHERE slug = \'leonardo\'');
    expect(orgs.rows[0].n).toBe(1);
    await client.end();
    for (const r of runs) process.kill(-r.child.pid!, 'SIGTERM');
    await Promise.all(runs.map((r) => r.waitFor(/"msg":"stopped"/, 20_000)));
  }, 240_000);
});
