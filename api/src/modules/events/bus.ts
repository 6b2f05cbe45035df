import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';

export interface StoredEvent {
  id: bigint;
  type: string;
  ticketId: string | null;
  organizationId: string | null;
  internal: boolean;
  payload: unknown;
  createdAt: Date;
}

type Listener = (events: StoredEvent[]) => void;

const TOPIC = 'itsm:events-committed';

/**
 * Wakes subscribers when events are committed. The durable event log is the source of truth: a wake-up (local,
 * from another instance through Redis, or the periodic fallback) only makes this instance read the log after the
 * last id it dispatched, in id order — which is commit order (see appendEvents) — and hand the rows to listeners.
 * So a lost notification delays delivery by at most one poll interval and never loses an event.
 */
export class EventBus {
  private lastId = 0n;
  private readonly listeners = new Set<Listener>();
  private readonly pubsub: ReturnType<typeof createPubSub<{ [TOPIC]: [{ from: string }] }>>;
  private readonly redis: Redis[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private pending = false;
  private stopped = false;
  private subscription: AsyncIterator<unknown> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: { redisUrl?: string; pollMs?: number; log: Logger },
  ) {
    if (options.redisUrl) {
      const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
      const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
      for (const client of [publishClient, subscribeClient]) {
        client.on('error', (err) => options.log.warn({ err: err.message }, 'redis connection problem'));
        this.redis.push(client);
      }
      this.pubsub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
    } else {
      this.pubsub = createPubSub();
    }
  }

  get lastDispatchedId(): bigint {
    return this.lastId;
  }

  get usesRedis(): boolean {
    return this.redis.length > 0;
  }

  async start(): Promise<void> {
    const last = await this.prisma.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    this.lastId = last?.id ?? 0n;
    const iterator = this.pubsub.subscribe(TOPIC)[Symbol.asyncIterator]();
    this.subscription = iterator;
    void (async () => {
      while (!this.stopped) {
        const next = await iterator.next();
        if (next.done) break;
        this.wake();
      }
    })();
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Call after a transaction that appended events has committed. Cheap; safe to call often. */
  notifyCommitted(): void {
    if (this.stopped) return;
    this.pubsub.publish(TOPIC, { from: String(this.lastId) });
    if (this.redis.length) this.wake();
  }

  onEvents(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads and dispatches everything after the last dispatched id; concurrent wake-ups coalesce. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.options.log.error({ err }, 'event dispatch failed'))
      .finally(() => {
        this.running = null;
        if (this.pending) {
          this.pending = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = await this.prisma.event.findMany({
        where: { id: { gt: this.lastId } },
        orderBy: { id: 'asc' },
        take: 500,
      });
      if (rows.length === 0) return;
      this.lastId = rows[rows.length - 1]!.id;
      for (const listener of this.listeners) {
        try {
          listener(rows);
        } catch (err) {
          this.options.log.error({ err }, 'event listener failed');
        }
      }
      if (rows.length < 500) return;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.return?.();
    await this.running;
    await Promise.all(this.redis.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

let current: EventBus | undefined;

export function setEventBus(bus: EventBus | undefined): void {
  current = bus;
}

export function eventBus(): EventBus {
  if (!current) throw new Error('event bus not started');
  return current;
}

/** For services: wake subscribers after committing events (no-op before the app starts, e.g. in tools). */
export function notifyEventsCommitted(): void {
  current?.notifyCommitted();
}
