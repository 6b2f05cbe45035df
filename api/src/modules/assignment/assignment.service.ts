import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/tx.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient, Ticket } from '../../generated/prisma/client.js';
import type {
  AssignmentMode,
  AssignmentOutcome,
  AssignmentTrigger,
  Priority,
  TicketStatus,
} from '../../generated/prisma/enums.js';
import type { AuditChange } from '../audit/audit.service.js';
import { calendarSpec } from '../calendar/calendar.service.js';
import { type Actor, type Clock, mutateTicket, requireScope, requireStaff, systemClock } from '../ticket/mutate.js';
import { OPEN_STATUSES } from '../ticket/workflow.js';
import { type OnCallShift, onCallAt, type RotaSpec } from './oncall.js';
import { describeRule, matchRule, type RoutingFacts, requiredSkills } from './routing.js';
import {
  type CandidateEvaluation,
  type GroupFacts,
  type MemberFacts,
  type PersonFacts,
  type Selection,
  selectAgent,
  weightedLoads,
} from './selection.js';

type Db = PrismaClient | Tx;
type Ev = { type: string; internal: boolean; payload: Record<string, unknown> };

// ── responsibility domains ───────────────────────────────────────────────────

/** Reports the responsibility-matrix domains a ticket falls in, for rules with a `responsibilityDomain` condition. */
export type DomainResolver = (tx: Tx, ticket: Ticket) => Promise<string[]>;
let domainResolver: DomainResolver | null = null;

/** The responsibility module registers how a ticket maps to its domains; until it does, domain rules never match. */
export function setResponsibilityDomainResolver(resolver: DomainResolver | null): void {
  domainResolver = resolver;
}

// ── facts from the database ──────────────────────────────────────────────────

export interface GroupContext {
  facts: GroupFacts;
  members: MemberFacts[];
  rotaPeople: PersonFacts[];
  leadIds: string[];
}

/** Open priority-weighted load and open ticket count of each user, over every group. */
export async function loadsOf(db: Db, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, { load: number; openTickets: number }>();
  const rows = await db.ticket.groupBy({
    by: ['assigneeId', 'priority', 'status'],
    where: { assigneeId: { in: userIds }, status: { in: [...OPEN_STATUSES] } },
    _count: { _all: true },
  });
  return weightedLoads(
    rows.map((r) => ({
      assigneeId: r.assigneeId,
      priority: r.priority as Priority,
      status: r.status as TicketStatus,
      count: r._count._all,
    })),
  );
}

/** Everything selection needs about a group at `now`: members with load and absences, hours, rota. */
export async function loadGroupContext(db: Db, groupId: string, now: Date): Promise<GroupContext | null> {
  const group = await db.resolverGroup.findUnique({
    where: { id: groupId },
    include: {
      calendar: true,
      members: {
        include: { user: { select: { id: true, name: true, active: true, skills: true, lastAssignedAt: true } } },
      },
      onCallRota: {
        include: {
          members: { orderBy: { position: 'asc' }, select: { userId: true } },
          overrides: { where: { startsAt: { lte: now }, endsAt: { gt: now } } },
        },
      },
    },
  });
  if (!group) return null;
  const memberIds = group.members.map((m) => m.userId);
  const rota = group.onCallRota;
  const rotaIds = rota ? [...rota.members.map((m) => m.userId), ...rota.overrides.map((o) => o.userId)] : [];
  const outsiders = [...new Set(rotaIds.filter((id) => !memberIds.includes(id)))];
  const [loads, absences, outsiderUsers] = await Promise.all([
    loadsOf(db, memberIds),
    db.outOfOffice.findMany({
      where: { userId: { in: [...memberIds, ...outsiders] }, startsAt: { lte: now }, endsAt: { gt: now } },
    }),
    outsiders.length
      ? db.user.findMany({ where: { id: { in: outsiders } }, select: { id: true, name: true, active: true } })
      : Promise.resolve([]),
  ]);
  const absencesOf = (userId: string) =>
    absences
      .filter((a) => a.userId === userId)
      .map((a) => ({ startsAt: a.startsAt, endsAt: a.endsAt, reason: a.reason }));
  const rotaSpec: RotaSpec | null = rota
    ? {
        timeZone: rota.timeZone,
        startDate: rota.startDate,
        handoffTime: rota.handoffTime,
        periodDays: rota.periodDays,
        memberIds: rota.members.map((m) => m.userId),
        overrides: rota.overrides.map((o) => ({ ...o })),
      }
    : null;
  return {
    facts: {
      id: group.id,
      name: group.name,
      mode: group.mode,
      agentCapacity: group.agentCapacity,
      roundRobinLastUserId: group.roundRobinLastUserId,
      calendar: group.calendar ? calendarSpec(group.calendar) : null,
      rota: rotaSpec,
    },
    members: group.members.map((m) => ({
      userId: m.userId,
      name: m.user.name,
      active: m.user.active,
      absences: absencesOf(m.userId),
      autoAssign: m.autoAssign,
      skills: m.user.skills,
      capacity: m.capacity,
      load: loads.get(m.userId)?.load ?? 0,
      openTickets: loads.get(m.userId)?.openTickets ?? 0,
      lastAssignedAt: m.user.lastAssignedAt,
      joinedAt: m.joinedAt,
    })),
    rotaPeople: outsiderUsers.map((u) => ({
      userId: u.id,
      name: u.name,
      active: u.active,
      absences: absencesOf(u.id),
    })),
    leadIds: group.members.filter((m) => m.isLead).map((m) => m.userId),
  };
}

export async function ticketRequiredSkills(db: Db, ticket: Pick<Ticket, 'serviceId' | 'category'>) {
  const or: object[] = [];
  if (ticket.serviceId) or.push({ serviceId: ticket.serviceId });
  if (ticket.category) or.push({ category: { equals: ticket.category.trim(), mode: 'insensitive' } });
  if (or.length === 0) return [];
  const rows = await db.skillRequirement.findMany({ where: { OR: or } });
  return requiredSkills(rows, { serviceId: ticket.serviceId, category: ticket.category });
}

interface RouteTarget {
  groupId: string;
  groupName: string;
  ruleId: string | null;
  ruleName: string | null;
  /** `rule "VPN" (service Remote Access VPN)` or `no rule matched: default triage group`. */
  why: string;
}

/** Where the rules send a ticket now: the first matching rule, else the default triage group, else nowhere. */
export async function routeTarget(tx: Tx, ticket: Ticket): Promise<RouteTarget | null> {
  const rules = await tx.routingRule.findMany({
    where: { active: true },
    include: { resolverGroup: { select: { name: true } }, service: { select: { name: true } } },
  });
  const needsDomains = rules.some((r) => r.responsibilityDomain);
  const facts: RoutingFacts = {
    class: ticket.class,
    serviceId: ticket.serviceId,
    category: ticket.category,
    domains: needsDomains && domainResolver ? await domainResolver(tx, ticket) : [],
  };
  const rule = matchRule(rules, facts);
  if (rule) {
    return {
      groupId: rule.resolverGroupId,
      groupName: rule.resolverGroup.name,
      ruleId: rule.id,
      ruleName: rule.name,
      why: describeRule(rule, (id) => (id === rule.serviceId ? rule.service?.name : undefined)),
    };
  }
  const triage = await tx.resolverGroup.findFirst({ where: { isDefaultTriage: true }, orderBy: { createdAt: 'asc' } });
  if (!triage) return null;
  return {
    groupId: triage.id,
    groupName: triage.name,
    ruleId: null,
    ruleName: null,
    why: 'no routing rule matched: default triage group',
  };
}

// ── the plan of one decision ─────────────────────────────────────────────────

export interface DecisionDraft {
  id: string;
  trigger: AssignmentTrigger;
  outcome: AssignmentOutcome;
  ruleId: string | null;
  ruleName: string | null;
  mode: AssignmentMode | null;
  fromGroupId: string | null;
  toGroupId: string | null;
  fromAssigneeId: string | null;
  toAssigneeId: string | null;
  reason: string;
  candidates: CandidateEvaluation[];
}

export interface AssignmentPlan {
  data: Record<string, unknown>;
  audit: AuditChange[];
  events: Ev[];
  decision: DecisionDraft;
  /** The agent who received the ticket (for longest-idle) and whether to move the group's round-robin cursor. */
  received: { userId: string; groupId: string | null; roundRobin: boolean } | null;
}

/** Serialises selection per group, so two tickets arriving together do not both see the same agent as least loaded. */
async function lockGroup(tx: Tx, groupId: string) {
  await tx.$queryRaw`SELECT 1 AS locked FROM "ResolverGroup" WHERE id = ${groupId}::uuid FOR NO KEY UPDATE`;
}

/** Selection for a ticket in a group, with the facts loaded under the group's lock. */
export async function selectInGroup(
  tx: Tx,
  ticket: Pick<Ticket, 'priority' | 'serviceId' | 'category'>,
  groupId: string,
  now: Date,
  onRequest: boolean,
): Promise<{ selection: Selection; context: GroupContext }> {
  await lockGroup(tx, groupId);
  const context = await loadGroupContext(tx, groupId, now);
  if (!context) throw new NotFoundError('ResolverGroup', groupId);
  const selection = selectAgent({
    group: context.facts,
    members: context.members,
    rotaPeople: context.rotaPeople,
    ticket: { priority: ticket.priority, requiredSkills: await ticketRequiredSkills(tx, ticket) },
    now,
    onRequest,
  });
  return { selection, context };
}

function statusToAssigned(ticket: Ticket, plan: AssignmentPlan) {
  if (ticket.status !== 'NEW') return;
  plan.data.status = 'ASSIGNED';
  plan.audit.push({
    action: 'status_changed',
    field: 'status',
    oldValue: 'NEW',
    newValue: 'ASSIGNED',
    reason: 'assigned',
  });
  plan.events.push({ type: 'ticket.status_changed', internal: false, payload: { from: 'NEW', to: 'ASSIGNED' } });
}

function draft(ticket: Ticket, trigger: AssignmentTrigger, outcome: AssignmentOutcome, reason: string): DecisionDraft {
  return {
    id: randomUUID(),
    trigger,
    outcome,
    ruleId: null,
    ruleName: null,
    mode: null,
    fromGroupId: ticket.resolverGroupId,
    toGroupId: ticket.resolverGroupId,
    fromAssigneeId: ticket.assigneeId,
    toAssigneeId: ticket.assigneeId,
    reason,
    candidates: [],
  };
}

/**
 * The engine: route by the rules when asked to (or when the ticket has no group), then choose an agent in the group.
 * Returns the change without writing it; `applyPlan` writes it.
 */
export async function planAssignment(
  tx: Tx,
  ticket: Ticket,
  opts: { trigger: AssignmentTrigger; now: Date; reroute: boolean; onRequest?: boolean },
): Promise<AssignmentPlan> {
  const plan: AssignmentPlan = {
    data: {},
    audit: [],
    events: [],
    decision: draft(ticket, opts.trigger, 'KEPT', ''),
    received: null,
  };
  let groupId = ticket.resolverGroupId;
  let routed: string | null = null;
  let groupChanged = false;

  if (opts.reroute || !groupId) {
    const target = await routeTarget(tx, ticket);
    if (!target) {
      plan.decision.outcome = groupId ? 'KEPT' : 'UNROUTED';
      plan.decision.reason = groupId
        ? 'no routing rule matched and no default triage group is set: the group is kept'
        : 'no routing rule matched and no default triage group is set: the ticket stays unrouted';
      return plan;
    }
    plan.decision.ruleId = target.ruleId;
    plan.decision.ruleName = target.ruleName;
    if (target.groupId === groupId) {
      if (ticket.routingRuleId !== target.ruleId) plan.data.routingRuleId = target.ruleId;
      if (opts.trigger === 'RECLASSIFICATION' || (!opts.onRequest && ticket.assigneeId)) {
        plan.decision.reason = `${target.why} still routes to ${target.groupName}: nothing to change`;
        return plan;
      }
      routed = `${target.why}: stays in ${target.groupName}`;
    } else {
      groupChanged = true;
      groupId = target.groupId;
      plan.data.resolverGroupId = target.groupId;
      plan.data.routingRuleId = target.ruleId;
      plan.data.assignmentPinned = false;
      // Moving between groups (not the first routing) disqualifies first-contact resolution.
      if (ticket.resolverGroupId) plan.data.groupChangeCount = { increment: 1 };
      plan.audit.push({
        action: 'routed',
        field: 'resolverGroupId',
        oldValue: ticket.resolverGroupId,
        newValue: target.groupId,
        reason: target.why,
      });
      routed = `routed to ${target.groupName} by ${target.why}`;
    }
  }
  plan.decision.toGroupId = groupId;

  const { selection, context } = await selectInGroup(tx, ticket, groupId!, opts.now, !!opts.onRequest);
  plan.decision.mode = context.facts.mode;
  plan.decision.outcome = selection.outcome;
  plan.decision.candidates = selection.candidates;
  plan.decision.reason = [routed, selection.reason].filter(Boolean).join('; ');
  // A queued result never takes the ticket away from an agent who already has it in the same group.
  const assigneeId = selection.assigneeId ?? (groupChanged ? null : ticket.assigneeId);
  plan.decision.toAssigneeId = assigneeId;
  if (assigneeId !== ticket.assigneeId) {
    plan.data.assigneeId = assigneeId;
    plan.audit.push({
      action: assigneeId ? 'auto_assigned' : 'unassigned',
      field: 'assigneeId',
      oldValue: ticket.assigneeId,
      newValue: assigneeId,
      reason: selection.reason,
    });
  }
  if (selection.assigneeId) {
    plan.received = {
      userId: selection.assigneeId,
      groupId,
      roundRobin: context.facts.mode === 'ROUND_ROBIN' && selection.outcome === 'ASSIGNED',
    };
  }
  if (groupChanged || assigneeId !== ticket.assigneeId) {
    plan.events.push({
      type: 'ticket.assigned',
      internal: false,
      payload: { resolverGroupId: groupId, assigneeId, trigger: opts.trigger },
    });
    statusToAssigned(ticket, plan);
  }
  return plan;
}

/** Writes what a plan decided besides the ticket row: the log entry, the agent's last assignment, the cursor. */
export async function recordPlan(tx: Tx, ticketId: string, plan: AssignmentPlan, actor: Actor, at: Date) {
  const d = plan.decision;
  await tx.assignmentDecision.create({
    data: {
      id: d.id,
      ticketId,
      trigger: d.trigger,
      outcome: d.outcome,
      actorId: actor.viewer.userId,
      ruleId: d.ruleId,
      ruleName: d.ruleName,
      mode: d.mode,
      fromGroupId: d.fromGroupId,
      toGroupId: d.toGroupId,
      fromAssigneeId: d.fromAssigneeId,
      toAssigneeId: d.toAssigneeId,
      reason: d.reason,
      candidates: d.candidates as object[],
      createdAt: at,
    },
  });
  if (plan.received) {
    await tx.user.update({ where: { id: plan.received.userId }, data: { lastAssignedAt: at } });
    if (plan.received.roundRobin && plan.received.groupId) {
      await tx.resolverGroup.update({
        where: { id: plan.received.groupId },
        data: { roundRobinLastUserId: plan.received.userId },
      });
    }
  }
}

/** Hook path: the ticket row is updated in place (no version bump: it is part of the change that triggered it). */
export async function applyPlanToTicket(tx: Tx, ticket: Ticket, plan: AssignmentPlan, actor: Actor, at: Date) {
  if (Object.keys(plan.data).length > 0) {
    await tx.ticket.update({ where: { id: ticket.id }, data: { ...plan.data, updatedAt: at } });
  }
  await recordPlan(tx, ticket.id, plan, actor, at);
  return { audit: plan.audit, events: plan.events };
}

// ── hooks ────────────────────────────────────────────────────────────────────

export function reclassified(before: Ticket, after: Ticket): boolean {
  return before.class !== after.class || before.serviceId !== after.serviceId || before.category !== after.category;
}

export async function routeAtIntake(tx: Tx, actor: Actor, ticket: Ticket, at: Date) {
  const plan = await planAssignment(tx, ticket, { trigger: 'INTAKE', now: at, reroute: true });
  return applyPlanToTicket(tx, ticket, plan, actor, at);
}

export async function rerouteOnReclassification(tx: Tx, actor: Actor, before: Ticket, after: Ticket, at: Date) {
  if (!reclassified(before, after) || !OPEN_STATUSES.includes(after.status)) return undefined;
  if (after.assignmentPinned) {
    const target = await routeTarget(tx, after);
    const plan: AssignmentPlan = {
      data: {},
      audit: [],
      events: [],
      decision: {
        ...draft(after, 'RECLASSIFICATION', 'KEPT', ''),
        ruleId: target?.ruleId ?? null,
        ruleName: target?.ruleName ?? null,
      },
      received: null,
    };
    const would =
      target && target.groupId !== after.resolverGroupId ? ` (${target.why} would route to ${target.groupName})` : '';
    plan.decision.reason = `reclassified, but the assignment was made by hand: kept${would}`;
    await recordPlan(tx, after.id, plan, actor, at);
    return undefined;
  }
  const plan = await planAssignment(tx, after, { trigger: 'RECLASSIFICATION', now: at, reroute: true });
  return applyPlanToTicket(tx, after, plan, actor, at);
}

// ── moves made by other domains ──────────────────────────────────────────────

/**
 * For other domains that move a ticket inside their own ticket change (functional escalation): moves it to
 * `groupId`, lets that group's mode choose an agent, pins it (reclassification will not send it back), counts the
 * group change and logs the decision. Writes the ticket row without a version bump, like a hook; the caller appends
 * the returned audit entries and events to its change.
 */
export async function moveToGroupInChange(
  tx: Tx,
  actor: Actor,
  ticket: Ticket,
  input: { groupId: string; reason: string; trigger?: 'ESCALATION' },
  at: Date,
): Promise<{ audit: AuditChange[]; events: Ev[] }> {
  if (input.groupId === ticket.resolverGroupId) return { audit: [], events: [] };
  const { selection, context } = await selectInGroup(tx, ticket, input.groupId, at, false);
  const assigneeId = selection.assigneeId;
  const plan: AssignmentPlan = {
    data: {
      resolverGroupId: input.groupId,
      assigneeId,
      routingRuleId: null,
      assignmentPinned: true,
      ...(ticket.resolverGroupId ? { groupChangeCount: { increment: 1 } } : {}),
    },
    audit: [
      {
        action: 'assigned',
        field: 'resolverGroupId',
        oldValue: ticket.resolverGroupId,
        newValue: input.groupId,
        reason: input.reason,
      },
    ],
    events: [
      {
        type: 'ticket.assigned',
        internal: false,
        payload: { resolverGroupId: input.groupId, assigneeId, trigger: input.trigger ?? 'ESCALATION' },
      },
    ],
    decision: {
      ...draft(ticket, input.trigger ?? 'ESCALATION', selection.outcome, ''),
      mode: context.facts.mode,
      toGroupId: input.groupId,
      toAssigneeId: assigneeId,
      candidates: selection.candidates,
      reason: `moved to ${context.facts.name}: ${input.reason}; ${selection.reason}`,
    },
    received: assigneeId
      ? {
          userId: assigneeId,
          groupId: input.groupId,
          roundRobin: context.facts.mode === 'ROUND_ROBIN' && selection.outcome === 'ASSIGNED',
        }
      : null,
  };
  if (assigneeId !== ticket.assigneeId) {
    plan.audit.push({
      action: assigneeId ? 'auto_assigned' : 'unassigned',
      field: 'assigneeId',
      oldValue: ticket.assigneeId,
      newValue: assigneeId,
      reason: selection.reason,
    });
  }
  statusToAssigned(ticket, plan);
  return applyPlanToTicket(tx, ticket, plan, actor, at);
}

// ── ticketAutoAssign ─────────────────────────────────────────────────────────

/**
 * Runs the engine on request: picks an agent in the ticket's group (routing it first when it has none, or when
 * `reroute` asks the rules again). A MANUAL group gets a load-balanced pick, since someone asked for one.
 */
export async function autoAssignTicket(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  input: { reroute?: boolean | null },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'assign tickets');
  return mutateTicket<string>(
    prisma,
    actor,
    ticketId,
    version,
    async (ticket, tx, at) => {
      if (!OPEN_STATUSES.includes(ticket.status))
        throw ValidationError.of('input', `${ticket.number} is ${ticket.status}; reopen it first`);
      const plan = await planAssignment(tx, ticket, {
        trigger: 'AUTO_ASSIGN',
        now: at,
        reroute: !!input.reroute,
        onRequest: true,
      });
      const audit = plan.audit.length
        ? plan.audit
        : [{ action: 'assignment_evaluated', field: 'assigneeId', reason: plan.decision.reason }];
      return {
        data: plan.data,
        audit,
        events: plan.events,
        after: (t) => recordPlan(t, ticket.id, plan, actor, at),
        result: plan.decision.id,
      };
    },
    clock,
  );
}

// ── manual assignment (ticketAssign) ─────────────────────────────────────────

export interface ManualAssignInput {
  resolverGroupId?: string | null;
  assigneeId?: string | null;
  reason?: string | null;
}

async function isMember(tx: Tx, groupId: string, userId: string) {
  return !!(await tx.resolverGroupMember.findUnique({ where: { groupId_userId: { groupId, userId } } }));
}

/**
 * A person assigns: the group and/or agent they name, with their reason in the log; the ticket is then pinned
 * (reclassification no longer re-routes it). Moving to another group without naming an agent keeps the agent if
 * they belong to the new group, and otherwise lets the new group's mode choose (`assigneeId: null` queues it).
 */
export async function manualAssignmentChange(tx: Tx, actor: Actor, ticket: Ticket, input: ManualAssignInput, at: Date) {
  if (!OPEN_STATUSES.includes(ticket.status))
    throw ValidationError.of('input', `${ticket.number} is ${ticket.status}; reopen it first`);
  const why = input.reason?.trim() || 'no reason given';
  const groupId = input.resolverGroupId === undefined ? ticket.resolverGroupId : input.resolverGroupId;
  // The resolver group owns the ticket until resolution: it can move to another group, never back to no group.
  if (ticket.resolverGroupId && !groupId)
    throw ValidationError.of('input.resolverGroupId', 'A routed ticket keeps a resolver group until it is resolved');
  const groupChanged = groupId !== ticket.resolverGroupId;
  const group = groupId ? await tx.resolverGroup.findUnique({ where: { id: groupId } }) : null;
  if (groupId && !group) throw new NotFoundError('ResolverGroup', groupId);
  let assigneeId = input.assigneeId === undefined ? ticket.assigneeId : input.assigneeId;
  let pick: Awaited<ReturnType<typeof selectInGroup>> | null = null;
  if (input.assigneeId === undefined && groupChanged && groupId) {
    if (assigneeId && !(await isMember(tx, groupId, assigneeId))) assigneeId = null;
    if (!assigneeId) {
      pick = await selectInGroup(tx, ticket, groupId, at, false);
      assigneeId = pick.selection.assigneeId;
    }
  }
  if (assigneeId && assigneeId !== ticket.assigneeId) {
    const agent = await tx.user.findUnique({ where: { id: assigneeId }, include: { organization: true } });
    if (!agent?.active || agent.organization.kind !== 'PROVIDER' || agent.role === 'CUSTOMER')
      throw new NotFoundError('Agent', assigneeId);
  }
  if (assigneeId && groupId && input.assigneeId !== undefined && !(await isMember(tx, groupId, assigneeId)))
    throw ValidationError.of('input.assigneeId', 'The agent is not a member of that resolver group');

  const audit: AuditChange[] = [];
  const events: Ev[] = [];
  const data: Record<string, unknown> = { assignmentPinned: true };
  if (groupChanged) {
    audit.push({
      action: 'assigned',
      field: 'resolverGroupId',
      oldValue: ticket.resolverGroupId,
      newValue: groupId,
      reason: why,
    });
    data.resolverGroupId = groupId;
    data.routingRuleId = null;
    // Moving between groups (not the first routing) disqualifies first-contact resolution.
    if (ticket.resolverGroupId) data.groupChangeCount = { increment: 1 };
  }
  if (assigneeId !== ticket.assigneeId) {
    audit.push({
      action: pick?.selection.assigneeId ? 'auto_assigned' : 'assigned',
      field: 'assigneeId',
      oldValue: ticket.assigneeId,
      newValue: assigneeId,
      reason: pick?.selection.assigneeId ? pick.selection.reason : why,
    });
    data.assigneeId = assigneeId;
  }
  if (audit.length === 0) {
    if (ticket.assignmentPinned) throw ValidationError.of('input', 'The ticket is already assigned that way');
    audit.push({
      action: 'assignment_pinned',
      field: 'assignmentPinned',
      oldValue: false,
      newValue: true,
      reason: why,
    });
  } else {
    events.push({
      type: 'ticket.assigned',
      internal: false,
      payload: { resolverGroupId: groupId, assigneeId, trigger: 'MANUAL' },
    });
  }
  const plan: AssignmentPlan = {
    data,
    audit,
    events,
    decision: {
      ...draft(ticket, 'MANUAL', 'MANUAL', ''),
      mode: pick?.context.facts.mode ?? null,
      toGroupId: groupId,
      toAssigneeId: assigneeId,
      candidates: pick?.selection.candidates ?? [],
    },
    received:
      assigneeId && assigneeId !== ticket.assigneeId
        ? {
            userId: assigneeId,
            groupId,
            roundRobin: pick?.context.facts.mode === 'ROUND_ROBIN' && pick.selection.outcome === 'ASSIGNED',
          }
        : null,
  };
  const names = await describeMove(tx, ticket, groupId, group?.name ?? null, assigneeId, !!pick);
  const caveats =
    input.assigneeId && assigneeId !== ticket.assigneeId ? await caveatsFor(tx, ticket, input.assigneeId, at) : null;
  plan.decision.reason = [`${names} by hand: ${why}`, caveats, pick?.selection.reason].filter(Boolean).join('; ');
  if ((groupChanged || assigneeId !== ticket.assigneeId) && (groupId || assigneeId)) statusToAssigned(ticket, plan);
  return {
    data: plan.data,
    audit: plan.audit,
    events: plan.events,
    after: (t: Tx) => recordPlan(t, ticket.id, plan, actor, at),
  };
}

/** A person may assign against the engine's rules; the log notes what the engine would have objected to. */
async function caveatsFor(tx: Tx, ticket: Ticket, userId: string, at: Date): Promise<string | null> {
  const [user, away, required] = await Promise.all([
    tx.user.findUnique({ where: { id: userId }, select: { name: true, skills: true } }),
    tx.outOfOffice.findFirst({ where: { userId, startsAt: { lte: at }, endsAt: { gt: at } } }),
    ticketRequiredSkills(tx, ticket),
  ]);
  if (!user) return null;
  const has = new Set(user.skills.map((s) => s.toLowerCase()));
  const notes: string[] = [];
  const missing = required.filter((s) => !has.has(s));
  if (missing.length) notes.push(`lacks ${missing.join('+')}`);
  if (away) notes.push(`out of office until ${away.endsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  return notes.length ? `note: ${user.name} ${notes.join(', ')}` : null;
}

async function describeMove(
  tx: Tx,
  ticket: Ticket,
  groupId: string | null,
  groupName: string | null,
  assigneeId: string | null,
  picked: boolean,
) {
  const parts: string[] = [];
  if (groupId !== ticket.resolverGroupId) parts.push(`moved to ${groupName}`);
  // When the engine chose (or found nobody), the selection's own reason explains the agent.
  if (assigneeId !== ticket.assigneeId && !picked) {
    const agent = assigneeId ? await tx.user.findUnique({ where: { id: assigneeId }, select: { name: true } }) : null;
    parts.push(agent ? `given to ${agent.name}` : 'unassigned');
  }
  return parts.length ? parts.join(', ') : 'assignment confirmed';
}

// ── on call ──────────────────────────────────────────────────────────────────

export async function onCallFor(
  db: Db,
  groupId: string,
  at: Date,
): Promise<(OnCallShift & { groupId: string }) | null> {
  const rota = await db.onCallRota.findUnique({
    where: { groupId },
    include: {
      members: { orderBy: { position: 'asc' }, select: { userId: true } },
      overrides: { where: { startsAt: { lte: at }, endsAt: { gt: at } } },
    },
  });
  if (!rota) return null;
  const shift = onCallAt(
    {
      timeZone: rota.timeZone,
      startDate: rota.startDate,
      handoffTime: rota.handoffTime,
      periodDays: rota.periodDays,
      memberIds: rota.members.map((m) => m.userId),
      overrides: rota.overrides,
    },
    at,
  );
  return shift ? { ...shift, groupId } : null;
}
