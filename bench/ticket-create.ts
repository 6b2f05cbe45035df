// Ticket intake through the real HTTP API vs a bare graphql-yoga `{ __typename }` on the same machine, same run.
// Run by hand: `npx tsx bench/ticket-create.ts [requests] [concurrency]` (embedded database unless DATABASE_URL).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { buildApp } from '../api/src/app.js';
import { loadConfig } from '../api/src/config.js';
import { createToken, createWorld } from '../api/test/fixtures.js';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);

interface Result {
  label: string;
  ms: number[];
  wallMs: number;
}

async function run(
  label: string,
  url: string,
  body: (i: number) => string,
  headers: Record<string, string>,
): Promise<Result> {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: body(i),
        });
        const json = (await res.json()) as { errors?: unknown };
        if (json.errors) throw new Error(JSON.stringify(json.errors));
        ms.push(performance.now() - t0);
      }
    }),
  );
  return { label, ms, wallMs: performance.now() - started };
}

function stats(r: Result) {
  const sorted = [...r.ms].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { label: r.label, rps: (r.ms.length / r.wallMs) * 1000, p50: q(0.5), p95: q(0.95) };
}

const bare = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }), logging: false });
const bareServer = http.createServer(bare);
await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bareServer.address() as { port: number }).port}/graphql`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-bench-'));
const app = buildApp(
  loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
  }),
);
const { port } = await app.start();
const world = await createWorld(app.database().prisma);
const token = (await createToken(app.database().prisma, world.users.acmeCustomer)).secret;
const apiUrl = `http://127.0.0.1:${port}/graphql`;

const create = (i: number) =>
  JSON.stringify({
    query:
      'mutation ($i: TicketCreateInput!) { ticketCreate(input: $i) { __typename ... on TicketCreatePayload { ticket { number } } } }',
    variables: {
      i: {
        title: `Bench ticket ${i}`,
        description: 'Benchmark ticket created through the API',
        class: 'INCIDENT',
        impact: 'MEDIUM',
        urgency: 'LOW',
      },
    },
  });

await run('warm-up', bareUrl, () => '{"query":"{ __typename }"}', {});
const baseline = stats(await run('bare yoga { __typename }', bareUrl, () => '{"query":"{ __typename }"}', {}));
const tickets = stats(
  await run('ticketCreate (auth, priority, audit, events)', apiUrl, create, { authorization: `Bearer ${token}` }),
);

console.log(
  `${total} requests, concurrency ${concurrency}, database ${app.database().kind}, ${os.cpus().length} cores`,
);
for (const s of [baseline, tickets]) {
  console.log(
    `${s.label.padEnd(48)} ${s.rps.toFixed(0).padStart(7)} req/s  p50 ${s.p50.toFixed(1).padStart(7)} ms  p95 ${s.p95.toFixed(1).padStart(7)} ms`,
  );
}
console.log(
  `ratio: ticketCreate throughput = ${(tickets.rps / baseline.rps).toFixed(3)} × bare; p95 = ${(tickets.p95 / baseline.p95).toFixed(1)} × bare`,
);
await app.stop();
bareServer.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
