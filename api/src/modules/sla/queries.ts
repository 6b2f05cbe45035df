import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import { db } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ticketVisibility } from '../ticket/access.js';

builder.queryField('slaPolicies', (t) =>
  t.prismaField({
    type: ['SlaPolicy'],
    description: 'SLA policies (staff): the active versions, or every version with `includeRetired`.',
    authScopes: { staff: true },
    args: { includeRetired: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args) =>
      db().slaPolicy.findMany({
        ...query,
        where: args.includeRetired ? {} : { active: true },
        orderBy: [{ key: 'asc' }, { version: 'desc' }],
      }),
  }),
);

builder.queryField('ticketsAtRisk', (t) =>
  t.prismaField({
    type: ['Ticket'],
    description:
      'Open tickets whose SLA is breached (and not yet achieved) or at risk: a running target due within ' +
      '`withinMinutes`, or past `minPercent` % of its target. Most urgent first; staff only.',
    authScopes: { $all: { staff: true, scope: 'tickets:read' } },
    args: {
      withinMinutes: t.arg.int({ required: false, defaultValue: 60 }),
      minPercent: t.arg.int({ required: false, defaultValue: 75 }),
      includeBreached: t.arg.boolean({ required: false, defaultValue: true }),
      first: t.arg.int({ required: false, defaultValue: 50 }),
    },
    resolve: async (query, _root, args, ctx) => {
      const now = appClock.now();
      const horizon = new Date(now.getTime() + Math.max(0, args.withinMinutes ?? 60) * 60_000);
      const atRisk: Prisma.SlaClockWhereInput = {
        state: 'RUNNING',
        OR: [{ dueAt: { lte: horizon } }, { firedPercent: { gte: args.minPercent ?? 75 } }],
      };
      const breached: Prisma.SlaClockWhereInput = { state: 'BREACHED', completedAt: null };
      const clocks = await db().slaClock.findMany({
        where: {
          OR: args.includeBreached === false ? [atRisk] : [atRisk, breached],
          ticket: await ticketVisibility(db(), ctx.viewer),
        },
        select: { ticketId: true, dueAt: true, state: true },
        orderBy: [{ dueAt: 'asc' }],
        take: 1000,
      });
      const order = new Map<string, number>();
      for (const c of clocks) {
        // Breached first, then by due time.
        const rank = (c.state === 'BREACHED' ? -1e15 : 0) + (c.dueAt?.getTime() ?? Number.MAX_SAFE_INTEGER);
        order.set(c.ticketId, Math.min(order.get(c.ticketId) ?? Number.POSITIVE_INFINITY, rank));
      }
      const ids = [...order.entries()]
        .sort((a, b) => a[1] - b[1])
        .slice(0, Math.min(200, Math.max(1, args.first ?? 50)))
        .map(([id]) => id);
      const tickets = await db().ticket.findMany({ ...query, where: { id: { in: ids } } });
      return tickets.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    },
  }),
);
