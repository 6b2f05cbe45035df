import type { Tx } from '../../db/tx.js';
import { forbidden, NotFoundError, ValidationError } from '../../errors.js';
import type { Escalation, EscalationRule, PrismaClient, SlaClock, Ticket } from '../../generated/prisma/client.js';
import type { EscalationKind, EscalationReason, Role } from '../../generated/prisma/enums.js';
import { type AuditChange, appendAudit } from '../audit/audit.service.js';
import { isStaff, roleAtLeast, type Viewer } from '../auth/scopes.js';
import { addBusinessMs } from '../calendar/calendar.js';
import { ALWAYS_OPEN, loadCalendarSpec } from '../calendar/calendar.service.js';
import { queueEscalationNotice, type Recipient } from '../email/outbox.service.js';
import { appendEvents, type EventInput } from '../events/eventLog.js';
import { dropPendingTimers, scheduleTimers } from '../sla/timers.js';
import { canSeeTicket, viewerGroupIds } from '../ticket/access.js';
import { type Actor, type Clock, mutateTicket, requireScope, requireStaff, systemClock } from '../ticket/mutate.js';

export type TicketEvent = Omit<EventInput, 'ticketId' | 'organizationId'>;

export interface CreateEscalationInput {
  ticketId: string;
  kind: EscalationKind;
  /** Rung within its kind: hierarchical 1 = group lead, 2 = duty manager, 3 = head of service; functional = tier. */
  level: number;
  reason: EscalationReason;
  /** Why, in words; shown on the ticket timeline and recorded as the audit reason. */
  detail: string;
  targetGroupId?: string | null;
  targetUserId?: string | null;
  /** Anyone with at least this staff role may acknowledge (e.g. MANAGER: the duty managers). */
  targetRole?: Role | null;
  vendorName?: string | null;
  vendorRef?: string | null;
  /**
   * Business seconds (the ticket's SLA calendar) to acknowledge it; for VENDOR the vendor's response commitment.
   * Unacknowledged by then, it escalates to the next level. Null: no window.
   */
  ackWindowSeconds?: number | null;
  /** FUNCTIONAL: move the ticket to `targetGroupId` (clears the assignee). */
  reassign?: boolean;
  ruleId?: string | null;
  previousId?: string | null;
  /** An automatic escalation is recorded at most once per key; a second call with it returns null. */
  dedupeKey?: string | null;
  actor: Actor;
  at: Date;
}

export interface EscalationRecord {
  escalation: Escalation;
  /** For the caller to write with the change it belongs to (a hook returns them; see recordEscalation). */
  audit: AuditChange[];
  events: TicketEvent[];
}

/**
 * Records an escalation inside the caller's transaction (the caller holds the ticket row: a ticket hook, a
 * mutateTicket decide/after, or the SLA scheduler). Writes the escalation, its acknowledgement timer and, for a
 * reassigning functional escalation, the ticket's new group (hook style: one logical change, no version bump).
 * Returns the audit entries and events for the caller to append; `recordEscalation` appends them itself.
 */
export async function createEscalation(tx: Tx, input: CreateEscalationInput): Promise<EscalationRecord | null> {
  if (input.dedupeKey && (await tx.escalation.findUnique({ where: { dedupeKey: input.dedupeKey } }))) return null;
  const issues = escalationProblems(input);
  if (issues.length) throw new ValidationError(issues);
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId } });
  let ackDueAt: Date | null = null;
  if (input.ackWindowSeconds && input.ackWindowSeconds > 0) {
    const calendar = await ticketSlaCalendar(tx, ticket.id);
    ackDueAt = addBusinessMs(calendar, input.at, input.ackWindowSeconds * 1000);
  }
  const escalation = await tx.escalation.create({
    data: {
      ticketId: ticket.id,
      kind: input.kind,
      level: input.level,
      reason: input.reason,
      detail: input.detail,
      ruleId: input.ruleId ?? null,
      targetGroupId: input.targetGroupId ?? null,
      targetUserId: input.targetUserId ?? null,
      targetRole: input.targetRole ?? null,
      vendorName: input.vendorName ?? null,
      vendorRef: input.vendorRef ?? null,
      ackDueAt,
      createdAt: input.at,
      createdById: isSystemActor(input.actor) ? null : input.actor.viewer.userId,
      previousId: input.previousId ?? null,
      dedupeKey: input.dedupeKey ?? null,
    },
  });
  if (ackDueAt) {
    await scheduleTimers(tx, [
      { kind: 'ACKNOWLEDGEMENT', ticketId: ticket.id, escalationId: escalation.id, dueAt: ackDueAt },
    ]);
  }
  const target = {
    groupId: escalation.targetGroupId,
    userId: escalation.targetUserId,
    role: escalation.targetRole,
    vendorName: escalation.vendorName,
    vendorRef: escalation.vendorRef,
  };
  const audit: AuditChange[] = [
    {
      action: 'escalated',
      field: 'escalations',
      newValue: {
        escalationId: escalation.id,
        kind: escalation.kind,
        level: escalation.level,
        reason: escalation.reason,
        target,
        ackDueAt: ackDueAt?.toISOString() ?? null,
      },
      reason: input.detail,
    },
  ];
  const events: TicketEvent[] = [
    {
      type: 'escalation.created',
      internal: true,
      payload: {
        escalationId: escalation.id,
        kind: escalation.kind,
        level: escalation.level,
        reason: escalation.reason,
        targetGroupId: escalation.targetGroupId,
        targetUserId: escalation.targetUserId,
        targetRole: escalation.targetRole,
        vendorName: escalation.vendorName,
        ackDueAt: ackDueAt?.toISOString() ?? null,
      },
    },
  ];
  await notifyTargets(tx, escalation, input.at);
  if (input.reassign && input.kind === 'FUNCTIONAL' && input.targetGroupId !== ticket.resolverGroupId) {
    await tx.ticket.update({
      where: { id: ticket.id },
      data: { resolverGroupId: input.targetGroupId, assigneeId: null, updatedAt: input.at },
    });
    audit.push({
      action: 'assigned',
      field: 'resolverGroupId',
      oldValue: ticket.resolverGroupId,
      newValue: input.targetGroupId,
      reason: `functional escalation: ${input.detail}`,
    });
    if (ticket.assigneeId) {
      audit.push({
        action: 'assigned',
        field: 'assigneeId',
        oldValue: ticket.assigneeId,
        newValue: null,
        reason: 'functional escalation',
      });
    }
    events.push({
      type: 'ticket.assigned',
      internal: false,
      payload: { resolverGroupId: input.targetGroupId, assigneeId: null, escalationId: escalation.id },
    });
  }
  return { escalation, audit, events };
}

/**
 * The people an escalation is addressed to: the named person; else the members of the target group; else everyone
 * holding the target role. A vendor has no address here (its engagement is tracked, not mailed).
 */
export async function escalationRecipients(tx: Tx | PrismaClient, escalation: Escalation): Promise<Recipient[]> {
  const where = escalation.targetUserId
    ? { id: escalation.targetUserId }
    : escalation.targetGroupId
      ? { groups: { some: { groupId: escalation.targetGroupId } } }
      : escalation.targetRole
        ? { role: escalation.targetRole }
        : null;
  if (!where) return [];
  const users = await tx.user.findMany({
    where: { ...where, active: true, organization: { kind: 'PROVIDER' } },
    select: { id: true, email: true, name: true },
    orderBy: { email: 'asc' },
    take: 50,
  });
  return users.map((u) => ({ address: u.email, name: u.name, userId: u.id }));
}

/** Tells the targets by mail (the email module's outbox, in this transaction); the event log tells the live views. */
async function notifyTargets(tx: Tx, escalation: Escalation, at: Date) {
  const to = await escalationRecipients(tx, escalation);
  if (to.length === 0) return;
  await queueEscalationNotice(tx, {
    ticketId: escalation.ticketId,
    to,
    level: `${escalation.kind.toLowerCase()} level ${escalation.level}`,
    reason: escalation.detail,
    at,
  });
}

/** createEscalation, then appends its audit entries and events (callers that are not a hook or a ticket change). */
export async function recordEscalation(tx: Tx, input: CreateEscalationInput): Promise<Escalation | null> {
  const record = await createEscalation(tx, input);
  if (!record) return null;
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId } });
  await writeRecords(tx, ticket, input.actor, [record], input.at);
  return record.escalation;
}

export async function writeRecords(
  tx: Tx,
  ticket: Pick<Ticket, 'id' | 'organizationId'>,
  actor: Actor,
  records: { audit: AuditChange[]; events: TicketEvent[] }[],
  at: Date,
) {
  await appendAudit(
    tx,
    ticket.id,
    { actorId: isSystemActor(actor) ? null : actor.viewer.userId, channel: actor.channel },
    records.flatMap((r) => r.audit),
    at,
  );
  await appendEvents(
    tx,
    records.flatMap((r) => r.events.map((e) => ({ ...e, ticketId: ticket.id, organizationId: ticket.organizationId }))),
    at,
  );
}

function escalationProblems(input: CreateEscalationInput) {
  const issues: { path: string[]; message: string }[] = [];
  if (!Number.isInteger(input.level) || input.level < 1 || input.level > 9)
    issues.push({ path: ['input', 'level'], message: 'Use a level from 1 to 9' });
  if (input.kind === 'FUNCTIONAL' && !input.targetGroupId)
    issues.push({ path: ['input', 'targetGroupId'], message: 'A functional escalation goes to a resolver group' });
  if (input.kind === 'HIERARCHICAL' && !input.targetUserId && !input.targetRole && !input.targetGroupId)
    issues.push({ path: ['input', 'targetUserId'], message: 'Say who is escalated to (a person, a role or a group)' });
  if (input.kind === 'VENDOR' && !input.vendorName?.trim())
    issues.push({ path: ['input', 'vendorName'], message: 'Name the vendor' });
  if (input.detail.trim().length < 3) issues.push({ path: ['input', 'detail'], message: 'Say why (3+ characters)' });
  return issues;
}

// ── system actor ─────────────────────────────────────────────────────────────

/** The nil UUID marks changes the system made (timers): audit entries carry no person. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

export function systemActor(organizationId: string): Actor {
  return {
    viewer: {
      userId: SYSTEM_USER_ID,
      organizationId,
      organizationKind: 'PROVIDER',
      role: 'ADMIN',
      via: 'token',
      sessionId: null,
      tokenId: null,
      scopes: new Set(['tickets:read', 'tickets:write']),
    },
    channel: 'API',
  };
}

export function isSystemActor(actor: Actor): boolean {
  return actor.viewer.userId === SYSTEM_USER_ID;
}

// ── the ticket's calendar (ack windows count in the ticket's SLA hours) ────────

export async function ticketSlaCalendar(tx: Tx | PrismaClient, ticketId: string) {
  const clocks = await tx.slaClock.findMany({
    where: { ticketId },
    select: { kind: true, policy: { select: { calendarId: true } } },
  });
  const clock = clocks.find((c) => c.kind === 'RESOLUTION') ?? clocks[0];
  return clock ? loadCalendarSpec(tx, clock.policy.calendarId) : ALWAYS_OPEN;
}

// ── rules ────────────────────────────────────────────────────────────────────

export function ruleMatches(rule: EscalationRule, ticket: Pick<Ticket, 'priority' | 'class'>): boolean {
  return (
    rule.active &&
    (rule.priorities.length === 0 || rule.priorities.includes(ticket.priority)) &&
    (!rule.ticketClass || rule.ticketClass === ticket.class)
  );
}

async function groupLead(tx: Tx, groupId: string | null): Promise<string | null> {
  if (!groupId) return null;
  const lead = await tx.resolverGroupMember.findFirst({
    where: { groupId, isLead: true, user: { active: true } },
    orderBy: { user: { email: 'asc' } },
    select: { userId: true },
  });
  return lead?.userId ?? null;
}

async function vendorOf(tx: Tx, ticket: Ticket, rule: EscalationRule | null) {
  const entry = await tx.ticketEntry.findFirst({
    where: { ticketId: ticket.id, vendorRef: { not: null } },
    orderBy: { createdAt: 'desc' },
    select: { vendorRef: true },
  });
  const service = ticket.serviceId ? await tx.service.findUnique({ where: { id: ticket.serviceId } }) : null;
  return {
    vendorName: rule?.vendorName ?? (service ? `${service.name} vendor` : 'Third-party vendor'),
    vendorRef: entry?.vendorRef ?? null,
  };
}

/** What a rule escalates to, for this ticket (and the escalation that went unacknowledged, if any). */
async function ruleTarget(tx: Tx, rule: EscalationRule, ticket: Ticket, previous: Escalation | null) {
  if (rule.kind === 'FUNCTIONAL') return { targetGroupId: rule.targetGroupId };
  if (rule.kind === 'VENDOR') return vendorOf(tx, ticket, rule);
  if (rule.targetGroupLead) {
    const groupId = rule.targetGroupId ?? previous?.targetGroupId ?? ticket.resolverGroupId;
    const lead = await groupLead(tx, groupId);
    if (lead) return { targetGroupId: groupId, targetUserId: lead };
    return { targetGroupId: groupId, targetRole: 'MANAGER' as Role };
  }
  return { targetUserId: rule.targetUserId, targetRole: rule.targetRole };
}

async function fromRule(
  tx: Tx,
  rule: EscalationRule,
  ticket: Ticket,
  reason: EscalationReason,
  detail: string,
  dedupeKey: string | null,
  actor: Actor,
  at: Date,
  previous: Escalation | null = null,
) {
  return createEscalation(tx, {
    ticketId: ticket.id,
    kind: rule.kind,
    level: rule.level,
    reason,
    detail: `${rule.name}: ${detail}`,
    ...(await ruleTarget(tx, rule, ticket, previous)),
    ackWindowSeconds: rule.ackWindowSeconds,
    reassign: rule.reassign,
    ruleId: rule.id,
    previousId: previous?.id ?? null,
    dedupeKey,
    actor,
    at,
  });
}

async function rulesFor(tx: Tx, trigger: EscalationRule['trigger'], ticket: Ticket) {
  const rules = await tx.escalationRule.findMany({ where: { trigger, active: true }, orderBy: { key: 'asc' } });
  return rules.filter((r) => ruleMatches(r, ticket));
}

const PERCENT_LABEL = (p: number) => (p >= 100 ? 'breached' : `${p} % used`);
const KIND_LABEL: Record<SlaClock['kind'], string> = {
  FIRST_RESPONSE: 'first response',
  NEXT_UPDATE: 'next update',
  RESOLUTION: 'resolution',
};

/** Rules on a clock's percentage, for thresholds in (after, upTo]: each rule once per clock cycle. */
export async function escalateOnThreshold(
  tx: Tx,
  ticket: Ticket,
  clock: Pick<SlaClock, 'id' | 'kind' | 'cycle'>,
  after: number,
  upTo: number,
  actor: Actor,
  at: Date,
): Promise<EscalationRecord[]> {
  const out: EscalationRecord[] = [];
  for (const rule of await rulesFor(tx, 'SLA_THRESHOLD', ticket)) {
    if (rule.targetKind !== clock.kind || rule.percent === null || rule.percent <= after || rule.percent > upTo)
      continue;
    const record = await fromRule(
      tx,
      rule,
      ticket,
      'THRESHOLD',
      `${KIND_LABEL[clock.kind]} target ${PERCENT_LABEL(rule.percent)}`,
      `rule:${rule.id}:clock:${clock.id}:${clock.cycle}`,
      actor,
      at,
    );
    if (record) out.push(record);
  }
  return out;
}

/** P1 / major impact: at creation, or when the priority is raised to a matching one; once per rule and ticket. */
export async function escalateOnMajorImpact(tx: Tx, ticket: Ticket, actor: Actor, at: Date) {
  const out: EscalationRecord[] = [];
  for (const rule of await rulesFor(tx, 'MAJOR_IMPACT', ticket)) {
    const record = await fromRule(
      tx,
      rule,
      ticket,
      'IMPACT',
      `${ticket.priority} ${ticket.class.toLowerCase().replace('_', ' ')} (impact ${ticket.impact})`,
      `rule:${rule.id}:ticket:${ticket.id}`,
      actor,
      at,
    );
    if (record) out.push(record);
  }
  return out;
}

/** Waiting on a third party: a vendor engagement, unless one is already open. */
export async function escalateOnPendingVendor(tx: Tx, ticket: Ticket, actor: Actor, at: Date) {
  const open = await tx.escalation.count({ where: { ticketId: ticket.id, kind: 'VENDOR', resolvedAt: null } });
  if (open > 0) return [];
  const out: EscalationRecord[] = [];
  for (const rule of await rulesFor(tx, 'PENDING_VENDOR', ticket)) {
    const record = await fromRule(tx, rule, ticket, 'DEPENDENCY', 'waiting on a third party', null, actor, at);
    if (record) out.push(record);
    if (rule.kind === 'VENDOR') break;
  }
  return out;
}

/** The hierarchical ladder when no UNACKNOWLEDGED rule says otherwise: group lead → duty manager → head of service. */
const LADDER_TOP = 3;

/** An escalation's acknowledgement window ended: the next level, once. */
export async function escalateUnacknowledged(tx: Tx, ticket: Ticket, previous: Escalation, actor: Actor, at: Date) {
  const rules = (await rulesFor(tx, 'UNACKNOWLEDGED', ticket)).filter(
    (r) => (!r.fromKind || r.fromKind === previous.kind) && (r.fromLevel === null || r.fromLevel === previous.level),
  );
  const what = `${previous.kind.toLowerCase()} escalation level ${previous.level} not acknowledged by ${previous.ackDueAt?.toISOString() ?? 'its deadline'}`;
  const dedupeKey = `after:${previous.id}`;
  const out: EscalationRecord[] = [];
  if (rules.length > 0) {
    const record = await fromRule(tx, rules[0]!, ticket, 'UNACKNOWLEDGED', what, dedupeKey, actor, at, previous);
    if (record) out.push(record);
  } else {
    const rung = previous.kind === 'HIERARCHICAL' ? previous.level + 1 : 1;
    if (rung <= LADDER_TOP) {
      const groupId = previous.targetGroupId ?? ticket.resolverGroupId;
      const lead = rung === 1 ? await groupLead(tx, groupId) : null;
      const target = lead
        ? { targetGroupId: groupId, targetUserId: lead }
        : { targetRole: (rung === LADDER_TOP ? 'ADMIN' : 'MANAGER') as Role };
      const record = await createEscalation(tx, {
        ticketId: ticket.id,
        kind: 'HIERARCHICAL',
        level: lead ? rung : Math.max(rung, 2),
        reason: 'UNACKNOWLEDGED',
        detail: what,
        ...target,
        // The next level gets the window the previous one had (rules set their own).
        ackWindowSeconds: previous.ackDueAt
          ? Math.max(1, Math.round((previous.ackDueAt.getTime() - previous.createdAt.getTime()) / 1000))
          : null,
        previousId: previous.id,
        dedupeKey,
        actor,
        at,
      });
      if (record) out.push(record);
    }
  }
  await tx.escalation.update({ where: { id: previous.id }, data: { escalatedAt: at } });
  const unacked: EscalationRecord = {
    escalation: previous,
    audit: [
      {
        action: 'escalation_unacknowledged',
        field: 'escalations',
        oldValue: { escalationId: previous.id, level: previous.level },
        newValue: out[0] ? { escalationId: out[0].escalation.id, level: out[0].escalation.level } : null,
        reason: what,
      },
    ],
    events: [
      {
        type: 'escalation.unacknowledged',
        internal: true,
        payload: { escalationId: previous.id, nextEscalationId: out[0]?.escalation.id ?? null },
      },
    ],
  };
  return [unacked, ...out];
}

/** Open escalations end with the ticket (resolved, closed or cancelled). */
export async function resolveOpenEscalations(tx: Tx, ticket: Ticket, why: string, actor: Actor, at: Date) {
  const open = await tx.escalation.findMany({ where: { ticketId: ticket.id, resolvedAt: null } });
  if (open.length === 0) return { audit: [], events: [] };
  await tx.escalation.updateMany({
    where: { id: { in: open.map((e) => e.id) } },
    data: { resolvedAt: at, resolution: why, resolvedById: isSystemActor(actor) ? null : actor.viewer.userId },
  });
  for (const e of open) await dropPendingTimers(tx, { escalationId: e.id });
  return {
    audit: [
      {
        action: 'escalations_resolved',
        field: 'escalations',
        newValue: { escalationIds: open.map((e) => e.id) },
        reason: why,
      },
    ] as AuditChange[],
    events: open.map(
      (e): TicketEvent => ({
        type: 'escalation.resolved',
        internal: true,
        payload: { escalationId: e.id, kind: e.kind, level: e.level, automatic: true },
      }),
    ),
  };
}

// ── people: acknowledge, resolve, escalate by hand ───────────────────────────

/**
 * The target or a manager: the person named, else members of the target group (a group target without a person,
 * e.g. a functional escalation), or holders of the target role. Any staff who can see the ticket records a vendor's
 * answer.
 */
export async function mayAct(tx: Tx | PrismaClient, viewer: Viewer, escalation: Escalation): Promise<boolean> {
  if (!isStaff(viewer)) return false;
  if (roleAtLeast(viewer.role, 'MANAGER')) return true;
  if (escalation.targetUserId === viewer.userId) return true;
  if (escalation.targetRole && roleAtLeast(viewer.role, escalation.targetRole)) return true;
  if (
    !escalation.targetUserId &&
    escalation.targetGroupId &&
    (await viewerGroupIds(tx, viewer)).includes(escalation.targetGroupId)
  )
    return true;
  return escalation.kind === 'VENDOR';
}

async function loadForAction(tx: Tx, actor: Actor, escalationId: string) {
  const escalation = await tx.escalation.findUnique({ where: { id: escalationId } });
  if (!escalation) throw new NotFoundError('Escalation', escalationId);
  // Lock the ticket row: audit entries chain per ticket.
  await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${escalation.ticketId}::uuid FOR UPDATE`;
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: escalation.ticketId } });
  if (!(await canSeeTicket(tx, actor.viewer, ticket))) throw new NotFoundError('Escalation', escalationId);
  const locked = await tx.escalation.findUniqueOrThrow({ where: { id: escalationId } });
  return { escalation: locked, ticket };
}

export async function acknowledgeEscalation(
  prisma: PrismaClient,
  actor: Actor,
  escalationId: string,
  input: { note?: string | null; vendorRef?: string | null },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'acknowledge escalations');
  const at = clock.now();
  return prisma.$transaction(async (tx) => {
    const { escalation, ticket } = await loadForAction(tx, actor, escalationId);
    if (!(await mayAct(tx, actor.viewer, escalation)))
      throw forbidden('Only the escalation target, its group or a manager can acknowledge it');
    if (escalation.acknowledgedAt) throw ValidationError.of('input.id', 'Already acknowledged');
    if (escalation.resolvedAt) throw ValidationError.of('input.id', 'Already resolved');
    const note = input.note?.trim() || null;
    const updated = await tx.escalation.update({
      where: { id: escalation.id },
      data: {
        acknowledgedAt: at,
        acknowledgedById: actor.viewer.userId,
        acknowledgement: note,
        ...(input.vendorRef?.trim() ? { vendorRef: input.vendorRef.trim() } : {}),
      },
    });
    await dropPendingTimers(tx, { escalationId: escalation.id });
    const late = !!escalation.ackDueAt && at > escalation.ackDueAt;
    await writeRecords(
      tx,
      ticket,
      actor,
      [
        {
          audit: [
            {
              action: 'escalation_acknowledged',
              field: 'escalations',
              newValue: { escalationId: escalation.id, level: escalation.level, late, vendorRef: updated.vendorRef },
              reason: note,
            },
          ],
          events: [
            {
              type: 'escalation.acknowledged',
              internal: true,
              payload: { escalationId: escalation.id, kind: escalation.kind, level: escalation.level, late },
            },
          ],
        },
      ],
      at,
    );
    return updated;
  });
}

export async function resolveEscalation(
  prisma: PrismaClient,
  actor: Actor,
  escalationId: string,
  resolution: string,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'resolve escalations');
  const text = resolution.trim();
  if (text.length < 3) throw ValidationError.of('input.resolution', 'Say how it was resolved');
  const at = clock.now();
  return prisma.$transaction(async (tx) => {
    const { escalation, ticket } = await loadForAction(tx, actor, escalationId);
    const mayResolve =
      (await mayAct(tx, actor.viewer, escalation)) ||
      ticket.assigneeId === actor.viewer.userId ||
      roleAtLeast(actor.viewer.role, 'LEAD');
    if (!mayResolve) throw forbidden('Only the target, the ticket owner or a lead can resolve an escalation');
    if (escalation.resolvedAt) throw ValidationError.of('input.id', 'Already resolved');
    const updated = await tx.escalation.update({
      where: { id: escalation.id },
      data: {
        resolvedAt: at,
        resolvedById: actor.viewer.userId,
        resolution: text,
        ...(escalation.acknowledgedAt ? {} : { acknowledgedAt: at, acknowledgedById: actor.viewer.userId }),
      },
    });
    await dropPendingTimers(tx, { escalationId: escalation.id });
    await writeRecords(
      tx,
      ticket,
      actor,
      [
        {
          audit: [
            {
              action: 'escalation_resolved',
              field: 'escalations',
              newValue: { escalationId: escalation.id, level: escalation.level },
              reason: text,
            },
          ],
          events: [
            {
              type: 'escalation.resolved',
              internal: true,
              payload: { escalationId: escalation.id, kind: escalation.kind, level: escalation.level },
            },
          ],
        },
      ],
      at,
    );
    return updated;
  });
}

export interface ManualEscalationInput {
  kind: EscalationKind;
  detail: string;
  level?: number | null;
  targetGroupId?: string | null;
  targetUserId?: string | null;
  targetRole?: Role | null;
  vendorName?: string | null;
  vendorRef?: string | null;
  /** Business minutes to acknowledge (VENDOR: the vendor's response commitment). */
  ackWindowMinutes?: number | null;
}

/** Escalates by hand. A functional escalation moves the ticket to the target group. */
export async function escalateTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: ManualEscalationInput,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'escalate tickets');
  if (input.ackWindowMinutes !== undefined && input.ackWindowMinutes !== null && !(input.ackWindowMinutes >= 1))
    throw ValidationError.of('input.ackWindowMinutes', 'Use at least 1 minute');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    async (ticket, tx, at) => {
      if (['RESOLVED', 'CLOSED', 'CANCELLED'].includes(ticket.status))
        throw ValidationError.of('input', `${ticket.number} is ${ticket.status}; reopen it to escalate`);
      if (input.targetGroupId && !(await tx.resolverGroup.findUnique({ where: { id: input.targetGroupId } })))
        throw new NotFoundError('ResolverGroup', input.targetGroupId);
      if (input.targetUserId) {
        const user = await tx.user.findUnique({ where: { id: input.targetUserId }, include: { organization: true } });
        if (!user?.active || user.organization.kind !== 'PROVIDER' || user.role === 'CUSTOMER')
          throw new NotFoundError('User', input.targetUserId);
      }
      let target = { targetGroupId: input.targetGroupId ?? null, targetUserId: input.targetUserId ?? null };
      if (input.kind === 'HIERARCHICAL' && !input.targetUserId && !input.targetRole && !input.targetGroupId) {
        const lead = await groupLead(tx, ticket.resolverGroupId);
        target = lead
          ? { targetGroupId: ticket.resolverGroupId, targetUserId: lead }
          : { targetGroupId: null, targetUserId: null };
      }
      const previous = await tx.escalation.aggregate({
        where: { ticketId: ticket.id, kind: input.kind },
        _max: { level: true },
      });
      const record = await createEscalation(tx, {
        ticketId: ticket.id,
        kind: input.kind,
        level: input.level ?? (previous._max.level ?? 0) + 1,
        reason: 'MANUAL',
        detail: input.detail.trim(),
        ...target,
        targetRole: input.targetRole ?? (target.targetUserId || target.targetGroupId ? null : 'MANAGER'),
        vendorName: input.vendorName?.trim() || null,
        vendorRef: input.vendorRef?.trim() || null,
        ackWindowSeconds: input.ackWindowMinutes ? input.ackWindowMinutes * 60 : null,
        reassign: input.kind === 'FUNCTIONAL',
        actor,
        at,
      });
      return { audit: record!.audit, events: record!.events, result: record!.escalation };
    },
    clock,
  );
}
