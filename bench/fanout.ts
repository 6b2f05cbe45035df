// Subscription fan-out on one API process: N graphql-ws subscribers on ticketEvents, M tickets created, and the
// latency from sending the mutation to each subscriber receiving its event; the server's RSS per 1,000
// subscribers. Baseline in the same run: the same measurement with a single subscriber.
// Run by hand: `npx tsx bench/fanout.ts [subscribers=2000] [events=20]`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const N = Number(process.argv[2] ?? 2000);
const M = Number(process.argv[3] ?? 20);
const port = 4700 + Math.floor(Math.random() * 200);
const base = `http://127.0.0.1:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-fanout-'));

const server = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'true',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
server.stdout!.on('data', (d) => (out += d));
server.stderr!.on('data', (d) => (out += d));
for (
  let i = 0;
  i < 600 &&
  !(await fetch(`${base}/readyz`)
    .then((r) => r.ok)
    .catch(() => false));
  i += 1
)
  await new Promise((r) => setTimeout(r, 200));

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
async function gql(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    json: (await res.json()) as any,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
}
const login = await gql(
  'mutation { login(input: { email: "admin@leonardo.example", password: "demo-Passw0rd!" }) { __typename } }',
  {},
);
const tokenRes = await gql(
  'mutation ($i: ApiTokenCreateInput!) { apiTokenCreate(input: $i) { ... on ApiTokenCreatePayload { secret } } }',
  { i: { name: 'fanout bench', scopes: ['TICKETS_READ', 'TICKETS_WRITE', 'EVENTS_SUBSCRIBE'] } },
  { cookie: login.cookie },
);
const token: string = tokenRes.json.data.apiTokenCreate.secret;

async function measure(subscribers: number) {
  const arrivals = new Map<string, number[]>();
  const clients = [];
  let ready = 0;
  for (let i = 0; i < subscribers; i += 1) {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { connected: () => void ready++ },
    });
    client.subscribe<{ ticketEvents: { type: string; payload: string } }>(
      { query: 'subscription { ticketEvents(filter: { types: ["ticket.created"] }) { type payload } }' },
      {
        next: (msg) => {
          const number = JSON.parse(msg.data!.ticketEvents.payload).number as string;
          const list = arrivals.get(number) ?? [];
          list.push(performance.now());
          arrivals.set(number, list);
        },
        error: () => {},
        complete: () => {},
      },
    );
    clients.push(client);
  }
  while (ready < subscribers) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1000));
  const memory = rss();
  const latencies: number[] = [];
  for (let e = 0; e < M; e += 1) {
    const t0 = performance.now();
    const res = await gql(
      'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on TicketCreatePayload { ticket { number } } } }',
      {
        i: {
          title: `Fan-out ${e}`,
          description: 'Fan-out benchmark ticket',
          class: 'OTHER',
          impact: 'LOW',
          urgency: 'LOW',
        },
      },
      { authorization: `Bearer ${token}` },
    );
    const number = res.json.data.ticketCreate.ticket.number as string;
    for (let w = 0; w < 400 && (arrivals.get(number)?.length ?? 0) < subscribers; w += 1)
      await new Promise((r) => setTimeout(r, 25));
    for (const at of arrivals.get(number) ?? []) latencies.push(at - t0);
  }
  await Promise.all(clients.map((c) => c.dispose()));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    subscribers,
    delivered: latencies.length,
    expected: subscribers * M,
    p50: q(0.5),
    p95: q(0.95),
    rssMb: memory,
  };
}

const idle = rss();
const one = await measure(1);
const many = await measure(N);
console.log(`server RSS idle ${idle.toFixed(0)} MB; database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'}`);
for (const r of [one, many]) {
  console.log(
    `${String(r.subscribers).padStart(5)} subscribers: delivered ${r.delivered}/${r.expected}, mutation→event p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, server RSS ${r.rssMb.toFixed(0)} MB`,
  );
}
console.log(
  `RSS per 1,000 subscribers: ${(((many.rssMb - idle) / N) * 1000).toFixed(1)} MB; p95 ratio ${N} vs 1 subscriber: ${(many.p95 / one.p95).toFixed(2)}×`,
);
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
