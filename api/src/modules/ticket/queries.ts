import { builder } from '../../builder.js';
import { db } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ResolverGroupType, ServiceCriticalityEnum, ServiceType } from '../catalog/types.js';
import { OrganizationType, UserType } from '../directory/types.js';
import { ticketVisibility } from './access.js';
import type { CriticalityAdjustment, MatrixCells } from './priority.js';
import { CRITICALITIES, IMPACTS, URGENCIES } from './priority.js';
import { ImpactEnum, PriorityEnum, TicketClassEnum, TicketStatusEnum, TicketType, UrgencyEnum } from './types.js';

const TicketFilter = builder.inputType('TicketFilter', {
  description: 'All given conditions must hold. Lists, counts and KPIs use the same filter semantics.',
  fields: (t) => ({
    status: t.field({ type: [TicketStatusEnum], required: false }),
    class: t.field({ type: [TicketClassEnum], required: false }),
    priority: t.field({ type: [PriorityEnum], required: false }),
    resolverGroupId: t.globalID({ required: false, for: ResolverGroupType }),
    assigneeId: t.globalID({ required: false, for: UserType }),
    unassigned: t.boolean({ required: false, description: 'Only tickets without an assignee.' }),
    organizationId: t.globalID({ required: false, for: OrganizationType }),
    serviceId: t.globalID({ required: false, for: ServiceType }),
    createdAfter: t.field({ type: 'DateTime', required: false }),
    createdBefore: t.field({ type: 'DateTime', required: false }),
    search: t.string({
      required: false,
      description: 'Words that must all appear in the title or description (case-insensitive).',
    }),
  }),
});

const TicketOrder = builder.enumType('TicketOrder', {
  values: ['CREATED_AT_DESC', 'CREATED_AT_ASC', 'UPDATED_AT_DESC', 'PRIORITY'] as const,
});

type FilterInput = typeof TicketFilter.$inferInput;

function filterWhere(filter: FilterInput | null | undefined): Prisma.TicketWhereInput {
  if (!filter) return {};
  const and: Prisma.TicketWhereInput[] = [];
  if (filter.status?.length) and.push({ status: { in: filter.status } });
  if (filter.class?.length) and.push({ class: { in: filter.class } });
  if (filter.priority?.length) and.push({ priority: { in: filter.priority } });
  if (filter.resolverGroupId) and.push({ resolverGroupId: filter.resolverGroupId.id });
  if (filter.assigneeId) and.push({ assigneeId: filter.assigneeId.id });
  if (filter.unassigned) and.push({ assigneeId: null });
  if (filter.organizationId) and.push({ organizationId: filter.organizationId.id });
  if (filter.serviceId) and.push({ serviceId: filter.serviceId.id });
  if (filter.createdAfter) and.push({ createdAt: { gte: filter.createdAfter } });
  if (filter.createdBefore) and.push({ createdAt: { lt: filter.createdBefore } });
  for (const word of (filter.search ?? '').split(/\s+/).filter(Boolean).slice(0, 10)) {
    and.push({
      OR: [
        { title: { contains: word, mode: 'insensitive' } },
        { description: { contains: word, mode: 'insensitive' } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

const ORDER: Record<string, Prisma.TicketOrderByWithRelationInput[]> = {
  CREATED_AT_DESC: [{ createdAt: 'desc' }, { id: 'desc' }],
  CREATED_AT_ASC: [{ createdAt: 'asc' }, { id: 'asc' }],
  UPDATED_AT_DESC: [{ updatedAt: 'desc' }, { id: 'desc' }],
  PRIORITY: [{ priority: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
};

builder.queryField('tickets', (t) =>
  t.prismaConnection({
    type: 'Ticket',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 25,
    description: 'Tickets the caller may see, filtered and ordered; at most 100 a page.',
    authScopes: { scope: 'tickets:read' },
    args: {
      filter: t.arg({ type: TicketFilter, required: false }),
      orderBy: t.arg({ type: TicketOrder, required: false, defaultValue: 'CREATED_AT_DESC' }),
    },
    resolve: async (query, _root, args, ctx) =>
      db().ticket.findMany({
        ...query,
        where: { AND: [await ticketVisibility(db(), ctx.viewer), filterWhere(args.filter)] },
        orderBy: ORDER[args.orderBy ?? 'CREATED_AT_DESC'],
      }),
  }),
);

builder.queryField('ticket', (t) =>
  t.prismaField({
    type: 'Ticket',
    nullable: true,
    authScopes: { scope: 'tickets:read' },
    args: { id: t.arg.globalID({ for: TicketType }) },
    resolve: async (query, _root, args, ctx) =>
      db().ticket.findFirst({
        ...query,
        where: { AND: [{ id: args.id.id }, await ticketVisibility(db(), ctx.viewer)] },
      }),
  }),
);

builder.queryField('ticketByNumber', (t) =>
  t.prismaField({
    type: 'Ticket',
    nullable: true,
    description: 'Finds a ticket by any number it has carried (e.g. INC-000123, or its number before a class change).',
    authScopes: { scope: 'tickets:read' },
    args: { number: t.arg.string() },
    resolve: async (query, _root, args, ctx) =>
      db().ticket.findFirst({
        ...query,
        where: {
          AND: [
            { numbers: { some: { number: args.number.trim().toUpperCase() } } },
            await ticketVisibility(db(), ctx.viewer),
          ],
        },
      }),
  }),
);

interface MatrixShape {
  version: number;
  cells: unknown;
  criticality: unknown;
  note: string;
  createdAt: Date;
}

const PriorityCellType = builder
  .objectRef<{ impact: string; urgency: string; priority: string }>('PriorityMatrixCell')
  .implement({
    fields: (t) => ({
      impact: t.field({ type: ImpactEnum, resolve: (c) => c.impact as never }),
      urgency: t.field({ type: UrgencyEnum, resolve: (c) => c.urgency as never }),
      priority: t.field({ type: PriorityEnum, resolve: (c) => c.priority as never }),
    }),
  });

const CriticalityAdjustmentType = builder
  .objectRef<{ criticality: string; levels: number }>('CriticalityAdjustment')
  .implement({
    description: 'Levels added to the matrix result for the affected service: -1 makes P3 into P2.',
    fields: (t) => ({
      criticality: t.field({ type: ServiceCriticalityEnum, resolve: (c) => c.criticality as never }),
      levels: t.exposeInt('levels'),
    }),
  });

export const PriorityMatrixType = builder.objectRef<MatrixShape>('PriorityMatrix').implement({
  description:
    'A version of the priority matrix: impact × urgency, adjusted by service criticality. Versions are never edited.',
  fields: (t) => ({
    version: t.exposeInt('version'),
    note: t.exposeString('note'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    cells: t.field({
      type: [PriorityCellType],
      resolve: (m) =>
        IMPACTS.flatMap((impact) =>
          URGENCIES.map((urgency) => ({ impact, urgency, priority: (m.cells as MatrixCells)[impact][urgency] })),
        ),
    }),
    criticality: t.field({
      type: [CriticalityAdjustmentType],
      resolve: (m) =>
        CRITICALITIES.map((c) => ({ criticality: c, levels: (m.criticality as CriticalityAdjustment)[c] })),
    }),
  }),
});

builder.queryField('priorityMatrix', (t) =>
  t.field({
    type: PriorityMatrixType,
    nullable: true,
    description: 'The current matrix, or a given version.',
    args: { version: t.arg.int({ required: false }) },
    resolve: (_root, args) =>
      args.version
        ? db().priorityMatrixVersion.findUnique({ where: { version: args.version } })
        : db().priorityMatrixVersion.findFirst({ orderBy: { version: 'desc' } }),
  }),
);

builder.queryField('priorityMatrixVersions', (t) =>
  t.field({
    type: [PriorityMatrixType],
    description: 'Every version, newest first.',
    resolve: () => db().priorityMatrixVersion.findMany({ orderBy: { version: 'desc' } }),
  }),
);
