import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import { db } from '../../db.js';
import { AssignmentMode, AssignmentOutcome, AssignmentTrigger } from '../../generated/prisma/enums.js';
import { isWithinHours, nextOpening } from '../calendar/calendar.js';
import { calendarSpec } from '../calendar/calendar.service.js';
import { ResolverGroupType } from '../catalog/types.js';
import { UserType } from '../directory/types.js';
import { TicketClassEnum, TicketType } from '../ticket/types.js';
import { OPEN_STATUSES } from '../ticket/workflow.js';
import { loadGroupContext, onCallFor } from './assignment.service.js';
import type { OnCallShift } from './oncall.js';
import { type Absence, type CandidateEvaluation, isOnShift, ticketWeight } from './selection.js';

const staffOnly = { $all: { staff: true, scope: 'tickets:read' } } as const;

export const AssignmentModeEnum = builder.enumType(AssignmentMode, {
  name: 'AssignmentMode',
  description:
    'MANUAL: tickets wait in the queue for a dispatcher. ROUND_ROBIN: eligible members take turns. LOAD_BALANCED: the eligible member with the lowest priority-weighted open load (P1 = 5 … P5 = 1, waiting tickets half), ties to the longest idle.',
});
export const AssignmentTriggerEnum = builder.enumType(AssignmentTrigger, { name: 'AssignmentTrigger' });
export const AssignmentOutcomeEnum = builder.enumType(AssignmentOutcome, {
  name: 'AssignmentOutcome',
  description:
    'ASSIGNED: the engine chose an agent. ON_CALL: outside hours a P1/P2 went to the person on call. QUEUED: waits in the group queue. MANUAL: a person assigned. KEPT: nothing changed. UNROUTED: no rule matched and there is no triage group.',
});
const OnCallSourceEnum = builder.enumType('OnCallSource', { values: ['ROTA', 'OVERRIDE'] as const });

// ── rules, requirements, rota, absences ──────────────────────────────────────

export const RoutingRuleType = builder.prismaNode('RoutingRule', {
  id: { field: 'id' },
  description:
    'Rules are tried by position (lowest first); the first active rule whose given conditions all hold routes.',
  runScopesOnType: true,
  authScopes: staffOnly,
  fields: (t) => ({
    name: t.exposeString('name'),
    position: t.exposeInt('position'),
    active: t.exposeBoolean('active'),
    class: t.expose('class', { type: TicketClassEnum, nullable: true }),
    service: t.relation('service', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    responsibilityDomain: t.exposeString('responsibilityDomain', { nullable: true }),
    resolverGroup: t.relation('resolverGroup'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const SkillRequirementType = builder.prismaNode('SkillRequirement', {
  id: { field: 'id' },
  description: "Skills an agent needs for a service's tickets, a category's, or that combination's.",
  runScopesOnType: true,
  authScopes: staffOnly,
  fields: (t) => ({
    service: t.relation('service', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    skills: t.exposeStringList('skills'),
  }),
});

export const OnCallOverrideType = builder.prismaNode('OnCallOverride', {
  id: { field: 'id' },
  runScopesOnType: true,
  authScopes: staffOnly,
  fields: (t) => ({
    user: t.relation('user'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    reason: t.exposeString('reason'),
  }),
});

export const OnCallRotaType = builder.prismaObject('OnCallRota', {
  description: 'Members take turns of `periodDays`, handing over at `handoffTime` local time in `timeZone`.',
  fields: (t) => ({
    timeZone: t.exposeString('timeZone'),
    startDate: t.exposeString('startDate'),
    handoffTime: t.exposeString('handoffTime'),
    periodDays: t.exposeInt('periodDays'),
    members: t.field({
      type: [UserType],
      description: 'In turn order.',
      select: { members: { orderBy: { position: 'asc' }, select: { user: true } } },
      resolve: (rota) => rota.members.map((m) => m.user),
    }),
    overrides: t.relation('overrides', {
      description: 'Current and future overrides.',
      query: () => ({ where: { endsAt: { gt: appClock.now() } }, orderBy: { startsAt: 'asc' } }),
    }),
  }),
});

export const OutOfOfficeType = builder.prismaNode('OutOfOffice', {
  id: { field: 'id' },
  description: 'No automatic assignments and no on-call pages between startsAt and endsAt.',
  runScopesOnType: true,
  authScopes: staffOnly,
  fields: (t) => ({
    user: t.relation('user'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    reason: t.exposeString('reason'),
  }),
});

const AbsenceRef = builder.objectRef<Absence>('Absence').implement({
  fields: (t) => ({
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    reason: t.exposeString('reason'),
  }),
});

// ── on call now ──────────────────────────────────────────────────────────────

export interface OnCallView extends OnCallShift {
  groupId: string;
  available: boolean;
  unavailableReason: string | null;
}

export async function onCallView(groupId: string, at: Date): Promise<OnCallView | null> {
  const shift = await onCallFor(db(), groupId, at);
  if (!shift) return null;
  const [user, away] = await Promise.all([
    db().user.findUnique({ where: { id: shift.userId }, select: { active: true } }),
    db().outOfOffice.findFirst({ where: { userId: shift.userId, startsAt: { lte: at }, endsAt: { gt: at } } }),
  ]);
  const unavailableReason = !user?.active
    ? 'account inactive'
    : away
      ? `out of office until ${away.endsAt.toISOString()}${away.reason ? ` (${away.reason})` : ''}`
      : null;
  return { ...shift, available: !unavailableReason, unavailableReason };
}

export const OnCallShiftRef = builder.objectRef<OnCallView>('OnCallShift').implement({
  description: 'Who is on call for a group at an instant, from the rota or an override.',
  fields: (t) => ({
    group: t.prismaField({
      type: 'ResolverGroup',
      resolve: (query, s) => db().resolverGroup.findUniqueOrThrow({ ...query, where: { id: s.groupId } }),
    }),
    user: t.prismaField({
      type: 'User',
      resolve: (query, s) => db().user.findUniqueOrThrow({ ...query, where: { id: s.userId } }),
    }),
    source: t.field({ type: OnCallSourceEnum, resolve: (s) => s.source }),
    since: t.expose('since', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    detail: t.exposeString('detail'),
    available: t.exposeBoolean('available', { description: 'False when the person is out of office or inactive.' }),
    unavailableReason: t.exposeString('unavailableReason', { nullable: true }),
  }),
});

// ── resolver groups: members and load ────────────────────────────────────────

interface MembershipView {
  groupId: string;
  userId: string;
  isLead: boolean;
  autoAssign: boolean;
  capacity: number | null;
  effectiveCapacity: number | null;
  skills: string[];
  load: number;
  openTickets: number;
  lastAssignedAt: Date | null;
  joinedAt: Date;
  outOfOffice: Absence | null;
}

const MembershipRef = builder.objectRef<MembershipView>('ResolverGroupMembership').implement({
  description: 'A member with their current load (open tickets over every group, weighted by priority).',
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      resolve: (query, m) => db().user.findUniqueOrThrow({ ...query, where: { id: m.userId } }),
    }),
    isLead: t.exposeBoolean('isLead'),
    autoAssign: t.exposeBoolean('autoAssign', { description: 'Takes automatic assignments.' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: "The member's own cap on open tickets." }),
    effectiveCapacity: t.exposeInt('effectiveCapacity', {
      nullable: true,
      description: "The cap that applies (the member's, else the group's); null = none.",
    }),
    skills: t.exposeStringList('skills'),
    load: t.exposeFloat('load', { description: 'Σ over open tickets of P1 = 5 … P5 = 1, halved while waiting.' }),
    openTickets: t.exposeInt('openTickets'),
    lastAssignedAt: t.expose('lastAssignedAt', { type: 'DateTime', nullable: true }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
    outOfOffice: t.field({ type: AbsenceRef, nullable: true, resolve: (m) => m.outOfOffice }),
  }),
});

interface OperationalHoursView {
  calendarId: string;
  key: string;
  name: string;
  timeZone: string;
  is24x7: boolean;
  onShiftNow: boolean;
  nextOpening: Date | null;
}

const OperationalHoursRef = builder.objectRef<OperationalHoursView>('OperationalHours').implement({
  fields: (t) => ({
    calendarId: t.id({
      description: 'Global ID of the BusinessCalendar.',
      resolve: (h) => Buffer.from(`BusinessCalendar:${h.calendarId}`).toString('base64'),
    }),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone'),
    is24x7: t.exposeBoolean('is24x7'),
    onShiftNow: t.exposeBoolean('onShiftNow'),
    nextOpening: t.expose('nextOpening', { type: 'DateTime', nullable: true }),
  }),
});

const GroupLoadRef = builder
  .objectRef<{ openTickets: number; unassigned: number; load: number }>('ResolverGroupLoad')
  .implement({
    description: "The group's open tickets: how many, how many wait without an agent, and their weighted load.",
    fields: (t) => ({
      openTickets: t.exposeInt('openTickets'),
      unassigned: t.exposeInt('unassigned'),
      load: t.exposeFloat('load'),
    }),
  });

builder.prismaObjectFields(ResolverGroupType, (t) => ({
  description: t.exposeString('description', { authScopes: staffOnly }),
  mode: t.expose('mode', { type: AssignmentModeEnum, authScopes: staffOnly }),
  isDefaultTriage: t.exposeBoolean('isDefaultTriage', {
    authScopes: staffOnly,
    description: 'Tickets that no routing rule matches land here.',
  }),
  skills: t.exposeStringList('skills', { authScopes: staffOnly, description: "The team's expertise tags." }),
  agentCapacity: t.exposeInt('agentCapacity', {
    nullable: true,
    authScopes: staffOnly,
    description: "Default cap on a member's open tickets for automatic assignment.",
  }),
  operationalHours: t.field({
    type: OperationalHoursRef,
    nullable: true,
    authScopes: staffOnly,
    description: 'The calendar of operational hours; null = always on shift.',
    select: { calendar: true },
    resolve: (g) => {
      if (!g.calendar) return null;
      const spec = calendarSpec(g.calendar);
      const now = appClock.now();
      let next: Date | null = null;
      try {
        next = nextOpening(spec, now);
      } catch {
        next = null;
      }
      return {
        calendarId: g.calendar.id,
        key: g.calendar.key,
        name: g.calendar.name,
        timeZone: g.calendar.timeZone,
        is24x7: g.calendar.is24x7,
        onShiftNow: isWithinHours(spec, now),
        nextOpening: next,
      };
    },
  }),
  members: t.field({
    type: [MembershipRef],
    authScopes: staffOnly,
    description: 'Members with their current load, capacity, skills and absence.',
    resolve: async (g) => {
      const now = appClock.now();
      const context = await loadGroupContext(db(), g.id, now);
      if (!context) return [];
      return context.members
        .map((m) => ({
          groupId: g.id,
          userId: m.userId,
          isLead: context.leadIds.includes(m.userId),
          autoAssign: m.autoAssign,
          capacity: m.capacity,
          effectiveCapacity: m.capacity ?? context.facts.agentCapacity,
          skills: m.skills,
          load: m.load,
          openTickets: m.openTickets,
          lastAssignedAt: m.lastAssignedAt,
          joinedAt: m.joinedAt,
          outOfOffice:
            m.absences.find((a) => a.startsAt.getTime() <= now.getTime() && now.getTime() < a.endsAt.getTime()) ?? null,
        }))
        .sort((a, b) => a.load - b.load || a.userId.localeCompare(b.userId));
    },
  }),
  load: t.field({
    type: GroupLoadRef,
    authScopes: staffOnly,
    resolve: async (g) => {
      const rows = await db().ticket.groupBy({
        by: ['priority', 'status', 'assigneeId'],
        where: { resolverGroupId: g.id, status: { in: [...OPEN_STATUSES] } },
        _count: { _all: true },
      });
      let openTickets = 0;
      let unassigned = 0;
      let load = 0;
      for (const r of rows) {
        openTickets += r._count._all;
        if (!r.assigneeId) unassigned += r._count._all;
        load += ticketWeight(r.priority, r.status) * r._count._all;
      }
      return { openTickets, unassigned, load };
    },
  }),
  onShiftNow: t.boolean({
    authScopes: staffOnly,
    description: "Within the group's operational hours now.",
    select: { calendar: true },
    resolve: (g) =>
      isOnShift(
        {
          id: g.id,
          name: '',
          mode: 'MANUAL',
          agentCapacity: null,
          roundRobinLastUserId: null,
          calendar: g.calendar ? calendarSpec(g.calendar) : null,
          rota: null,
        },
        appClock.now(),
      ),
  }),
  onCallRota: t.relation('onCallRota', { nullable: true, authScopes: staffOnly }),
  onCall: t.field({
    type: OnCallShiftRef,
    nullable: true,
    authScopes: staffOnly,
    description: 'Who is on call at `at` (default now); null when the group has no rota.',
    args: { at: t.arg({ type: 'DateTime', required: false }) },
    resolve: (g, args) => onCallView(g.id, args.at ?? appClock.now()),
  }),
  routingRules: t.relation('routingRules', {
    authScopes: staffOnly,
    description: 'Rules that route to this group, in order.',
    query: { orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] },
  }),
}));

// ── tickets: the assignment log ──────────────────────────────────────────────

const CandidateRef = builder.objectRef<CandidateEvaluation>('AssignmentCandidate').implement({
  description: 'How one member was judged for a decision.',
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, c) => db().user.findUnique({ ...query, where: { id: c.userId } }),
    }),
    name: t.exposeString('name'),
    eligible: t.exposeBoolean('eligible'),
    excluded: t.exposeStringList('excluded', { description: 'Why not eligible (skills, absence, capacity …).' }),
    load: t.exposeFloat('load'),
    openTickets: t.exposeInt('openTickets'),
    lastAssignedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (c) => (c.lastAssignedAt ? new Date(c.lastAssignedAt) : null),
    }),
  }),
});

export const AssignmentDecisionType = builder.prismaObject('AssignmentDecision', {
  description: 'One routing or assignment decision and why it was taken.',
  fields: (t) => ({
    id: t.exposeID('id'),
    trigger: t.expose('trigger', { type: AssignmentTriggerEnum }),
    outcome: t.expose('outcome', { type: AssignmentOutcomeEnum }),
    reason: t.exposeString('reason', {
      description: 'e.g. "assigned to X: skills network+firewall, load 3.5 vs 5.0 for Y, on shift".',
    }),
    mode: t.expose('mode', { type: AssignmentModeEnum, nullable: true }),
    ruleName: t.exposeString('ruleName', { nullable: true, description: 'Kept even if the rule is later deleted.' }),
    rule: t.prismaField({
      type: 'RoutingRule',
      nullable: true,
      resolve: (query, d) => (d.ruleId ? db().routingRule.findUnique({ ...query, where: { id: d.ruleId } }) : null),
    }),
    fromGroup: t.prismaField({
      type: 'ResolverGroup',
      nullable: true,
      resolve: (query, d) =>
        d.fromGroupId ? db().resolverGroup.findUnique({ ...query, where: { id: d.fromGroupId } }) : null,
    }),
    toGroup: t.prismaField({
      type: 'ResolverGroup',
      nullable: true,
      resolve: (query, d) =>
        d.toGroupId ? db().resolverGroup.findUnique({ ...query, where: { id: d.toGroupId } }) : null,
    }),
    fromAssignee: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, d) =>
        d.fromAssigneeId ? db().user.findUnique({ ...query, where: { id: d.fromAssigneeId } }) : null,
    }),
    toAssignee: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, d) =>
        d.toAssigneeId ? db().user.findUnique({ ...query, where: { id: d.toAssigneeId } }) : null,
    }),
    actor: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Who assigned by hand, or whose change (intake, reclassification, request) ran the engine.',
      resolve: (query, d) => (d.actorId ? db().user.findUnique({ ...query, where: { id: d.actorId } }) : null),
    }),
    candidates: t.field({
      type: [CandidateRef],
      resolve: (d) => (Array.isArray(d.candidates) ? (d.candidates as unknown as CandidateEvaluation[]) : []),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(TicketType, (t) => ({
  assignmentLog: t.relation('assignmentDecisions', {
    description: 'Every routing and assignment decision, oldest first, with its reason (staff only).',
    authScopes: staffOnly,
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  }),
  routingRule: t.relation('routingRule', {
    nullable: true,
    authScopes: staffOnly,
    description: 'The routing rule that chose the resolver group (null: default triage, by hand, or unrouted).',
  }),
  assignmentPinned: t.exposeBoolean('assignmentPinned', {
    authScopes: staffOnly,
    description: 'Assigned by hand: reclassification no longer re-routes it.',
  }),
}));

builder.prismaObjectField(UserType, 'skills', (t) =>
  t.exposeStringList('skills', { authScopes: staffOnly, description: 'Expertise tags used by assignment.' }),
);
