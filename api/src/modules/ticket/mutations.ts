import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import {
  ClosureRulesUnmetError,
  ConflictError,
  forbidden,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../../errors.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { isStaff, roleAtLeast } from '../auth/scopes.js';
import { ResolverGroupType, ServiceType } from '../catalog/types.js';
import { UserType } from '../directory/types.js';
import { channelOf } from './access.js';
import {
  addAttachment,
  addEntry,
  assignTicket,
  closeTicket,
  linkTickets,
  markDuplicate,
  reopenTicket,
  requestInformation,
  resolveTicket,
  respondToResolution,
  transitionTicket,
} from './lifecycle.service.js';
import type { Actor } from './mutate.js';
import { matrixProblems } from './priority.js';
import { PriorityMatrixType } from './queries.js';
import { createTicket, overridePriority, updateTicket } from './ticket.service.js';
import {
  ChannelEnum,
  ImpactEnum,
  LinkKindEnum,
  PriorityEnum,
  TicketClassEnum,
  TicketStatusEnum,
  TicketType,
  UrgencyEnum,
} from './types.js';

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

const TicketPayload = builder.objectRef<{ ticketId: string }>('TicketPayload').implement({
  fields: (t) => ({
    ticket: t.prismaField({
      type: 'Ticket',
      resolve: (query, p) => db().ticket.findUniqueOrThrow({ ...query, where: { id: p.ticketId } }),
    }),
  }),
});

const payload = (ticket: Ticket) => ({ ticketId: ticket.id });
const COMMON_ERRORS = [NotFoundError, ConflictError, InvalidTransitionError];
const writeScope = { scope: 'tickets:write' as const };

// ── intake ───────────────────────────────────────────────────────────────────

const TicketCreateInput = builder.inputType('TicketCreateInput', {
  fields: (t) => ({
    title: t.string(),
    description: t.string(),
    class: t.field({ type: TicketClassEnum }),
    impact: t.field({ type: ImpactEnum }),
    urgency: t.field({ type: UrgencyEnum }),
    serviceId: t.globalID({ required: false, for: ServiceType }),
    category: t.string({ required: false }),
    requesterId: t.globalID({
      required: false,
      for: UserType,
      description: 'Staff only: log the ticket for this customer.',
    }),
    channel: t.field({
      type: ChannelEnum,
      required: false,
      description: 'Staff only: how the request arrived (PHONE …).',
    }),
    idempotencyKey: t.string({
      required: false,
      description:
        'Retrying with the same key returns the same ticket; the same key with a different request is an error.',
    }),
    awaitMissingInformation: t.boolean({
      required: false,
      description: 'If initial verification finds information missing, ask the customer at once (PENDING_CUSTOMER).',
    }),
  }),
});

const TicketCreatePayload = builder
  .objectRef<{ ticketId: string; replayed: boolean }>('TicketCreatePayload')
  .implement({
    fields: (t) => ({
      replayed: t.exposeBoolean('replayed', {
        description: 'True when an earlier request with this idempotency key created the ticket.',
      }),
      ticket: t.prismaField({
        type: 'Ticket',
        resolve: (query, p) => db().ticket.findUniqueOrThrow({ ...query, where: { id: p.ticketId } }),
      }),
    }),
  });

builder.mutationField('ticketCreate', (t) =>
  t.field({
    type: TicketCreatePayload,
    description: 'Logs a ticket: unique number, priority from the matrix, initial verification, audit and event.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketCreateInput }) },
    errors: { types: [NotFoundError, IdempotencyKeyReusedError] },
    resolve: async (_root, { input }, ctx) => {
      const { ticket, replayed } = await createTicket(db(), actorOf(ctx), {
        ...input,
        serviceId: input.serviceId?.id ?? null,
        requesterId: input.requesterId?.id ?? null,
      });
      return { ticketId: ticket.id, replayed };
    },
  }),
);

// ── classification and priority ─────────────────────────────────────────────

const TicketUpdateInput = builder.inputType('TicketUpdateInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    title: t.string({ required: false }),
    description: t.string({ required: false }),
    class: t.field({ type: TicketClassEnum, required: false }),
    category: t.string({ required: false }),
    serviceId: t.globalID({ required: false, for: ServiceType }),
    impact: t.field({ type: ImpactEnum, required: false }),
    urgency: t.field({ type: UrgencyEnum, required: false }),
    reason: t.string({ required: false }),
  }),
});

builder.mutationField('ticketUpdate', (t) =>
  t.field({
    type: TicketPayload,
    description:
      'Edits and classification (staff). Priority is recomputed unless overridden; a class change renumbers.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketUpdateInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const { id, version, serviceId, ...rest } = input;
      const { ticket } = await updateTicket(db(), actorOf(ctx), id.id, version, {
        ...rest,
        ...(serviceId !== undefined ? { serviceId: serviceId?.id ?? null } : {}),
      });
      return payload(ticket);
    },
  }),
);

const TicketSetPriorityInput = builder.inputType('TicketSetPriorityInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    priority: t.field({
      type: PriorityEnum,
      required: false,
      description: 'Null returns the ticket to the computed priority.',
    }),
    reason: t.string({ required: false, description: 'Required when overriding.' }),
  }),
});

builder.mutationField('ticketSetPriority', (t) =>
  t.field({
    type: TicketPayload,
    description: 'Manual priority override with a reason (audited), or back to the matrix with `priority: null`.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketSetPriorityInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload(
        (
          await overridePriority(
            db(),
            actorOf(ctx),
            input.id.id,
            input.version,
            input.priority ?? null,
            input.reason ?? null,
          )
        ).ticket,
      ),
  }),
);

// ── workflow ────────────────────────────────────────────────────────────────

const TicketTransitionInput = builder.inputType('TicketTransitionInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    to: t.field({ type: TicketStatusEnum }),
    reason: t.string({ required: false }),
  }),
});

builder.mutationField('ticketTransition', (t) =>
  t.field({
    type: TicketPayload,
    description: 'Moves between working states (ASSIGNED, IN_PROGRESS, PENDING_CUSTOMER, PENDING_VENDOR, CANCELLED).',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketTransitionInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload(
        (await transitionTicket(db(), actorOf(ctx), input.id.id, input.version, input.to, input.reason ?? null)).ticket,
      ),
  }),
);

const EntryKindInputEnum = builder.enumType('EntryKindInput', {
  values: ['PUBLIC_REPLY', 'INTERNAL_NOTE', 'PROGRESS_UPDATE', 'VENDOR_REFERENCE'] as const,
  description: 'PUBLIC_REPLY and PROGRESS_UPDATE are customer-visible; INTERNAL_NOTE and VENDOR_REFERENCE never are.',
});

const TicketAddEntryInput = builder.inputType('TicketAddEntryInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    kind: t.field({ type: EntryKindInputEnum }),
    body: t.string(),
    vendorRef: t.string({ required: false }),
  }),
});

builder.mutationField('ticketAddEntry', (t) =>
  t.field({
    type: TicketPayload,
    description: 'Adds a reply, work note, progress update or vendor reference to the work log.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketAddEntryInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload(
        (
          await addEntry(db(), actorOf(ctx), input.id.id, input.version, {
            kind: input.kind,
            body: input.body,
            vendorRef: input.vendorRef ?? null,
          })
        ).ticket,
      ),
  }),
);

const TicketRequestInformationInput = builder.inputType('TicketRequestInformationInput', {
  fields: (t) => ({ id: t.globalID({ for: TicketType }), version: t.int(), body: t.string() }),
});

builder.mutationField('ticketRequestInformation', (t) =>
  t.field({
    type: TicketPayload,
    description: 'Asks the customer for information and waits on them (PENDING_CUSTOMER).',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketRequestInformationInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload((await requestInformation(db(), actorOf(ctx), input.id.id, input.version, input.body)).ticket),
  }),
);

const TicketAssignInput = builder.inputType('TicketAssignInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    resolverGroupId: t.globalID({ required: false, for: ResolverGroupType }),
    assigneeId: t.globalID({ required: false, for: UserType }),
    reason: t.string({ required: false }),
  }),
});

builder.mutationField('ticketAssign', (t) =>
  t.field({
    type: TicketPayload,
    description:
      "Assigns a resolver group and/or an agent by hand: the reason goes to the assignment log and the ticket is pinned (reclassification no longer re-routes it). Moving to another group without `assigneeId` keeps an agent who belongs to it, else the new group's mode chooses; `assigneeId: null` queues it.",
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketAssignInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const raw = input as unknown as Record<string, unknown>;
      const { ticket } = await assignTicket(db(), actorOf(ctx), input.id.id, input.version, {
        ...('resolverGroupId' in raw ? { resolverGroupId: input.resolverGroupId?.id ?? null } : {}),
        ...('assigneeId' in raw ? { assigneeId: input.assigneeId?.id ?? null } : {}),
        reason: input.reason ?? null,
      });
      return payload(ticket);
    },
  }),
);

// ── resolution and closure ──────────────────────────────────────────────────

const TicketResolveInput = builder.inputType('TicketResolveInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    resolutionCode: t.string({ description: 'e.g. FIXED, WORKAROUND, NO_FAULT_FOUND, DUPLICATE, USER_GUIDANCE.' }),
    resolutionNotes: t.string(),
    notifyCustomer: t.boolean({ required: false, defaultValue: true }),
    cascadeToChildren: t.boolean({ required: false, description: 'Defaults to the cascadeResolveToChildren setting.' }),
  }),
});

builder.mutationField('ticketResolve', (t) =>
  t.field({
    type: TicketPayload,
    description:
      'Resolves: documents the solution, informs the customer, updates linked tickets (and cascades to children).',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketResolveInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload(
        (
          await resolveTicket(db(), actorOf(ctx), input.id.id, input.version, {
            resolutionCode: input.resolutionCode,
            resolutionNotes: input.resolutionNotes,
            notifyCustomer: input.notifyCustomer ?? true,
            cascadeToChildren: input.cascadeToChildren ?? null,
          })
        ).ticket,
      ),
  }),
);

const TicketRespondInput = builder.inputType('TicketResolutionResponseInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    accept: t.boolean({ description: 'True confirms the solution; false rejects it and the work resumes.' }),
    comment: t.string({ required: false, description: 'Required when rejecting.' }),
  }),
});

builder.mutationField('ticketRespondToResolution', (t) =>
  t.field({
    type: TicketPayload,
    description: "The customer's confirmation or rejection of a resolution.",
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketRespondInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload(
        (await respondToResolution(db(), actorOf(ctx), input.id.id, input.version, input.accept, input.comment ?? null))
          .ticket,
      ),
  }),
);

const TicketRefInput = builder.inputType('TicketCloseInput', {
  fields: (t) => ({ id: t.globalID({ for: TicketType }), version: t.int() }),
});

builder.mutationField('ticketClose', (t) =>
  t.field({
    type: TicketPayload,
    description: 'Closes a resolved ticket when every closure rule holds; otherwise returns the unmet checklist.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketRefInput }) },
    errors: { types: [...COMMON_ERRORS, ClosureRulesUnmetError] },
    resolve: async (_root, { input }, ctx) =>
      payload((await closeTicket(db(), actorOf(ctx), input.id.id, input.version)).ticket),
  }),
);

const TicketReopenInput = builder.inputType('TicketReopenInput', {
  fields: (t) => ({ id: t.globalID({ for: TicketType }), version: t.int(), reason: t.string() }),
});

const TicketReopenPayload = builder
  .objectRef<{ ticketId: string; newTicketId: string | null }>('TicketReopenPayload')
  .implement({
    fields: (t) => ({
      ticket: t.prismaField({
        type: 'Ticket',
        resolve: (q, p) => db().ticket.findUniqueOrThrow({ ...q, where: { id: p.ticketId } }),
      }),
      newTicket: t.prismaField({
        type: 'Ticket',
        nullable: true,
        description: 'Set when the ticket was closed longer than the reopen window: a new ticket linked to it.',
        resolve: (q, p) => (p.newTicketId ? db().ticket.findUnique({ ...q, where: { id: p.newTicketId } }) : null),
      }),
    }),
  });

builder.mutationField('ticketReopen', (t) =>
  t.field({
    type: TicketReopenPayload,
    description:
      'Reopens a resolved ticket, or a closed one within the reopen window; later, opens a new linked ticket.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketReopenInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const { ticket, newTicket } = await reopenTicket(db(), actorOf(ctx), input.id.id, input.version, input.reason);
      return { ticketId: ticket.id, newTicketId: newTicket?.id ?? null };
    },
  }),
);

// ── links and attachments ───────────────────────────────────────────────────

const TicketLinkInput = builder.inputType('TicketLinkInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    kind: t.field({ type: LinkKindEnum, description: 'Read as: this ticket <kind> the target.' }),
    targetId: t.globalID({ for: TicketType }),
  }),
});

builder.mutationField('ticketLink', (t) =>
  t.field({
    type: TicketPayload,
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketLinkInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload(
        (await linkTickets(db(), actorOf(ctx), input.id.id, input.version, input.targetId.id, input.kind)).ticket,
      ),
  }),
);

const TicketMarkDuplicateInput = builder.inputType('TicketMarkDuplicateInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    originalId: t.globalID({ for: TicketType }),
  }),
});

builder.mutationField('ticketMarkDuplicate', (t) =>
  t.field({
    type: TicketPayload,
    description: 'Links the ticket as a duplicate, resolves it (DUPLICATE) and points the requester to the original.',
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketMarkDuplicateInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload((await markDuplicate(db(), actorOf(ctx), input.id.id, input.version, input.originalId.id)).ticket),
  }),
);

const TicketAddAttachmentInput = builder.inputType('TicketAddAttachmentInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    filename: t.string(),
    contentType: t.string(),
    contentBase64: t.string(),
    internal: t.boolean({ required: false, description: 'Staff only; customer uploads are always visible to them.' }),
  }),
});

builder.mutationField('ticketAddAttachment', (t) =>
  t.field({
    type: TicketPayload,
    authScopes: writeScope,
    args: { input: t.arg({ type: TicketAddAttachmentInput }) },
    errors: { types: COMMON_ERRORS },
    resolve: async (_root, { input }, ctx) =>
      payload((await addAttachment(db(), actorOf(ctx), input.id.id, input.version, input)).ticket),
  }),
);

// ── priority matrix administration ──────────────────────────────────────────

const PriorityCellInput = builder.inputType('PriorityMatrixCellInput', {
  fields: (t) => ({
    impact: t.field({ type: ImpactEnum }),
    urgency: t.field({ type: UrgencyEnum }),
    priority: t.field({ type: PriorityEnum }),
  }),
});

const CriticalityInput = builder.inputType('CriticalityAdjustmentInput', {
  fields: (t) => ({
    criticality: t.string({ description: 'CRITICAL, HIGH, MEDIUM or LOW.' }),
    levels: t.int(),
  }),
});

const PriorityMatrixUpdateInput = builder.inputType('PriorityMatrixUpdateInput', {
  fields: (t) => ({
    cells: t.field({ type: [PriorityCellInput], description: 'All nine impact × urgency cells.' }),
    criticality: t.field({ type: [CriticalityInput], description: 'All four criticality levels.' }),
    note: t.string({ description: 'Why the matrix changes.' }),
  }),
});

builder.mutationField('priorityMatrixUpdate', (t) =>
  t.field({
    type: PriorityMatrixType,
    description: 'Admins publish a new matrix version; existing tickets keep the version that computed them.',
    authScopes: { role: 'ADMIN' },
    args: { input: t.arg({ type: PriorityMatrixUpdateInput }) },
    errors: { types: [] },
    resolve: async (_root, { input }, ctx) => {
      if (!isStaff(ctx.viewer) || !roleAtLeast(ctx.viewer!.role, 'ADMIN')) throw forbidden();
      const cells: Record<string, Record<string, string>> = {};
      for (const c of input.cells) {
        cells[c.impact] ??= {};
        cells[c.impact]![c.urgency] = c.priority;
      }
      const criticality: Record<string, number> = {};
      for (const c of input.criticality) criticality[c.criticality] = c.levels;
      const problems = matrixProblems(cells, criticality);
      if (input.note.trim().length < 5) problems.push({ path: ['note'], message: 'Say why the matrix changes' });
      if (problems.length) throw new ValidationError(problems.map((p) => ({ ...p, path: ['input', ...p.path] })));
      return db().$transaction(async (tx) => {
        const latest = await tx.priorityMatrixVersion.findFirst({ orderBy: { version: 'desc' } });
        return tx.priorityMatrixVersion.create({
          data: {
            version: (latest?.version ?? 0) + 1,
            cells,
            criticality,
            note: input.note.trim(),
            createdById: ctx.viewer!.userId,
          },
        });
      });
    },
  }),
);
