import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type Plugin } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { type Config, setAppConfig } from './config.js';
import type { Context } from './context.js';
import { type Database, openDatabase } from './db.js';
import { serveStatic } from './http/static.js';
import { createLogger, type Logger } from './logger.js';
import { authenticate, bearerSecret } from './modules/auth/authenticate.js';
import { type MailRuntime, startMail } from './modules/email/runtime.js';
import { EventBus, setEventBus } from './modules/events/bus.js';
import { ensureReferenceData } from './modules/reference/reference.service.js';
import { seedDemoDataIfEmpty } from './modules/seed/demo.js';
import { type SlaScheduler, startSlaScheduler } from './modules/sla/scheduler.js';
import { schema } from './schema.js';

export const GRAPHQL_PATH = '/graphql';
const WS_MAX_PAYLOAD = 1024 * 1024;

export interface App {
  config: Config;
  log: Logger;
  server: http.Server;
  yoga: ReturnType<typeof createYoga<{ req: IncomingMessage; requestId: string }, Context>>;
  database(): Database;
  /** Opens the database (migrating it), seeds demo data if configured, listens; resolves with the URL. */
  start(): Promise<{ url: string; port: number }>;
  /** Graceful: stop accepting, let in-flight requests finish (up to the grace period), close sockets and database. */
  stop(): Promise<void>;
}

type ServerContext = { req: IncomingMessage; requestId: string };

function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

function clientIp(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}

/** graphql-ws clients put the credential in connection_init; accept the common spellings. */
function connectionAuthorization(params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  const headers = (params.headers ?? {}) as Record<string, unknown>;
  const value = params.authorization ?? params.Authorization ?? params.token ?? headers.authorization;
  return typeof value === 'string' ? value : null;
}

export function buildApp(config: Config, options: { log?: Logger } = {}): App {
  setAppConfig(config);
  const log = options.log ?? createLogger(config.logLevel);
  let database: Database | undefined;
  let bus: EventBus | undefined;
  const cookiesByRequest = new WeakMap<Request, string[]>();

  const cookiePlugin: Plugin = {
    onResponse({ request, response }) {
      for (const cookie of cookiesByRequest.get(request) ?? []) response.headers.append('set-cookie', cookie);
    },
  };

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: { title: 'ITSM GraphQL API', subscriptionsProtocol: 'WS' },
    logging: {
      debug: (...args) => log.debug({ yoga: args }, 'yoga'),
      info: (...args) => log.info({ yoga: args }, 'yoga'),
      warn: (...args) => log.warn({ yoga: args }, 'yoga'),
      error: (...args) => log.error({ yoga: args }, 'yoga'),
    },
    plugins: [cookiePlugin],
    context: async (init): Promise<Context> => {
      const ws = init as unknown as {
        connectionParams?: Record<string, unknown>;
        extra?: { request: IncomingMessage };
      };
      const nodeReq: IncomingMessage | undefined = ws.extra?.request ?? init.req;
      const requestId = init.requestId ?? randomUUID();
      const authorization = ws.extra
        ? connectionAuthorization(ws.connectionParams)
        : init.request.headers.get('authorization');
      const cookie = nodeReq?.headers.cookie ?? null;
      const auth = await authenticate(database!.prisma, { authorization, cookie });
      const responseCookies: string[] = [];
      if (!ws.extra) cookiesByRequest.set(init.request, responseCookies);
      return {
        viewer: auth.viewer,
        authFailure: auth.failure,
        sessionSecret: auth.sessionSecret,
        requestId,
        ip: nodeReq ? clientIp(nodeReq) : null,
        userAgent: (nodeReq?.headers['user-agent'] as string | undefined) ?? null,
        log: log.child({ requestId, userId: auth.viewer?.userId }),
        responseCookies,
      };
    },
  });

  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req);
    res.setHeader('x-request-id', requestId);
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ requestId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    if (shuttingDown) res.setHeader('connection', 'close');
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (pathname === '/readyz') {
      void (async () => {
        const ready = !shuttingDown && !!database && (await database.ready());
        res
          .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: ready ? 'ready' : 'unavailable', database: database?.kind ?? null }));
      })();
      return;
    }
    if (pathname === GRAPHQL_PATH || pathname.startsWith(`${GRAPHQL_PATH}/`)) {
      void yoga(req, res, { req, requestId });
      return;
    }
    if (serveStatic(config.webDist, req, res, pathname)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== GRAPHQL_PATH || shuttingDown) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  });

  const wsServer = useServer<Record<string, unknown>, { requestId: string }>(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const authorization = connectionAuthorization(ctx.connectionParams);
        const cookie = ctx.extra.request.headers.cookie ?? null;
        const auth = await authenticate(database!.prisma, { authorization, cookie });
        if (!auth.viewer) {
          // 4401 when no credential came at all, 4403 when one came and was refused.
          const presented = !!bearerSecret(authorization) || !!auth.failure;
          ctx.extra.socket.close(presented ? 4403 : 4401, presented ? 'Forbidden' : 'Unauthorized');
          return false;
        }
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const {
          schema: envSchema,
          execute,
          subscribe,
          contextFactory,
          parse,
          validate,
        } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          requestId: randomUUID(),
        });
        const args: ExecutionArgs = {
          schema: envSchema,
          operationName: payload.operationName ?? null,
          document: parse(payload.query),
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
    },
    wss,
  );

  let slaScheduler: SlaScheduler | undefined;
  let mail: MailRuntime | undefined;

  async function start() {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
    await ensureReferenceData(database.prisma);
    if (config.seedDemoData) {
      const seeded = await seedDemoDataIfEmpty(database.prisma, log);
      if (seeded) log.info({ people: seeded.credentials.map((c) => c.email) }, 'seeded demo data');
      if (seeded) printWelcome(config, seeded);
    }
    bus = new EventBus(database.prisma, { redisUrl: config.redisUrl, pollMs: config.eventPollMs, log });
    await bus.start();
    setEventBus(bus);
    slaScheduler = startSlaScheduler(database.prisma, { log, shared: database.kind === 'postgres' });
    mail = await startMail(config, database.prisma, log);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;
    log.info({ url: `${url}${GRAPHQL_PATH}`, database: database.kind }, 'listening');
    return { url, port };
  }

  async function stop() {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ inFlight }, 'shutting down');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const client of wss.clients) client.close(1001, 'Server shutting down');
    if (inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => {
          drained = resolve;
        }),
        new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref()),
      ]);
    }
    server.closeAllConnections();
    await wsServer.dispose();
    for (const client of wss.clients) client.terminate();
    wss.close();
    await closed;
    await mail?.stop();
    await slaScheduler?.stop();
    await bus?.stop();
    setEventBus(undefined);
    await database?.close();
    log.info('stopped');
  }

  return {
    config,
    log,
    server,
    yoga,
    database: () => {
      if (!database) throw new Error('app not started');
      return database;
    },
    start,
    stop,
  };
}

function printWelcome(
  config: Config,
  seeded: { credentials: { email: string; password: string; role: string }[]; wallboardToken: string },
) {
  const base = config.publicUrl;
  const lines = [
    '',
    '  ITSM is seeded with demo data.',
    `  SPA:      ${base}/`,
    `  GraphiQL: ${base}${GRAPHQL_PATH}`,
    '  Log in as:',
    ...seeded.credentials.map((c) => `    ${c.role.padEnd(9)} ${c.email} / ${c.password}`),
    `  Wallboard token (shown once): ${seeded.wallboardToken}`,
    `  Kiosk link: ${base}/wallboard#token=${seeded.wallboardToken}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
