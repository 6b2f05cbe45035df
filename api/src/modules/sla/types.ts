import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import { db } from '../../db.js';
import { SlaTargetKind } from '../../generated/prisma/enums.js';
import { isStaff } from '../auth/scopes.js';
import { formatInZone } from '../calendar/calendar.js';
import { calendarSpec } from '../calendar/calendar.service.js';
import { PriorityEnum, TicketClassEnum, TicketType } from '../ticket/types.js';
import type { TargetKind } from './engine.js';
import { type Explanation, type ExplanationStep, explain } from './explain.js';
import { type ClockWithPolicy, isOpen, ledgerOf, policyLabel, type TargetView, viewClock } from './sla.service.js';

export const SlaTargetKindEnum = builder.enumType(SlaTargetKind, {
  name: 'SlaTargetKind',
  description: 'FIRST_RESPONSE, NEXT_UPDATE (status updates at a fixed cadence) and RESOLUTION.',
});

export const SlaStateEnum = builder.enumType('SlaState', {
  description:
    'RUNNING and PAUSED: within target. MET: achieved in time. BREACHED: the due time passed first (the clock keeps ' +
    'counting until achieved). CANCELLED: the ticket was cancelled. NOT_APPLICABLE: the policy has no such target.',
  values: ['RUNNING', 'PAUSED', 'MET', 'BREACHED', 'CANCELLED', 'NOT_APPLICABLE'] as const,
});

const StepKindEnum = builder.enumType('SlaExplanationStepKind', {
  values: ['COUNTING', 'PAUSED', 'OUTSIDE_HOURS', 'HOLIDAY', 'MET', 'BREACHED', 'DUE'] as const,
});

export const SlaPolicyType = builder.prismaNode('SlaPolicy', {
  id: { field: 'id' },
  description:
    'One version of an SLA policy. Editing makes a new version; tickets keep the version they were measured against.',
  authScopes: { staff: true },
  runScopesOnType: true,
  fields: (t) => ({
    key: t.exposeString('key'),
    version: t.exposeInt('version'),
    name: t.exposeString('name'),
    active: t.exposeBoolean('active', { description: 'Only the newest version of a key is selected for tickets.' }),
    priority: t.expose('priority', { type: PriorityEnum, nullable: true, description: 'Null matches any.' }),
    ticketClass: t.expose('ticketClass', { type: TicketClassEnum, nullable: true, description: 'Null matches any.' }),
    organization: t.relation('organization', {
      nullable: true,
      description: 'A customer contract; null matches every organisation.',
    }),
    calendar: t.relation('calendar'),
    firstResponseSeconds: t.exposeInt('firstResponseSeconds', { nullable: true, description: 'Business seconds.' }),
    nextUpdateSeconds: t.exposeInt('nextUpdateSeconds', { nullable: true, description: 'Business seconds.' }),
    resolutionSeconds: t.exposeInt('resolutionSeconds', { nullable: true, description: 'Business seconds.' }),
    pauseOnPendingVendor: t.exposeBoolean('pauseOnPendingVendor', {
      description: 'PENDING_CUSTOMER always pauses the clocks; PENDING_VENDOR only when this is true.',
    }),
    warningPercents: t.exposeIntList('warningPercents'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
  }),
});

const StepRef = builder.objectRef<ExplanationStep>('SlaExplanationStep').implement({
  fields: (t) => ({
    kind: t.field({ type: StepKindEnum, resolve: (s) => s.kind }),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime', nullable: true, description: 'Null while the step is still going on.' }),
    businessSeconds: t.exposeInt('businessSeconds', { description: 'Business time this step counted.' }),
    text: t.exposeString('text'),
  }),
});

const ExplanationRef = builder.objectRef<Explanation>('SlaExplanation').implement({
  description: 'Why the target is due when it is, computed from the clock ledger and the business calendar.',
  fields: (t) => ({
    summary: t.exposeString('summary', {
      description: 'e.g. "due Tue 08 Dec 14:30 CET: 4 h business time …; paused 1 h 20 m waiting for the customer".',
    }),
    steps: t.field({ type: [StepRef], resolve: (e) => e.steps }),
  }),
});

type TargetShape = { kind: TargetKind; view: TargetView | null };

const seconds = (ms: number) => Math.round(ms / 1000);

export const SlaTargetRef = builder.objectRef<TargetShape>('SlaTarget').implement({
  description: 'One SLA target of a ticket, as of now.',
  fields: (t) => ({
    kind: t.field({ type: SlaTargetKindEnum, resolve: (s) => s.kind }),
    state: t.field({ type: SlaStateEnum, resolve: (s) => s.view?.clock.state ?? 'NOT_APPLICABLE' }),
    running: t.boolean({
      description: 'Counting now (a breached target keeps counting until achieved).',
      resolve: (s) => !!s.view?.clock.running,
    }),
    targetSeconds: t.int({ nullable: true, resolve: (s) => s.view?.clock.targetSeconds ?? null }),
    dueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the target is (was) reached; null while paused short of it.',
      resolve: (s) => s.view?.clock.dueAt ?? null,
    }),
    dueLabel: t.string({
      nullable: true,
      description: 'The due time in the policy calendar zone, e.g. "Tue 08 Dec 14:30 CET".',
      resolve: (s) =>
        s.view?.clock.dueAt ? formatInZone(s.view.clock.policy.calendar.timeZone, s.view.clock.dueAt) : null,
    }),
    remainingSeconds: t.int({
      nullable: true,
      description: 'Business seconds left (negative when overdue).',
      resolve: (s) => (s.view ? seconds(s.view.remainingMs) : null),
    }),
    elapsedSeconds: t.int({
      nullable: true,
      description: 'Business seconds used in this cycle.',
      resolve: (s) => (s.view ? seconds(s.view.elapsedMs) : null),
    }),
    percentUsed: t.float({ nullable: true, resolve: (s) => s.view?.percentUsed ?? null }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.view?.clock.cycleStartedAt ?? null }),
    cycle: t.int({
      nullable: true,
      description: 'NEXT_UPDATE: the update cycle (restarts at every public update).',
      resolve: (s) => s.view?.clock.cycle ?? null,
    }),
    metAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.view?.clock.metAt ?? null }),
    breachedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.view?.clock.breachedAt ?? null }),
    completedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the target was achieved, in time or late.',
      resolve: (s) => s.view?.clock.completedAt ?? null,
    }),
    breachCount: t.int({
      description: 'NEXT_UPDATE: update cycles that breached.',
      resolve: (s) => s.view?.clock.breachCount ?? 0,
    }),
    pauseReason: t.string({ nullable: true, resolve: (s) => s.view?.clock.pauseReason ?? null }),
    policyVersion: t.int({ nullable: true, resolve: (s) => s.view?.clock.policyVersion ?? null }),
    explanation: t.field({
      type: ExplanationRef,
      nullable: true,
      resolve: async (s) => {
        if (!s.view) return null;
        const { clock, now } = s.view;
        return explain({
          kind: clock.kind,
          state: clock.state,
          targetMs: clock.targetSeconds * 1000,
          calendar: calendarSpec(clock.policy.calendar),
          calendarName: clock.policy.calendar.name,
          policyLabel: `policy ${policyLabel(clock.policy)}`,
          segments: await ledgerOf(db(), clock.id, clock.cycle),
          now,
          dueAt: clock.dueAt,
          metAt: clock.metAt,
          breachedAt: clock.breachedAt,
          completedAt: clock.completedAt,
          cycle: clock.cycle,
        });
      },
    }),
  }),
});

type TicketSlaShape = { clocks: ClockWithPolicy[]; now: Date };

const target = (sla: TicketSlaShape, kind: TargetKind): TargetShape => {
  const clock = sla.clocks.find((c) => c.kind === kind);
  return { kind, view: clock ? viewClock(clock, sla.now) : null };
};

export const TicketSlaRef = builder.objectRef<TicketSlaShape>('TicketSla').implement({
  description: "The ticket's SLA: which policy applies and where each target stands.",
  fields: (t) => ({
    policy: t.prismaField({
      type: 'SlaPolicy',
      nullable: true,
      description: 'The policy (version) the open targets run on; staff only, null for customers.',
      resolve: (query, sla, _args, ctx) => {
        const clock = sla.clocks.find(isOpen) ?? sla.clocks[0];
        if (!clock || !isStaff(ctx.viewer)) return null;
        return db().slaPolicy.findUnique({ ...query, where: { id: clock.policyId } });
      },
    }),
    policyName: t.string({
      nullable: true,
      resolve: (sla) => {
        const clock = sla.clocks.find(isOpen) ?? sla.clocks[0];
        return clock ? policyLabel({ name: clock.policy.name, version: clock.policyVersion }) : null;
      },
    }),
    firstResponse: t.field({ type: SlaTargetRef, resolve: (sla) => target(sla, 'FIRST_RESPONSE') }),
    nextUpdate: t.field({ type: SlaTargetRef, resolve: (sla) => target(sla, 'NEXT_UPDATE') }),
    resolution: t.field({ type: SlaTargetRef, resolve: (sla) => target(sla, 'RESOLUTION') }),
    breached: t.boolean({
      description: 'A target is breached and not yet achieved.',
      resolve: (sla) => sla.clocks.some((c) => c.state === 'BREACHED' && !c.completedAt),
    }),
  }),
});

builder.prismaObjectFields(TicketType, (t) => ({
  sla: t.field({
    type: TicketSlaRef,
    description: 'SLA targets (first response, next update, resolution) with due times and their explanation.',
    // Loaded with the ticket query (one statement for a whole list), not per ticket.
    select: { slaClocks: { include: { policy: { include: { calendar: true } } } } },
    resolve: (ticket) => ({ clocks: ticket.slaClocks, now: appClock.now() }),
  }),
}));
