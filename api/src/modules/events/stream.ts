import { Repeater } from 'graphql-yoga';
import { unauthenticated } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { credentialStillValid } from '../auth/authenticate.js';
import { isStaff, type Viewer } from '../auth/scopes.js';
import { canSeeTicket, seesAllTickets } from '../ticket/access.js';
import { eventBus, type StoredEvent } from './bus.js';

const REVALIDATE_MS = 1000;

/** Whether this viewer may receive this event, decided now (not when the subscription started). */
export async function eventVisibleTo(prisma: PrismaClient, viewer: Viewer, event: StoredEvent): Promise<boolean> {
  if (!isStaff(viewer))
    return !event.internal && !!event.organizationId && event.organizationId === viewer.organizationId;
  if (seesAllTickets(viewer) || !event.ticketId) return true;
  const ticket = await prisma.ticket.findUnique({
    where: { id: event.ticketId },
    select: { organizationId: true, resolverGroupId: true, assigneeId: true, createdById: true },
  });
  return !!ticket && (await canSeeTicket(prisma, viewer, ticket));
}

export interface StreamOptions {
  /** Resume strictly after this event id; null starts with the next committed event. */
  after: bigint | null;
  accept: (event: StoredEvent) => boolean;
}

/**
 * Replays the log after a cursor, then goes live, with no gap and no duplicate: the live listener is registered
 * before the replay starts, and anything it buffers at or below the replayed cursor is dropped. Every event is
 * re-authorised (credential and visibility) before delivery.
 */
export function eventStream(prisma: PrismaClient, viewer: Viewer, options: StreamOptions): Repeater<StoredEvent> {
  return new Repeater<StoredEvent>(async (push, stop) => {
    const bus = eventBus();
    const queue: StoredEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = bus.onEvents((events) => {
      queue.push(...events);
      wake?.();
    });
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      wake?.();
    });
    let cursor = options.after ?? bus.lastDispatchedId;
    let checkedAt = 0;

    const deliver = async (event: StoredEvent) => {
      if (event.id <= cursor) return;
      cursor = event.id;
      if (!options.accept(event)) return;
      if (Date.now() - checkedAt > REVALIDATE_MS) {
        if (!(await credentialStillValid(prisma, viewer))) {
          stop(unauthenticated('The credential of this subscription was revoked or has expired'));
          stopped = true;
          return;
        }
        checkedAt = Date.now();
      }
      if (await eventVisibleTo(prisma, viewer, event)) await push(event);
    };

    try {
      if (options.after !== null) {
        for (;;) {
          const rows = await prisma.event.findMany({
            where: { id: { gt: cursor } },
            orderBy: { id: 'asc' },
            take: 500,
          });
          for (const row of rows) {
            if (stopped) return;
            await deliver(row);
          }
          if (rows.length < 500) break;
        }
      }
      while (!stopped) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        for (const event of queue.splice(0)) {
          if (stopped) break;
          await deliver(event);
        }
      }
    } finally {
      unsubscribe();
    }
  });
}
