import type { Tx } from '../../db/tx.js';
import {
  type ChecklistItem,
  ClosureRulesUnmetError,
  forbidden,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../../errors.js';
import type { PrismaClient, Ticket } from '../../generated/prisma/client.js';
import type { TicketStatus } from '../../generated/prisma/enums.js';
import { manualAssignmentChange } from '../assignment/assignment.service.js';
import type { AuditChange } from '../audit/audit.service.js';
import { appendAudit } from '../audit/audit.service.js';
import { isStaff } from '../auth/scopes.js';
import { appendEvents } from '../events/eventLog.js';
import { getSettings, type Settings } from '../settings/settings.service.js';
import { canSeeTicket } from './access.js';
import { runAfterChange } from './hooks.js';
import { type Actor, type Clock, mutateTicket, requireScope, requireStaff, systemClock } from './mutate.js';
import { createTicket } from './ticket.service.js';
import { allowedTransitions, canTransition, OPEN_STATUSES } from './workflow.js';

const DAY_MS = 86_400_000;

type Ev = { type: string; internal: boolean; payload: Record<string, unknown> };

function assertTransition(ticket: Ticket, to: TicketStatus) {
  if (!canTransition(ticket.status, to))
    throw new InvalidTransitionError(ticket.status, to, allowedTransitions(ticket.status));
}

function statusChange(
  ticket: Ticket,
  to: TicketStatus,
  reason: string | null,
): { audit: AuditChange; event: { type: string; internal: boolean; payload: Record<string, unknown> } } {
  return {
    audit: { action: 'status_changed', field: 'status', oldValue: ticket.status, newValue: to, reason },
    event: { type: 'ticket.status_changed', internal: false, payload: { from: ticket.status, to } },
  };
}

/** Moves between working states; resolve, close and reopen have their own rules and mutations. */
export async function transitionTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  to: TicketStatus,
  reason: string | null,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  const customerMayCancel = to === 'CANCELLED';
  if (!customerMayCancel) requireStaff(actor, `move tickets to ${to}`);
  if (to === 'RESOLVED' || to === 'CLOSED') {
    throw ValidationError.of(
      'input.to',
      `Use ticket${to === 'RESOLVED' ? 'Resolve' : 'Close'}: it records and checks what ${to} needs`,
    );
  }
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (ticket) => {
      if (ticket.status === 'RESOLVED' || ticket.status === 'CLOSED') {
        if (to === 'IN_PROGRESS')
          throw ValidationError.of('input.to', 'Use ticketReopen to reopen a resolved or closed ticket');
      }
      assertTransition(ticket, to);
      if (to === 'ASSIGNED' && !ticket.assigneeId && !ticket.resolverGroupId) {
        throw new InvalidTransitionError(
          ticket.status,
          to,
          allowedTransitions(ticket.status),
          'Assign a resolver group or an agent first',
        );
      }
      if (to === 'CANCELLED' && !isStaff(actor.viewer) && ticket.requesterId !== actor.viewer.userId) {
        throw forbidden('Only the requester or the service desk can cancel a ticket');
      }
      if (to === 'CANCELLED' && !reason?.trim())
        throw ValidationError.of('input.reason', 'Say why the ticket is cancelled');
      const { audit, event } = statusChange(ticket, to, reason);
      return { data: { status: to }, audit: [audit], events: [event] };
    },
    clock,
  );
}

export type EntryKindInput = 'PUBLIC_REPLY' | 'INTERNAL_NOTE' | 'PROGRESS_UPDATE' | 'VENDOR_REFERENCE';

/**
 * Adds to the work log. Customers write public replies only; a customer's reply to a ticket waiting on them puts
 * it back in progress. The first public reply by staff is the ticket's first response.
 */
export async function addEntry(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: { kind: EntryKindInput; body: string; vendorRef?: string | null },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  const staff = isStaff(actor.viewer);
  const body = input.body.trim();
  if (body.length < 1 || body.length > 50_000) throw ValidationError.of('input.body', 'Write 1 to 50,000 characters');
  if (!staff && input.kind !== 'PUBLIC_REPLY') throw forbidden('Customers can only add public replies');
  if (input.kind === 'VENDOR_REFERENCE' && !input.vendorRef?.trim()) {
    throw ValidationError.of('input.vendorRef', "Give the vendor's reference");
  }
  const internal = input.kind === 'INTERNAL_NOTE' || input.kind === 'VENDOR_REFERENCE';
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (ticket, _tx, at) => {
      if (ticket.status === 'CLOSED' || ticket.status === 'CANCELLED') {
        throw ValidationError.of(
          'input',
          `${ticket.number} is ${ticket.status}; reopen it to continue the conversation`,
        );
      }
      const data: Record<string, unknown> = {};
      const audit: AuditChange[] = [
        { action: 'entry_added', field: 'entries', newValue: { kind: input.kind, internal } },
      ];
      const events: Ev[] = [{ type: 'ticket.commented', internal, payload: { kind: input.kind } }];
      if (staff && !internal) data.agentReplyCount = { increment: 1 };
      if (staff && !internal && !ticket.firstResponseAt) {
        data.firstResponseAt = at;
        audit.push({ action: 'first_response', field: 'firstResponseAt', newValue: at.toISOString() });
      }
      if (!staff && ticket.status === 'PENDING_CUSTOMER') {
        const change = statusChange(ticket, 'IN_PROGRESS', 'customer replied');
        data.status = 'IN_PROGRESS';
        audit.push(change.audit);
        events.push(change.event);
      }
      return {
        data,
        audit,
        events,
        after: async (tx) => {
          await tx.ticketEntry.create({
            data: {
              ticketId: ticket.id,
              kind: input.kind,
              internal,
              body,
              vendorRef: input.vendorRef?.trim() || null,
              authorId: actor.viewer.userId,
              channel: actor.channel,
              createdAt: at,
            },
          });
        },
      };
    },
    clock,
  );
}

/** Asks the customer for information: a public request in the work log, and the clock waits on them. */
export async function requestInformation(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  body: string,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'request information');
  const text = body.trim();
  if (text.length < 5) throw ValidationError.of('input.body', 'Say what information you need');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (ticket, _tx, at) => {
      assertTransition(ticket, 'PENDING_CUSTOMER');
      const { audit, event } = statusChange(ticket, 'PENDING_CUSTOMER', 'information requested');
      return {
        data: {
          status: 'PENDING_CUSTOMER',
          agentReplyCount: { increment: 1 },
          ...(ticket.firstResponseAt ? {} : { firstResponseAt: at }),
        },
        audit: [
          audit,
          { action: 'entry_added', field: 'entries', newValue: { kind: 'INFORMATION_REQUEST', internal: false } },
        ],
        events: [event, { type: 'ticket.commented', internal: false, payload: { kind: 'INFORMATION_REQUEST' } }],
        after: async (tx) => {
          await tx.ticketEntry.create({
            data: {
              ticketId: ticket.id,
              kind: 'INFORMATION_REQUEST',
              internal: false,
              body: text,
              authorId: actor.viewer.userId,
              channel: actor.channel,
              createdAt: at,
            },
          });
        },
      };
    },
    clock,
  );
}

export interface ResolveInput {
  resolutionCode: string;
  resolutionNotes: string;
  /** Send the customer a resolution notice (the "customer informed" closure rule); default true. */
  notifyCustomer?: boolean | null;
  /** Resolve open child tickets too; defaults to the `cascadeResolveToChildren` setting. */
  cascadeToChildren?: boolean | null;
}

async function linkedTicketIds(tx: Tx, ticketId: string) {
  const links = await tx.ticketLink.findMany({ where: { OR: [{ fromId: ticketId }, { toId: ticketId }] } });
  const children = links.filter((l) => l.kind === 'PARENT_OF' && l.fromId === ticketId).map((l) => l.toId);
  const others = [...new Set(links.map((l) => (l.fromId === ticketId ? l.toId : l.fromId)))];
  return { children, others };
}

/**
 * Resolves: records code and notes, informs the customer, updates every linked ticket with a note, and (if asked
 * or configured) resolves open children with the same resolution.
 */
export async function resolveTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: ResolveInput,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'resolve tickets');
  const code = input.resolutionCode.trim();
  const notes = input.resolutionNotes.trim();
  const issues = [];
  if (!/^[A-Z][A-Z0-9_]{1,49}$/.test(code))
    issues.push({
      path: ['input', 'resolutionCode'],
      message: 'Use an upper-case code such as FIXED, WORKAROUND, DUPLICATE',
    });
  if (notes.length < 10)
    issues.push({ path: ['input', 'resolutionNotes'], message: 'Document what was done (at least 10 characters)' });
  if (issues.length) throw new ValidationError(issues);
  const settings = await getSettings(prisma);
  const cascade = input.cascadeToChildren ?? settings.cascadeResolveToChildren;
  const notify = input.notifyCustomer ?? true;
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (ticket, _tx, at) => {
      assertTransition(ticket, 'RESOLVED');
      const { audit, event } = statusChange(ticket, 'RESOLVED', code);
      return {
        data: {
          status: 'RESOLVED',
          resolutionCode: code,
          resolutionNotes: notes,
          resolvedAt: at,
          resolutionConfirmed: null,
          ...(notify && !ticket.firstResponseAt ? { firstResponseAt: at } : {}),
        },
        audit: [
          audit,
          { action: 'field_changed', field: 'resolutionCode', oldValue: ticket.resolutionCode, newValue: code },
          { action: 'field_changed', field: 'resolutionNotes', oldValue: ticket.resolutionNotes, newValue: notes },
          ...(notify
            ? [{ action: 'customer_informed', field: 'entries', newValue: { kind: 'RESOLUTION_NOTICE' } }]
            : []),
        ],
        events: [event],
        after: async (tx, resolved) => {
          if (notify) {
            await tx.ticketEntry.create({
              data: {
                ticketId: ticket.id,
                kind: 'RESOLUTION_NOTICE',
                internal: false,
                body: `${resolved.number} is resolved (${code}).\n\n${notes}\n\nPlease confirm the solution works, or reject it if it does not.`,
                authorId: actor.viewer.userId,
                channel: actor.channel,
                createdAt: at,
              },
            });
          }
          const { children, others } = await linkedTicketIds(tx, ticket.id);
          for (const otherId of others) {
            const cascadeThis = cascade && children.includes(otherId);
            await noteOnLinkedTicket(tx, actor, otherId, resolved, code, notes, cascadeThis, at);
          }
        },
      };
    },
    clock,
  );
}

/** Writes "linked ticket resolved" on a linked ticket (and resolves it when cascading), with its own audit. */
async function noteOnLinkedTicket(
  tx: Tx,
  actor: Actor,
  ticketId: string,
  source: Ticket,
  code: string,
  notes: string,
  resolve: boolean,
  at: Date,
) {
  const target = await tx.ticket.findUnique({ where: { id: ticketId } });
  if (!target) return;
  const audit: AuditChange[] = [
    { action: 'linked_ticket_resolved', field: 'entries', newValue: { source: source.number, code } },
  ];
  const events = [
    {
      type: 'ticket.commented',
      ticketId: target.id,
      organizationId: target.organizationId,
      internal: true,
      payload: { kind: 'PROGRESS_UPDATE', source: source.number },
    },
  ];
  const data: Record<string, unknown> = { version: { increment: 1 }, updatedAt: at };
  if (resolve && OPEN_STATUSES.includes(target.status)) {
    Object.assign(data, {
      status: 'RESOLVED',
      resolutionCode: code,
      resolutionNotes: `Resolved with parent ${source.number}: ${notes}`,
      resolvedAt: at,
      resolutionConfirmed: null,
    });
    audit.push({
      action: 'status_changed',
      field: 'status',
      oldValue: target.status,
      newValue: 'RESOLVED',
      reason: `cascade from parent ${source.number}`,
    });
    events.push({
      type: 'ticket.status_changed',
      ticketId: target.id,
      organizationId: target.organizationId,
      internal: false,
      payload: { from: target.status, to: 'RESOLVED' } as never,
    });
  }
  const updated = await tx.ticket.update({ where: { id: target.id }, data });
  await tx.ticketEntry.create({
    data: {
      ticketId: target.id,
      kind: 'PROGRESS_UPDATE',
      internal: true,
      body: `Linked ticket ${source.number} was resolved (${code}): ${notes}`,
      authorId: actor.viewer.userId,
      channel: actor.channel,
      createdAt: at,
    },
  });
  if (resolve && OPEN_STATUSES.includes(target.status)) {
    await tx.ticketEntry.create({
      data: {
        ticketId: target.id,
        kind: 'RESOLUTION_NOTICE',
        internal: false,
        body: `${target.number} is resolved together with ${source.number} (${code}).\n\n${notes}`,
        authorId: actor.viewer.userId,
        channel: actor.channel,
        createdAt: at,
      },
    });
  }
  const hooked = await runAfterChange({ tx, actor, at }, target, updated);
  audit.push(...hooked.audit);
  events.push(
    ...hooked.events.map((e) => ({ ...e, ticketId: target.id, organizationId: target.organizationId }) as never),
  );
  await appendAudit(tx, target.id, { actorId: actor.viewer.userId, channel: actor.channel }, audit, at);
  await appendEvents(tx, events, at);
}

/** The customer (or staff on their behalf) confirms the resolution, or rejects it and the work resumes. */
export async function respondToResolution(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  accept: boolean,
  comment: string | null,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  if (!accept && !comment?.trim()) throw ValidationError.of('input.comment', 'Say what is still wrong');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (ticket, _tx, at) => {
      if (ticket.status !== 'RESOLVED') {
        throw new InvalidTransitionError(
          ticket.status,
          accept ? 'CLOSED' : 'IN_PROGRESS',
          allowedTransitions(ticket.status),
          `${ticket.number} is not awaiting confirmation (it is ${ticket.status})`,
        );
      }
      const audit: AuditChange[] = [
        {
          action: accept ? 'resolution_confirmed' : 'resolution_rejected',
          field: 'resolutionConfirmed',
          oldValue: ticket.resolutionConfirmed,
          newValue: accept,
          reason: comment,
        },
      ];
      const events: Ev[] = [{ type: 'ticket.updated', internal: false, payload: { resolutionConfirmed: accept } }];
      const data: Record<string, unknown> = { resolutionConfirmed: accept };
      if (!accept) {
        const change = statusChange(ticket, 'IN_PROGRESS', 'resolution rejected');
        Object.assign(data, { status: 'IN_PROGRESS', resolvedAt: null, reopenCount: { increment: 1 } });
        audit.push(change.audit);
        events.push(change.event);
      }
      return {
        data,
        audit,
        events,
        after: comment?.trim()
          ? async (tx) => {
              await tx.ticketEntry.create({
                data: {
                  ticketId: ticket.id,
                  kind: 'PUBLIC_REPLY',
                  internal: false,
                  body: comment.trim(),
                  authorId: actor.viewer.userId,
                  channel: actor.channel,
                  createdAt: at,
                },
              });
            }
          : undefined,
      };
    },
    clock,
  );
}

/** The closure rules of the process, evaluated now. Every item says what is missing. */
export async function closureChecklist(
  prisma: PrismaClient | Tx,
  ticket: Ticket,
  settings: Settings,
  now: Date,
): Promise<ChecklistItem[]> {
  const resolvedAt = ticket.resolvedAt;
  const items: ChecklistItem[] = [];
  items.push({
    rule: 'RESOLVED',
    satisfied: ticket.status === 'RESOLVED',
    detail: ticket.status === 'RESOLVED' ? 'the ticket is resolved' : `the ticket is ${ticket.status}, not RESOLVED`,
  });
  const documented = !!ticket.resolutionCode && (ticket.resolutionNotes?.trim().length ?? 0) >= 10;
  items.push({
    rule: 'DOCUMENTED',
    satisfied: documented,
    detail: documented ? 'resolution code and notes recorded' : 'record a resolution code and notes',
  });
  const notice = resolvedAt
    ? await prisma.ticketEntry.findFirst({
        where: { ticketId: ticket.id, kind: 'RESOLUTION_NOTICE', internal: false, createdAt: { gte: resolvedAt } },
      })
    : null;
  items.push({
    rule: 'CUSTOMER_INFORMED',
    satisfied: !!notice,
    detail: notice ? 'the customer received the resolution notice' : 'inform the customer of the resolution',
  });
  const autoValidatedAt = resolvedAt ? new Date(resolvedAt.getTime() + settings.autoCloseDays * DAY_MS) : null;
  const validated =
    ticket.resolutionConfirmed === true ||
    (ticket.resolutionConfirmed === null && !!autoValidatedAt && now >= autoValidatedAt);
  items.push({
    rule: 'SOLUTION_VALIDATED',
    satisfied: validated,
    detail:
      ticket.resolutionConfirmed === true
        ? 'the customer confirmed the solution'
        : validated
          ? `no rejection within ${settings.autoCloseDays} days`
          : `awaiting the customer's confirmation (or ${settings.autoCloseDays} days without rejection${autoValidatedAt ? `, from ${autoValidatedAt.toISOString()}` : ''})`,
  });
  const links = await prisma.ticketLink.findMany({ where: { OR: [{ fromId: ticket.id }, { toId: ticket.id }] } });
  const pending: string[] = [];
  for (const link of links) {
    const otherId = link.fromId === ticket.id ? link.toId : link.fromId;
    const other = await prisma.ticket.findUnique({ where: { id: otherId }, select: { number: true, status: true } });
    if (!other) continue;
    if (link.kind === 'PARENT_OF' && link.fromId === ticket.id && OPEN_STATUSES.includes(other.status)) {
      pending.push(`child ${other.number} is still ${other.status}`);
      continue;
    }
    const noted = resolvedAt
      ? await prisma.ticketEntry.findFirst({
          where: {
            ticketId: otherId,
            kind: 'PROGRESS_UPDATE',
            createdAt: { gte: resolvedAt },
            body: { contains: ticket.number },
          },
        })
      : null;
    if (!noted) pending.push(`${other.number} has not been updated`);
  }
  items.push({
    rule: 'LINKED_TICKETS_UPDATED',
    satisfied: pending.length === 0,
    detail: pending.length ? pending.join(', ') : links.length ? 'linked tickets updated' : 'no linked tickets',
  });
  return items;
}

export async function closeTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'close tickets');
  const settings = await getSettings(prisma);
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    async (ticket, tx, at) => {
      if (ticket.status !== 'RESOLVED') assertTransition(ticket, 'CLOSED');
      const checklist = await closureChecklist(tx, ticket, settings, at);
      if (checklist.some((i) => !i.satisfied)) throw new ClosureRulesUnmetError(checklist);
      const { audit, event } = statusChange(ticket, 'CLOSED', checklist.map((i) => i.detail).join('; '));
      return { data: { status: 'CLOSED', closedAt: at }, audit: [audit], events: [event] };
    },
    clock,
  );
}

/**
 * Reopens a RESOLVED ticket, or a CLOSED one within the reopen window. Past the window the closed ticket stays
 * closed and a new ticket, linked to it, carries the problem forward.
 */
export async function reopenTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  reason: string,
  clock: Clock = systemClock,
): Promise<{ ticket: Ticket; newTicket: Ticket | null }> {
  requireScope(actor, 'tickets:write');
  const why = reason.trim();
  if (why.length < 5) throw ValidationError.of('input.reason', 'Say why the ticket is reopened');
  const settings = await getSettings(prisma);
  const now = clock.now();
  const current = await prisma.ticket.findUnique({ where: { id: ticketId } });
  if (!current || !(await canSeeTicket(prisma, actor.viewer, current))) throw new NotFoundError('Ticket', ticketId);
  if (
    !isStaff(actor.viewer) &&
    current.requesterId !== actor.viewer.userId &&
    current.organizationId !== actor.viewer.organizationId
  ) {
    throw forbidden('Only the requester or the service desk can reopen a ticket');
  }
  const windowEnd = current.closedAt ? new Date(current.closedAt.getTime() + settings.reopenWindowDays * DAY_MS) : null;
  if (current.status === 'CLOSED' && windowEnd && now > windowEnd) {
    if (current.version !== version) {
      const { ConflictError } = await import('../../errors.js');
      throw new ConflictError(`${current.number} was changed by someone else; reload and try again`, current.version);
    }
    const { ticket: created } = await createTicket(
      prisma,
      actor,
      {
        title: current.title,
        description: `Follow-up of ${current.number} (closed ${current.closedAt!.toISOString().slice(0, 10)}, past the ${settings.reopenWindowDays}-day reopen window): ${why}\n\n${current.description}`,
        class: current.class,
        impact: current.impact,
        urgency: current.urgency,
        serviceId: current.serviceId,
        category: current.category,
        requesterId: current.requesterId,
      },
      clock,
    );
    // The follow-up link is the system's doing, so it is written here rather than through linkTickets (staff only).
    const { ticket: newTicket } = await mutateTicket(
      prisma,
      actor,
      created.id,
      created.version,
      () => ({
        audit: [
          {
            action: 'linked',
            field: 'links',
            newValue: { kind: 'RELATED_TO', to: current.number },
            reason: `follow-up: ${why}`,
          },
        ],
        events: [{ type: 'ticket.linked', internal: false, payload: { kind: 'RELATED_TO', to: current.number } }],
        after: async (tx, t) => {
          await tx.ticketLink.create({
            data: {
              fromId: t.id,
              toId: current.id,
              kind: 'RELATED_TO',
              createdAt: now,
              createdById: actor.viewer.userId,
            },
          });
          await appendAudit(
            tx,
            current.id,
            { actorId: actor.viewer.userId, channel: actor.channel },
            [
              {
                action: 'follow_up_created',
                field: 'links',
                newValue: { kind: 'inverse:RELATED_TO', from: t.number },
                reason: why,
              },
            ],
            now,
          );
        },
      }),
      clock,
    );
    return { ticket: current, newTicket };
  }
  const { ticket } = await mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (t) => {
      if (t.status !== 'RESOLVED' && t.status !== 'CLOSED') {
        throw new InvalidTransitionError(
          t.status,
          'IN_PROGRESS',
          allowedTransitions(t.status),
          `${t.number} is ${t.status}: only RESOLVED or CLOSED tickets are reopened`,
        );
      }
      const { audit, event } = statusChange(t, 'IN_PROGRESS', `reopened: ${why}`);
      return {
        data: {
          status: 'IN_PROGRESS',
          resolvedAt: null,
          closedAt: null,
          resolutionConfirmed: null,
          reopenCount: { increment: 1 },
        },
        audit: [audit],
        events: [event],
      };
    },
    clock,
  );
  return { ticket, newTicket: null };
}

export type LinkKindInput = 'PARENT_OF' | 'DUPLICATE_OF' | 'RELATED_TO' | 'CAUSED_BY';

/** Links two tickets the caller can see (staff only); the link is audited on both. */
export async function linkTickets(
  prisma: PrismaClient,
  actor: Actor,
  fromId: string,
  version: number,
  toId: string,
  kind: LinkKindInput,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  if (fromId === toId) throw ValidationError.of('input.targetId', 'A ticket cannot be linked to itself');
  const target = await prisma.ticket.findUnique({ where: { id: toId } });
  if (!target || !(await canSeeTicket(prisma, actor.viewer, target))) throw new NotFoundError('Ticket', toId);
  if (!isStaff(actor.viewer)) throw forbidden('Only service desk staff can link tickets');
  return mutateTicket(
    prisma,
    actor,
    fromId,
    version,
    async (ticket, tx, at) => {
      const existing = await tx.ticketLink.findFirst({ where: { fromId, toId, kind } });
      if (existing) throw ValidationError.of('input', `${ticket.number} is already ${kind} ${target.number}`);
      if (kind === 'PARENT_OF' && (await isAncestor(tx, toId, fromId))) {
        throw ValidationError.of(
          'input.kind',
          `${target.number} is already above ${ticket.number}: that would make a cycle`,
        );
      }
      return {
        audit: [{ action: 'linked', field: 'links', newValue: { kind, to: target.number } }],
        events: [{ type: 'ticket.linked', internal: false, payload: { kind, to: target.number } }],
        after: async (t) => {
          await t.ticketLink.create({ data: { fromId, toId, kind, createdAt: at, createdById: actor.viewer.userId } });
          await appendAudit(
            t,
            toId,
            { actorId: actor.viewer.userId, channel: actor.channel },
            [{ action: 'linked', field: 'links', newValue: { kind: `inverse:${kind}`, from: ticket.number } }],
            at,
          );
        },
      };
    },
    clock,
  );
}

async function isAncestor(tx: Tx, candidate: string, of: string): Promise<boolean> {
  let frontier = [of];
  const seen = new Set<string>();
  while (frontier.length) {
    const parents = await tx.ticketLink.findMany({
      where: { kind: 'PARENT_OF', toId: { in: frontier } },
      select: { fromId: true },
    });
    frontier = [];
    for (const p of parents) {
      if (p.fromId === candidate) return true;
      if (!seen.has(p.fromId)) {
        seen.add(p.fromId);
        frontier.push(p.fromId);
      }
    }
  }
  return false;
}

/** Marks a ticket as a duplicate: links it, resolves it with code DUPLICATE and points the requester to the original. */
export async function markDuplicate(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  originalId: string,
  clock: Clock = systemClock,
) {
  requireStaff(actor, 'mark duplicates');
  const original = await prisma.ticket.findUnique({ where: { id: originalId } });
  if (!original || !(await canSeeTicket(prisma, actor.viewer, original))) throw new NotFoundError('Ticket', originalId);
  const linked = await linkTickets(prisma, actor, ticketId, version, originalId, 'DUPLICATE_OF', clock);
  return resolveTicket(
    prisma,
    actor,
    ticketId,
    linked.ticket.version,
    {
      resolutionCode: 'DUPLICATE',
      resolutionNotes: `This request duplicates ${original.number} ("${original.title}"). Work continues there: please follow ${original.number} for updates.`,
      notifyCustomer: true,
      cascadeToChildren: false,
    },
    clock,
  );
}

/** Manual assignment to a resolver group and/or agent, with the reason in the assignment log. */
export async function assignTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: { resolverGroupId?: string | null; assigneeId?: string | null; reason?: string | null },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'assign tickets');
  if (input.resolverGroupId === undefined && input.assigneeId === undefined)
    throw ValidationError.of('input', 'Give a resolver group, an agent or both');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    // Assignment semantics (decision log, pinning, group changes, picking in the new group) live in assignment.
    (ticket, tx, at) => manualAssignmentChange(tx, actor, ticket, input, at),
    clock,
  );
}

export interface AttachmentInput {
  filename: string;
  contentType: string;
  contentBase64: string;
  internal?: boolean | null;
}

/** Stores an attachment (content in the database, within the size limit); customers' uploads are always public. */
export async function addAttachment(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: AttachmentInput,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  const settings = await getSettings(prisma);
  const filename = input.filename.trim().replace(/[\\/\0]/g, '_');
  const issues: { path: string[]; message: string }[] = [];
  if (!filename || filename.length > 255)
    issues.push({ path: ['input', 'filename'], message: 'Use 1 to 255 characters' });
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(input.contentType))
    issues.push({ path: ['input', 'contentType'], message: 'Give a MIME type such as text/plain' });
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64))
    issues.push({ path: ['input', 'contentBase64'], message: 'Not valid base64' });
  const content = Buffer.from(input.contentBase64, 'base64');
  if (content.length > settings.attachmentMaxBytes) {
    issues.push({
      path: ['input', 'contentBase64'],
      message: `Larger than the ${settings.attachmentMaxBytes} byte limit`,
    });
  }
  if (issues.length) throw new ValidationError(issues);
  const internal = isStaff(actor.viewer) ? !!input.internal : false;
  const { createHash } = await import('node:crypto');
  const sha256 = createHash('sha256').update(content).digest('hex');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    (ticket, _tx, at) => ({
      audit: [
        {
          action: 'attachment_added',
          field: 'attachments',
          newValue: { filename, size: content.length, sha256, internal },
        },
      ],
      events: [{ type: 'ticket.commented', internal, payload: { kind: 'ATTACHMENT', filename } }],
      after: async (tx) => {
        await tx.attachment.create({
          data: {
            ticketId: ticket.id,
            filename,
            contentType: input.contentType,
            size: content.length,
            sha256,
            content,
            internal,
            createdAt: at,
            createdById: actor.viewer.userId,
          },
        });
      },
    }),
    clock,
  );
}
