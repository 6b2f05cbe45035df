// Two API processes on one PostgreSQL with Redis: an event committed on one instance reaches subscribers of the
// other. The fallback poll is slowed to 5 s so the Redis wake-up (~200 ms, logged below) is what normally delivers;
// the slow poll only keeps a heavily loaded CI machine from turning a late wake-up into a failure.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config.js';
import { createWorld } from './fixtures.js';
import { gql, startTestApp, type TestApp } from './harness.js';
import { subscribe } from './ws.js';

const enabled = !!process.env.TEST_DATABASE_URL && !!process.env.REDIS_URL;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe.skipIf(!enabled)('fan-out across instances through Redis (needs TEST_DATABASE_URL and REDIS_URL)', () => {
  let a: TestApp;
  let b: ChildProcess;
  let bUrl: string;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeAll(async () => {
    a = await startTestApp({ EVENT_POLL_MS: '5000' });
    world = await createWorld(a.prisma);
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = spawn('pnpm', ['--filter', '@itsm/api', 'serve'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...a.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        EVENT_POLL_MS: '3600000',
        LOG_LEVEL: 'info',
        DATA_DIR: `${a.env.DATA_DIR}/b`,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`instance B did not start:\n${out}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      b.stdout!.on('data', onData);
      b.stderr!.on('data', onData);
    });
  }, 90_000);

  afterAll(async () => {
    if (b?.pid) process.kill(-b.pid, 'SIGTERM');
    await a?.stop();
  });

  const CREATE =
    'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { number } } } }';
  const input = (title: string) => ({
    i: { title, description: 'Cross-instance delivery check ticket', class: 'OTHER', impact: 'LOW', urgency: 'LOW' },
  });

  it('delivers a change made on B to a subscriber on A, and the other way round', async () => {
    // Start both subscriptions from the current end of the log, so a subscription that becomes active a little late
    // still replays what it missed: the test then measures delivery, not subscription set-up.
    const last = await a.prisma.event.findFirst({ orderBy: { id: 'desc' } });
    const after = String(last?.id ?? 0n);
    const Q = 'subscription ($after: String) { ticketEvents(after: $after) { type ticket { number } } }';
    const onA = subscribe(a.wsUrl, world.tokens.agent, Q, { after });
    const onB = subscribe(`${bUrl.replace('http', 'ws')}/graphql`, world.tokens.agent, Q, { after });
    await new Promise((r) => setTimeout(r, 1000));

    const started = Date.now();
    const made = await gql(`${bUrl}/graphql`, CREATE, input('Made on B'), { token: world.tokens.acme });
    const [event] = await onA.waitFor(1, 20_000);
    const latency = Date.now() - started;
    expect(event!.ticketEvents.ticket.number).toBe(made.data!.ticketCreate.ticket.number);
    console.log(`cross-instance delivery B→A: ${latency} ms (request + commit + Redis + read)`);

    const back = await a.gql(CREATE, input('Made on A'), { token: world.tokens.acme });
    const items = await onB.waitFor(2, 20_000).catch((err) => {
      throw new Error(`${err.message}; B got ${JSON.stringify(onB.items)} errors ${JSON.stringify(onB.errors)}`);
    });
    expect(items.map((i) => i.ticketEvents.ticket.number)).toContain(back.data!.ticketCreate.ticket.number);
    onA.stop();
    onB.stop();
  });
});
