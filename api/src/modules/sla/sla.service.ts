import type { Tx } from '../../db/tx.js';
import type {
  BusinessCalendar,
  PrismaClient,
  SlaClock,
  SlaPolicy,
  SlaSegmentKind,
  Ticket,
} from '../../generated/prisma/client.js';
import type { AuditChange } from '../audit/audit.service.js';
import { addBusinessMs, businessMsBetween } from '../calendar/calendar.js';
import { calendarSpec } from '../calendar/calendar.service.js';
import {
  escalateOnMajorImpact,
  escalateOnPendingVendor,
  resolveOpenEscalations,
  ruleMatches,
  type TicketEvent,
} from '../escalation/escalation.service.js';
import type { TicketHookContext, TicketHookOutput } from '../ticket/hooks.js';
import type { Actor } from '../ticket/mutate.js';
import {
  clockStatus,
  type Desired,
  desiredMode,
  type LedgerSegment,
  pickPolicy,
  planThresholds,
  TARGET_KINDS,
  type TargetKind,
  targetSecondsOf,
} from './engine.js';
import { dropPendingTimers, scheduleTimers } from './timers.js';

export type PolicyWithCalendar = SlaPolicy & { calendar: BusinessCalendar };
export type ClockWithPolicy = SlaClock & { policy: PolicyWithCalendar };

const CLOSED_STATUSES = ['RESOLVED', 'CLOSED', 'CANCELLED'];
const PUBLIC_UPDATE_KINDS = ['PUBLIC_REPLY', 'PROGRESS_UPDATE', 'INFORMATION_REQUEST', 'RESOLUTION_NOTICE'] as const;

export function policyLabel(p: Pick<SlaPolicy, 'name' | 'version'>): string {
  return `${p.name} v${p.version}`;
}

export async function selectPolicy(
  tx: Tx | PrismaClient,
  ticket: Pick<Ticket, 'priority' | 'class' | 'organizationId'>,
): Promise<PolicyWithCalendar | null> {
  const policies = await tx.slaPolicy.findMany({ where: { active: true }, include: { calendar: true } });
  return pickPolicy(policies, ticket);
}

async function loadClocks(tx: Tx, ticketId: string): Promise<ClockWithPolicy[]> {
  return tx.slaClock.findMany({
    where: { ticketId },
    include: { policy: { include: { calendar: true } } },
    orderBy: { kind: 'asc' },
  });
}

export async function ledgerOf(tx: Tx | PrismaClient, clockId: string, cycle: number): Promise<LedgerSegment[]> {
  const rows = await tx.slaSegment.findMany({
    where: { clockId, cycle },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({ kind: r.kind, reason: r.reason, startedAt: r.startedAt, endedAt: r.endedAt }));
}

async function thresholdPercents(tx: Tx, ticket: Ticket, clock: ClockWithPolicy): Promise<number[]> {
  const rules = await tx.escalationRule.findMany({
    where: { trigger: 'SLA_THRESHOLD', active: true, targetKind: clock.kind },
  });
  const fromRules = rules.filter((r) => ruleMatches(r, ticket) && r.percent !== null).map((r) => r.percent!);
  return [...clock.policy.warningPercents, ...fromRules, 100];
}

export function isOpen(clock: Pick<SlaClock, 'completedAt' | 'state'>): boolean {
  return !clock.completedAt && clock.state !== 'CANCELLED';
}

// ── ledger writes ────────────────────────────────────────────────────────────

async function closeSegment(tx: Tx, clockId: string, at: Date) {
  // A segment that would end where it began (two changes in one instant) is dropped rather than kept empty.
  await tx.slaSegment.deleteMany({ where: { clockId, endedAt: null, startedAt: { gte: at } } });
  await tx.slaSegment.updateMany({ where: { clockId, endedAt: null }, data: { endedAt: at } });
}

async function openSegment(tx: Tx, clockId: string, cycle: number, kind: SlaSegmentKind, reason: string, at: Date) {
  await tx.slaSegment.create({ data: { clockId, cycle, kind, reason, startedAt: at } });
}

/**
 * Recomputes a clock's cached state (elapsed, due time, running) from its ledger and replaces its pending timers.
 * Every ledger change ends here; the generation bump makes timers computed before it stale.
 */
export async function refreshClock(tx: Tx, ticket: Ticket, clockId: string, at: Date): Promise<ClockWithPolicy> {
  const clock = await tx.slaClock.findUniqueOrThrow({
    where: { id: clockId },
    include: { policy: { include: { calendar: true } } },
  });
  const cal = calendarSpec(clock.policy.calendar);
  const segments = await ledgerOf(tx, clock.id, clock.cycle);
  const targetMs = clock.targetSeconds * 1000;
  const status = clockStatus(cal, segments, targetMs, at);
  const open = isOpen(clock);
  const generation = clock.generation + 1;
  const updated = await tx.slaClock.update({
    where: { id: clock.id },
    data: {
      elapsedSeconds: Math.round(status.elapsedMs / 1000),
      elapsedAt: at,
      generation,
      running: open && status.running,
      ...(open ? { dueAt: status.dueAt } : {}),
      ...(open && clock.state !== 'BREACHED' ? { state: status.running ? 'RUNNING' : 'PAUSED' } : {}),
    },
    include: { policy: { include: { calendar: true } } },
  });
  await dropPendingTimers(tx, { clockId: clock.id });
  if (open && clock.state !== 'BREACHED') {
    const plans = planThresholds(
      cal,
      segments,
      targetMs,
      await thresholdPercents(tx, ticket, updated),
      clock.firedPercent,
      at,
    );
    await scheduleTimers(
      tx,
      plans.map((p) => ({
        kind: 'THRESHOLD' as const,
        ticketId: ticket.id,
        clockId: clock.id,
        generation,
        percent: p.percent,
        dueAt: p.at,
      })),
    );
  }
  return updated;
}

function breachEvent(clock: ClockWithPolicy, breachedAt: Date, late: boolean): TicketEvent {
  return {
    type: 'sla.breached',
    internal: false,
    payload: {
      clockId: clock.id,
      kind: clock.kind,
      cycle: clock.cycle,
      dueAt: breachedAt.toISOString(),
      policyId: clock.policyId,
      policyVersion: clock.policyVersion,
      ...(late ? { recordedAtCompletion: true } : {}),
    },
  };
}

/** The target is achieved: MET when within it, BREACHED otherwise (the breach recorded now if no timer did). */
async function complete(tx: Tx, clock: ClockWithPolicy, at: Date, reason: string, out: ChangeOut) {
  await closeSegment(tx, clock.id, at);
  const cal = calendarSpec(clock.policy.calendar);
  const segments = await ledgerOf(tx, clock.id, clock.cycle);
  const targetMs = clock.targetSeconds * 1000;
  const status = clockStatus(cal, segments, targetMs, at);
  const dueAt = status.dueAt ?? addBusinessMs(cal, at, targetMs - status.elapsedMs);
  if (clock.state === 'BREACHED') {
    await tx.slaClock.update({ where: { id: clock.id }, data: { completedAt: at, running: false, pauseReason: null } });
  } else if (status.elapsedMs > targetMs) {
    await tx.slaClock.update({
      where: { id: clock.id },
      data: {
        state: 'BREACHED',
        breachedAt: dueAt,
        completedAt: at,
        running: false,
        firedPercent: 100,
        breachCount: { increment: 1 },
        pauseReason: null,
        dueAt,
      },
    });
    out.events.push(breachEvent(clock, dueAt, true));
  } else {
    await tx.slaClock.update({
      where: { id: clock.id },
      data: { state: 'MET', metAt: at, completedAt: at, running: false, pauseReason: null, dueAt },
    });
    out.events.push({
      type: 'sla.met',
      internal: false,
      payload: {
        clockId: clock.id,
        kind: clock.kind,
        cycle: clock.cycle,
        dueAt: dueAt.toISOString(),
        reason,
        policyId: clock.policyId,
        policyVersion: clock.policyVersion,
      },
    });
  }
  out.changed.add(clock.id);
}

async function startCycle(tx: Tx, clock: ClockWithPolicy, desired: Desired, at: Date, reason: string) {
  const cycle = clock.cycle + 1;
  const pause = desired.mode === 'pause' ? desired.reason : null;
  await closeSegment(tx, clock.id, at);
  await tx.slaClock.update({
    where: { id: clock.id },
    data: {
      cycle,
      cycleStartedAt: at,
      state: pause ? 'PAUSED' : 'RUNNING',
      running: !pause,
      pauseReason: pause,
      firedPercent: 0,
      metAt: null,
      breachedAt: null,
      completedAt: null,
      elapsedSeconds: 0,
      elapsedAt: at,
      dueAt: null,
    },
  });
  await openSegment(tx, clock.id, cycle, pause ? 'PAUSED' : 'RUNNING', pause ?? reason, at);
}

interface ChangeOut {
  changed: Set<string>;
  events: TicketEvent[];
  notes: string[];
}

/** Moves one clock to what the ticket's state asks of it. */
async function reconcile(tx: Tx, clock: ClockWithPolicy, desired: Desired, at: Date, why: string, out: ChangeOut) {
  if (clock.state === 'CANCELLED') return;
  const open = isOpen(clock);
  if (desired.mode === 'cancel') {
    if (!open) return;
    await closeSegment(tx, clock.id, at);
    await tx.slaClock.update({
      where: { id: clock.id },
      data: { state: 'CANCELLED', running: false, pauseReason: null },
    });
    out.changed.add(clock.id);
    return;
  }
  if (desired.mode === 'complete') {
    if (open) await complete(tx, clock, at, desired.reason, out);
    return;
  }
  if (!open) {
    // Reopened: the resolution clock resumes where it stopped; an update cycle starts afresh.
    if (clock.kind === 'NEXT_UPDATE') {
      await startCycle(tx, clock, desired, at, why);
    } else {
      const pause = desired.mode === 'pause' ? desired.reason : null;
      await tx.slaClock.update({
        where: { id: clock.id },
        data: {
          completedAt: null,
          metAt: null,
          state: clock.state === 'BREACHED' ? 'BREACHED' : pause ? 'PAUSED' : 'RUNNING',
          running: !pause,
          pauseReason: pause,
        },
      });
      await openSegment(tx, clock.id, clock.cycle, pause ? 'PAUSED' : 'RUNNING', pause ?? why, at);
    }
    out.changed.add(clock.id);
    return;
  }
  if (desired.mode === 'run' && !clock.running) {
    await closeSegment(tx, clock.id, at);
    await openSegment(tx, clock.id, clock.cycle, 'RUNNING', why, at);
    await tx.slaClock.update({ where: { id: clock.id }, data: { running: true, pauseReason: null } });
    out.changed.add(clock.id);
  } else if (desired.mode === 'pause' && (clock.running || clock.pauseReason !== desired.reason)) {
    await closeSegment(tx, clock.id, at);
    await openSegment(tx, clock.id, clock.cycle, 'PAUSED', desired.reason, at);
    await tx.slaClock.update({ where: { id: clock.id }, data: { running: false, pauseReason: desired.reason } });
    out.changed.add(clock.id);
  }
}

async function createClock(
  tx: Tx,
  ticket: Ticket,
  policy: PolicyWithCalendar,
  kind: TargetKind,
  targetSeconds: number,
  at: Date,
  reason: string,
) {
  const desired = desiredMode(kind, ticket, policy.pauseOnPendingVendor);
  if (desired.mode === 'complete' || desired.mode === 'cancel') return null;
  const pause = desired.mode === 'pause' ? desired.reason : null;
  const clock = await tx.slaClock.create({
    data: {
      ticketId: ticket.id,
      kind,
      state: pause ? 'PAUSED' : 'RUNNING',
      running: !pause,
      policyId: policy.id,
      policyVersion: policy.version,
      targetSeconds,
      cycleStartedAt: at,
      elapsedAt: at,
      pauseReason: pause,
    },
  });
  await openSegment(tx, clock.id, 1, pause ? 'PAUSED' : 'RUNNING', pause ?? reason, at);
  return clock;
}

/**
 * Points the ticket's clocks at `policy`: open clocks take its target and calendar and are recomputed from their
 * ledger (nothing already counted or paused is lost); targets it lacks are cancelled, targets it adds start now.
 * Completed clocks keep the policy version they were measured against.
 */
async function applyPolicy(
  tx: Tx,
  ticket: Ticket,
  clocks: ClockWithPolicy[],
  policy: PolicyWithCalendar | null,
  at: Date,
  why: string,
  out: ChangeOut,
) {
  for (const kind of TARGET_KINDS) {
    const target = policy ? targetSecondsOf(policy, kind) : null;
    const clock = clocks.find((c) => c.kind === kind);
    const ticketOpen = !CLOSED_STATUSES.includes(ticket.status);
    if (!clock) {
      if (policy && target && ticketOpen) {
        const created = await createClock(tx, ticket, policy, kind, target, at, why);
        if (created) out.changed.add(created.id);
      }
      continue;
    }
    if (clock.state === 'CANCELLED') {
      if (policy && target && ticketOpen && !(kind === 'FIRST_RESPONSE' && ticket.firstResponseAt)) {
        await tx.slaClock.update({
          where: { id: clock.id },
          data: { policyId: policy.id, policyVersion: policy.version, targetSeconds: target },
        });
        await startCycle(tx, { ...clock, policy }, desiredMode(kind, ticket, policy.pauseOnPendingVendor), at, why);
        out.changed.add(clock.id);
      }
      continue;
    }
    if (!isOpen(clock)) continue;
    if (!policy || !target) {
      await closeSegment(tx, clock.id, at);
      await tx.slaClock.update({ where: { id: clock.id }, data: { state: 'CANCELLED', running: false } });
      out.changed.add(clock.id);
      continue;
    }
    if (clock.policyId === policy.id && clock.targetSeconds === target) continue;
    // Split the current segment so the ledger shows where the policy changed.
    const current = await tx.slaSegment.findFirst({ where: { clockId: clock.id, endedAt: null } });
    await closeSegment(tx, clock.id, at);
    await openSegment(
      tx,
      clock.id,
      clock.cycle,
      current?.kind ?? 'RUNNING',
      current?.kind === 'PAUSED' ? current.reason : why,
      at,
    );
    await tx.slaClock.update({
      where: { id: clock.id },
      data: { policyId: policy.id, policyVersion: policy.version, targetSeconds: target },
    });
    out.changed.add(clock.id);
  }
}

function summary(clocks: ClockWithPolicy[]) {
  return Object.fromEntries(
    clocks.map((c) => [
      c.kind,
      { state: c.state, dueAt: c.dueAt?.toISOString() ?? null, policy: `${c.policy.key} v${c.policyVersion}` },
    ]),
  );
}

async function finish(
  tx: Tx,
  ticket: Ticket,
  before: ClockWithPolicy[],
  out: ChangeOut,
  at: Date,
  reason: string,
): Promise<{ audit: AuditChange[]; events: TicketEvent[] }> {
  for (const id of out.changed) await refreshClock(tx, ticket, id, at);
  if (out.changed.size === 0) return { audit: [], events: out.events };
  const after = await loadClocks(tx, ticket.id);
  return {
    audit: [
      {
        action: 'sla_updated',
        field: 'sla',
        oldValue: before.length ? summary(before) : null,
        newValue: summary(after),
        reason: [reason, ...out.notes].join('; '),
      },
    ],
    events: out.events,
  };
}

// ── ticket hooks ─────────────────────────────────────────────────────────────

export async function onTicketCreated(ctx: TicketHookContext, ticket: Ticket): Promise<TicketHookOutput> {
  const { tx, at, actor } = ctx;
  const out: ChangeOut = { changed: new Set(), events: [], notes: [] };
  const policy = await selectPolicy(tx, ticket);
  if (policy) await applyPolicy(tx, ticket, [], policy, at, 'ticket created', out);
  const sla = await finish(tx, ticket, [], out, at, policy ? `policy ${policyLabel(policy)}` : 'no SLA policy applies');
  const escalations = await escalateOnMajorImpact(tx, ticket, actor, at);
  return {
    audit: [...sla.audit, ...escalations.flatMap((e) => e.audit)],
    events: [...sla.events, ...escalations.flatMap((e) => e.events)],
  };
}

async function publicStaffUpdate(tx: Tx, ticketId: string, at: Date): Promise<boolean> {
  const count = await tx.ticketEntry.count({
    where: {
      ticketId,
      internal: false,
      createdAt: at,
      kind: { in: [...PUBLIC_UPDATE_KINDS] },
      author: { organization: { kind: 'PROVIDER' } },
    },
  });
  return count > 0;
}

export async function onTicketChanged(
  ctx: TicketHookContext,
  before: Ticket,
  after: Ticket,
): Promise<TicketHookOutput> {
  const { tx, at, actor } = ctx;
  const out: ChangeOut = { changed: new Set(), events: [], notes: [] };
  const initial = await loadClocks(tx, after.id);
  let clocks = initial;
  const reasons: string[] = [];
  if (before.status !== after.status) reasons.push(`status ${before.status} → ${after.status}`);

  const reclassified =
    before.priority !== after.priority ||
    before.class !== after.class ||
    before.organizationId !== after.organizationId;
  if (reclassified || clocks.length === 0) {
    const policy = await selectPolicy(tx, after);
    const current = clocks.find((c) => isOpen(c))?.policyId ?? clocks[0]?.policyId ?? null;
    if ((policy?.id ?? null) !== current || clocks.length === 0) {
      const why = policy
        ? `policy ${policyLabel(policy)} (${before.priority}→${after.priority}, ${after.class.toLowerCase()})`
        : 'no SLA policy applies';
      await applyPolicy(tx, after, clocks, policy, at, why, out);
      reasons.push(why);
      clocks = await loadClocks(tx, after.id);
    }
  }

  const updateClock = clocks.find((c) => c.kind === 'NEXT_UPDATE');
  if (updateClock && updateClock.state !== 'CANCELLED' && (await publicStaffUpdate(tx, after.id, at))) {
    const desired = desiredMode('NEXT_UPDATE', after, updateClock.policy.pauseOnPendingVendor);
    if (desired.mode === 'run' || desired.mode === 'pause') {
      if (isOpen(updateClock)) await complete(tx, updateClock, at, 'public update', out);
      const fresh = await tx.slaClock.findUniqueOrThrow({
        where: { id: updateClock.id },
        include: { policy: { include: { calendar: true } } },
      });
      await startCycle(tx, fresh, desired, at, 'public update');
      out.changed.add(updateClock.id);
      reasons.push('public update: next-update cycle restarted');
      clocks = await loadClocks(tx, after.id);
    }
  }

  const why = before.status === 'RESOLVED' || before.status === 'CLOSED' ? 'reopened' : `status ${after.status}`;
  for (const clock of clocks) {
    await reconcile(tx, clock, desiredMode(clock.kind, after, clock.policy.pauseOnPendingVendor), at, why, out);
  }
  const sla = await finish(tx, after, initial, out, at, reasons.join('; ') || why);

  const extra: { audit: AuditChange[]; events: TicketEvent[] }[] = [];
  if (before.priority !== after.priority) extra.push(...(await escalateOnMajorImpact(tx, after, actor, at)));
  if (after.status === 'PENDING_VENDOR' && before.status !== 'PENDING_VENDOR')
    extra.push(...(await escalateOnPendingVendor(tx, after, actor, at)));
  if (CLOSED_STATUSES.includes(after.status) && !CLOSED_STATUSES.includes(before.status))
    extra.push(await resolveOpenEscalations(tx, after, `ticket ${after.status.toLowerCase()}`, actor, at));
  return {
    audit: [...sla.audit, ...extra.flatMap((e) => e.audit)],
    events: [...sla.events, ...extra.flatMap((e) => e.events)],
  };
}

/**
 * Re-selects the policy of open tickets (after a policy edit or a calendar change), each in its own transaction
 * under the ticket's row lock. Clocks already met or breached keep the version they were measured against.
 */
export async function reselectOpenTickets(
  prisma: PrismaClient,
  where: { policyIds?: string[]; calendarId?: string },
  actor: Actor,
  at: Date,
): Promise<number> {
  const clocks = await prisma.slaClock.findMany({
    where: {
      completedAt: null,
      state: { in: ['RUNNING', 'PAUSED', 'BREACHED'] },
      ...(where.policyIds ? { policyId: { in: where.policyIds } } : {}),
      ...(where.calendarId ? { policy: { calendarId: where.calendarId } } : {}),
    },
    select: { ticketId: true },
    distinct: ['ticketId'],
  });
  const { writeRecords } = await import('../escalation/escalation.service.js');
  for (const { ticketId } of clocks) {
    await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${ticketId}::uuid FOR UPDATE`;
        const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
        const initial = await loadClocks(tx, ticketId);
        const out: ChangeOut = { changed: new Set(), events: [], notes: [] };
        const policy = await selectPolicy(tx, ticket);
        await applyPolicy(tx, ticket, initial, policy, at, policy ? `policy ${policyLabel(policy)}` : 'no policy', out);
        // A calendar edit changes due times without changing the policy: recompute every open clock.
        if (where.calendarId) for (const c of initial) if (isOpen(c)) out.changed.add(c.id);
        const result = await finish(tx, ticket, initial, out, at, 'SLA policy or calendar changed');
        await writeRecords(tx, ticket, actor, [result], at);
      },
      { timeout: 20_000 },
    );
  }
  return clocks.length;
}

// ── reading ──────────────────────────────────────────────────────────────────

export interface TargetView {
  clock: ClockWithPolicy;
  elapsedMs: number;
  remainingMs: number;
  percentUsed: number;
  now: Date;
}

/** A clock as of `now`: the cached elapsed time plus what the calendar counted since. */
export function viewClock(clock: ClockWithPolicy, now: Date): TargetView {
  const cal = calendarSpec(clock.policy.calendar);
  const since = clock.running && now > clock.elapsedAt ? businessMsBetween(cal, clock.elapsedAt, now) : 0;
  const elapsedMs = clock.elapsedSeconds * 1000 + since;
  const targetMs = clock.targetSeconds * 1000;
  return {
    clock,
    elapsedMs,
    remainingMs: targetMs - elapsedMs,
    percentUsed: targetMs > 0 ? Math.round((elapsedMs / targetMs) * 1000) / 10 : 100,
    now,
  };
}

export async function ticketClocks(prisma: PrismaClient | Tx, ticketId: string): Promise<ClockWithPolicy[]> {
  return prisma.slaClock.findMany({
    where: { ticketId },
    include: { policy: { include: { calendar: true } } },
  });
}
