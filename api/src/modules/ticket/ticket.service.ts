import { createHash } from 'node:crypto';
import type { Tx } from '../../db/tx.js';
import { forbidden, IdempotencyKeyReusedError, NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient, Ticket } from '../../generated/prisma/client.js';
import type { Channel, Impact, Priority, TicketClass, Urgency } from '../../generated/prisma/enums.js';
import { type AuditChange, appendAudit } from '../audit/audit.service.js';
import { isStaff } from '../auth/scopes.js';
import { notifyEventsCommitted } from '../events/bus.js';
import { appendEvents } from '../events/eventLog.js';
import { runAfterCreate } from './hooks.js';
import { type Actor, type Clock, mutateTicket, requireScope, requireStaff, systemClock } from './mutate.js';
import { CLASS_PREFIX, nextTicketNumber } from './numbering.js';
import { type CriticalityAdjustment, computePriority, type MatrixCells } from './priority.js';
import { missingInformation } from './verification.js';

export interface TicketCreateInput {
  title: string;
  description: string;
  class: TicketClass;
  impact: Impact;
  urgency: Urgency;
  serviceId?: string | null;
  category?: string | null;
  /** Staff may log a ticket on behalf of a customer; customers always request for themselves. */
  requesterId?: string | null;
  /** Defaults to the caller's channel (API for tokens, PORTAL for sessions); staff may record PHONE or EMAIL. */
  channel?: Channel | null;
  idempotencyKey?: string | null;
  /** When verification finds information missing, ask the customer for it at once (status PENDING_CUSTOMER). */
  awaitMissingInformation?: boolean | null;
}

function textProblems(input: { title?: string | null; description?: string | null }) {
  const issues: { path: string[]; message: string }[] = [];
  if (input.title !== undefined && input.title !== null) {
    const t = input.title.trim();
    if (t.length < 3 || t.length > 200) issues.push({ path: ['input', 'title'], message: 'Use 3 to 200 characters' });
  }
  if (input.description !== undefined && input.description !== null && input.description.length > 50_000) {
    issues.push({ path: ['input', 'description'], message: 'Use at most 50,000 characters' });
  }
  return issues;
}

export async function latestMatrix(prisma: PrismaClient | Tx) {
  const matrix = await prisma.priorityMatrixVersion.findFirst({ orderBy: { version: 'desc' } });
  if (!matrix) throw new Error('no priority matrix: reference data was not initialised');
  return matrix;
}

async function priorityFor(
  prisma: PrismaClient | Tx,
  impact: Impact,
  urgency: Urgency,
  serviceId: string | null,
  matrixVersion?: number,
) {
  const matrix = matrixVersion
    ? await prisma.priorityMatrixVersion.findUniqueOrThrow({ where: { version: matrixVersion } })
    : await latestMatrix(prisma);
  const service = serviceId ? await prisma.service.findUnique({ where: { id: serviceId } }) : null;
  const decision = computePriority(
    matrix.cells as MatrixCells,
    matrix.criticality as CriticalityAdjustment,
    impact,
    urgency,
    service?.criticality ?? null,
  );
  return { ...decision, matrixVersion: matrix.version };
}

function requestHash(input: TicketCreateInput, requesterId: string): string {
  const canonical = JSON.stringify([
    input.title.trim(),
    input.description,
    input.class,
    input.impact,
    input.urgency,
    input.serviceId ?? null,
    input.category ?? null,
    requesterId,
    input.awaitMissingInformation ?? false,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CreateResult {
  ticket: Ticket;
  /** True when an earlier request with the same idempotency key created it; nothing new was written. */
  replayed: boolean;
}

export async function createTicket(
  prisma: PrismaClient,
  actor: Actor,
  input: TicketCreateInput,
  clock: Clock = systemClock,
): Promise<CreateResult> {
  requireScope(actor, 'tickets:write');
  const viewer = actor.viewer;
  const staff = isStaff(viewer);
  const issues = textProblems(input);
  if (
    input.idempotencyKey !== undefined &&
    input.idempotencyKey !== null &&
    !/^[\w.:-]{8,128}$/.test(input.idempotencyKey)
  ) {
    issues.push({ path: ['input', 'idempotencyKey'], message: 'Use 8 to 128 letters, digits, or . _ : -' });
  }
  if (input.requesterId && !staff && input.requesterId !== viewer.userId) {
    throw forbidden('Customers can only open tickets for themselves');
  }
  if (input.channel && !staff) issues.push({ path: ['input', 'channel'], message: 'Only staff record the channel' });
  if (issues.length) throw new ValidationError(issues);

  const requesterId = input.requesterId ?? viewer.userId;
  const requester = await prisma.user.findUnique({ where: { id: requesterId } });
  if (!requester?.active) throw new NotFoundError('User', requesterId);
  const organizationId = requester.organizationId;
  if (input.serviceId) {
    const service = await prisma.service.findUnique({ where: { id: input.serviceId } });
    if (!service?.active) throw new NotFoundError('Service', input.serviceId);
  }

  const hash = requestHash(input, requesterId);
  if (input.idempotencyKey) {
    const existing = await prisma.ticket.findUnique({
      where: { organizationId_idempotencyKey: { organizationId, idempotencyKey: input.idempotencyKey } },
    });
    if (existing) {
      if (existing.idempotencyHash !== hash) throw new IdempotencyKeyReusedError(existing.number);
      return { ticket: existing, replayed: true };
    }
  }

  const at = clock.now();
  const serviceId = input.serviceId ?? null;
  const category = input.category?.trim() || null;
  const description = input.description.trim();
  const missing = missingInformation({ class: input.class, description, serviceId, category });
  const awaiting = !!input.awaitMissingInformation && missing.length > 0;
  try {
    const ticket = await prisma.$transaction(
      async (tx) => {
        const priority = await priorityFor(tx, input.impact, input.urgency, serviceId);
        const number = await nextTicketNumber(tx, input.class);
        const created = await tx.ticket.create({
          data: {
            number,
            class: input.class,
            title: input.title.trim(),
            description,
            requesterId,
            organizationId,
            channel: input.channel ?? actor.channel,
            serviceId,
            category,
            impact: input.impact,
            urgency: input.urgency,
            priority: priority.priority,
            priorityMatrixVersion: priority.matrixVersion,
            priorityReason: priority.explanation,
            status: awaiting ? 'PENDING_CUSTOMER' : 'NEW',
            missingInformation: missing,
            idempotencyKey: input.idempotencyKey ?? null,
            idempotencyHash: input.idempotencyKey ? hash : null,
            createdById: viewer.userId,
            createdAt: at,
            updatedAt: at,
            numbers: { create: { number, current: true, createdAt: at } },
          },
        });
        if (awaiting) {
          await tx.ticketEntry.create({
            data: {
              ticketId: created.id,
              kind: 'INFORMATION_REQUEST',
              internal: false,
              body: `To work on ${number} we need: ${missing.join('; ')}.`,
              channel: actor.channel,
              createdAt: at,
            },
          });
        }
        const hooked = await runAfterCreate({ tx, actor, at }, created);
        const audit: AuditChange[] = [
          {
            action: 'created',
            newValue: {
              number,
              class: created.class,
              title: created.title,
              status: created.status,
              impact: created.impact,
              urgency: created.urgency,
              priority: created.priority,
              priorityMatrixVersion: created.priorityMatrixVersion,
              serviceId,
              category,
              requesterId,
              channel: created.channel,
              missingInformation: missing,
            },
            reason: priority.explanation,
          },
          ...hooked.audit,
        ];
        await appendAudit(tx, created.id, { actorId: viewer.userId, channel: actor.channel }, audit, at);
        await appendEvents(
          tx,
          [
            {
              type: 'ticket.created',
              ticketId: created.id,
              organizationId,
              internal: false,
              payload: { number, status: created.status, priority: created.priority, class: created.class },
            },
            ...hooked.events.map((e) => ({ ...e, ticketId: created.id, organizationId })),
          ],
          at,
        );
        return tx.ticket.findUniqueOrThrow({ where: { id: created.id } });
      },
      { timeout: 20_000 },
    );
    notifyEventsCommitted();
    return { ticket, replayed: false };
  } catch (err) {
    // Two concurrent requests with one key: the loser finds the winner's ticket and answers as a replay would.
    if (input.idempotencyKey && (err as { code?: string }).code === 'P2002') {
      const existing = await prisma.ticket.findUnique({
        where: { organizationId_idempotencyKey: { organizationId, idempotencyKey: input.idempotencyKey } },
      });
      if (existing) {
        if (existing.idempotencyHash !== hash) throw new IdempotencyKeyReusedError(existing.number);
        return { ticket: existing, replayed: true };
      }
    }
    throw err;
  }
}

export interface TicketUpdateInput {
  title?: string | null;
  description?: string | null;
  class?: TicketClass | null;
  category?: string | null;
  serviceId?: string | null;
  impact?: Impact | null;
  urgency?: Urgency | null;
  /** Why (recorded in the audit trail with every change). */
  reason?: string | null;
}

const FIELDS = ['title', 'description', 'class', 'category', 'serviceId', 'impact', 'urgency'] as const;

/** Classification and details. A class change issues a new number (the old one keeps resolving). */
export async function updateTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: TicketUpdateInput,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'reclassify or edit tickets');
  const issues = textProblems(input);
  if (issues.length) throw new ValidationError(issues);
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    async (ticket, tx, at) => {
      if (ticket.status === 'CLOSED' || ticket.status === 'CANCELLED') {
        throw ValidationError.of('input', `${ticket.number} is ${ticket.status}; reopen it first`);
      }
      const next = {
        title: input.title?.trim() ?? ticket.title,
        description: input.description?.trim() ?? ticket.description,
        class: input.class ?? ticket.class,
        category: input.category === undefined ? ticket.category : input.category?.trim() || null,
        serviceId: input.serviceId === undefined ? ticket.serviceId : input.serviceId,
        impact: input.impact ?? ticket.impact,
        urgency: input.urgency ?? ticket.urgency,
      };
      if (next.serviceId && next.serviceId !== ticket.serviceId) {
        const service = await tx.service.findUnique({ where: { id: next.serviceId } });
        if (!service?.active) throw new NotFoundError('Service', next.serviceId);
      }
      const audit: AuditChange[] = [];
      const data: Record<string, unknown> = {};
      for (const field of FIELDS) {
        if (next[field] !== ticket[field]) {
          audit.push({
            action: 'field_changed',
            field,
            oldValue: ticket[field],
            newValue: next[field],
            reason: input.reason ?? null,
          });
          data[field] = next[field];
        }
      }
      if (audit.length === 0) throw ValidationError.of('input', 'Nothing to change');
      const events: TicketChangeEvents = [
        { type: 'ticket.updated', internal: false, payload: { fields: Object.keys(data) } },
      ];

      let newNumber: string | null = null;
      if (next.class !== ticket.class && CLASS_PREFIX[next.class] !== CLASS_PREFIX[ticket.class]) {
        newNumber = await nextTicketNumber(tx, next.class);
        data.number = newNumber;
        audit.push({ action: 'renumbered', field: 'number', oldValue: ticket.number, newValue: newNumber });
        events.push({ type: 'ticket.reclassified', internal: false, payload: { from: ticket.number, to: newNumber } });
      }
      if (!ticket.priorityOverridden && (data.impact || data.urgency || 'serviceId' in data)) {
        const decision = await priorityFor(tx, next.impact, next.urgency, next.serviceId);
        if (decision.priority !== ticket.priority || decision.matrixVersion !== ticket.priorityMatrixVersion) {
          data.priority = decision.priority;
          data.priorityMatrixVersion = decision.matrixVersion;
          data.priorityReason = decision.explanation;
          audit.push({
            action: 'priority_computed',
            field: 'priority',
            oldValue: ticket.priority,
            newValue: decision.priority,
            reason: decision.explanation,
          });
          events.push({
            type: 'ticket.priority_changed',
            internal: false,
            payload: { from: ticket.priority, to: decision.priority },
          });
        }
      }
      const missing = missingInformation(next);
      if (JSON.stringify(missing) !== JSON.stringify(ticket.missingInformation)) {
        data.missingInformation = missing;
        audit.push({
          action: 'verification',
          field: 'missingInformation',
          oldValue: ticket.missingInformation,
          newValue: missing,
        });
      }
      return {
        data,
        audit,
        events,
        after: newNumber
          ? async (t) => {
              await t.ticketNumber.updateMany({ where: { ticketId: ticket.id }, data: { current: false } });
              await t.ticketNumber.create({
                data: { number: newNumber!, ticketId: ticket.id, current: true, createdAt: at },
              });
            }
          : undefined,
      };
    },
    clock,
  );
}

type TicketChangeEvents = { type: string; internal: boolean; payload: Record<string, unknown> }[];

/**
 * Sets the priority by hand (reason required, audited), or with `priority: null` returns it to the matrix.
 */
export async function overridePriority(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  priority: Priority | null,
  reason: string | null,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'override priority');
  const why = reason?.trim() ?? '';
  if (priority && why.length < 5) throw ValidationError.of('input.reason', 'Give a reason (at least 5 characters)');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    async (ticket, tx) => {
      let next: { priority: Priority; overridden: boolean; explanation: string; matrixVersion: number };
      if (priority) {
        next = {
          priority,
          overridden: true,
          explanation: `set by hand: ${why}`,
          matrixVersion: ticket.priorityMatrixVersion,
        };
      } else {
        const d = await priorityFor(tx, ticket.impact, ticket.urgency, ticket.serviceId);
        next = { priority: d.priority, overridden: false, explanation: d.explanation, matrixVersion: d.matrixVersion };
      }
      return {
        data: {
          priority: next.priority,
          priorityOverridden: next.overridden,
          priorityReason: next.explanation,
          priorityMatrixVersion: next.matrixVersion,
        },
        audit: [
          {
            action: priority ? 'priority_overridden' : 'priority_override_cleared',
            field: 'priority',
            oldValue: ticket.priority,
            newValue: next.priority,
            reason: priority ? why : next.explanation,
          },
        ],
        events: [
          { type: 'ticket.priority_changed', internal: false, payload: { from: ticket.priority, to: next.priority } },
        ],
      };
    },
    clock,
  );
}
