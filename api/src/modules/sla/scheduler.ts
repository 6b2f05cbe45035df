/**
 * The timer loop. Due timers live in SlaTimer; every instance polls, claims one due timer at a time with
 * `FOR UPDATE SKIP LOCKED` inside the transaction that fires it, and marks it fired in that same transaction, so a
 * timer fires exactly once however many instances run (and not at all if its transaction rolls back: it is retried).
 * On the embedded database the single process does the same with one connection.
 */
import { appClock, type Clock } from '../../clock.js';
import type { Tx } from '../../db/tx.js';
import { ConflictError } from '../../errors.js';
import type { PrismaClient, SlaTimer, Ticket } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { AuditChange } from '../audit/audit.service.js';
import {
  escalateOnThreshold,
  escalateUnacknowledged,
  ruleMatches,
  systemActor,
  type TicketEvent,
  writeRecords,
} from '../escalation/escalation.service.js';
import { type Actor, mutateTicket } from '../ticket/mutate.js';
import { isOpen } from './sla.service.js';
import { peekTimerHint, takeTimerHint } from './timers.js';

const KIND_LABEL = { FIRST_RESPONSE: 'first response', NEXT_UPDATE: 'next update', RESOLUTION: 'resolution' } as const;

class Skip extends Error {}
class NeedsTicketChange extends Error {}
/** A lower threshold of the same clock is still pending (held by another instance): fire that one first. */
class Defer extends Error {}

export type FireOutcome = 'FIRED' | 'STALE' | 'SKIPPED';

interface Effects {
  outcome: 'FIRED' | 'STALE';
  audit: AuditChange[];
  events: TicketEvent[];
}

async function claim(tx: Tx, timerId: string): Promise<SlaTimer | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "SlaTimer" WHERE id = ${timerId}::uuid AND "firedAt" IS NULL FOR UPDATE SKIP LOCKED`;
  if (rows.length === 0) return null;
  return tx.slaTimer.findUnique({ where: { id: timerId } });
}

/** What a timer does; with `mayReassign` false it refuses (NeedsTicketChange) when a rule would move the ticket. */
async function effects(tx: Tx, timer: SlaTimer, ticket: Ticket, actor: Actor, at: Date, mayReassign: boolean) {
  const stale: Effects = { outcome: 'STALE', audit: [], events: [] };
  if (timer.kind === 'THRESHOLD') {
    const clock = timer.clockId
      ? await tx.slaClock.findUnique({ where: { id: timer.clockId }, include: { policy: true } })
      : null;
    const percent = timer.percent ?? 100;
    if (!clock || clock.generation !== timer.generation || !isOpen(clock) || percent <= clock.firedPercent)
      return stale;
    const lower = await tx.slaTimer.count({
      where: {
        clockId: clock.id,
        generation: clock.generation,
        firedAt: null,
        percent: { gt: clock.firedPercent, lt: percent },
      },
    });
    if (lower > 0) throw new Defer();
    if (!mayReassign && (await reassigningRules(tx, ticket, clock.kind, clock.firedPercent, percent))) {
      throw new NeedsTicketChange();
    }
    const breach = percent >= 100;
    const breachedAt = clock.dueAt ?? timer.dueAt;
    await tx.slaClock.update({
      where: { id: clock.id },
      data: breach
        ? { firedPercent: percent, state: 'BREACHED', breachedAt, breachCount: { increment: 1 } }
        : { firedPercent: percent },
    });
    const fact = {
      clockId: clock.id,
      kind: clock.kind,
      cycle: clock.cycle,
      percent,
      dueAt: clock.dueAt?.toISOString() ?? null,
      policyId: clock.policyId,
      policyVersion: clock.policyVersion,
    };
    const label = `${KIND_LABEL[clock.kind]} target (${clock.policy.name} v${clock.policyVersion})`;
    const own: Effects = {
      outcome: 'FIRED',
      audit: [
        breach
          ? { action: 'sla_breached', field: 'sla', newValue: fact, reason: `${label} breached` }
          : { action: 'sla_warning', field: 'sla', newValue: fact, reason: `${percent} % of the ${label} used` },
      ],
      events: [
        breach
          ? { type: 'sla.breached', internal: false, payload: fact }
          : { type: 'sla.warning', internal: true, payload: fact },
      ],
    };
    const escalations = await escalateOnThreshold(tx, ticket, clock, clock.firedPercent, percent, actor, at);
    return {
      outcome: 'FIRED' as const,
      audit: [...own.audit, ...escalations.flatMap((e) => e.audit)],
      events: [...own.events, ...escalations.flatMap((e) => e.events)],
    };
  }
  const escalation = timer.escalationId ? await tx.escalation.findUnique({ where: { id: timer.escalationId } }) : null;
  if (!escalation || escalation.acknowledgedAt || escalation.resolvedAt || escalation.escalatedAt) return stale;
  if (!mayReassign) {
    const rules = await tx.escalationRule.findMany({
      where: { trigger: 'UNACKNOWLEDGED', active: true, reassign: true },
    });
    if (rules.some((r) => ruleMatches(r, ticket))) throw new NeedsTicketChange();
  }
  const records = await escalateUnacknowledged(tx, ticket, escalation, actor, at);
  return {
    outcome: 'FIRED' as const,
    audit: records.flatMap((r) => r.audit),
    events: records.flatMap((r) => r.events),
  };
}

async function reassigningRules(tx: Tx, ticket: Ticket, kind: string, after: number, upTo: number) {
  const rules = await tx.escalationRule.findMany({
    where: { trigger: 'SLA_THRESHOLD', active: true, reassign: true, targetKind: kind as never },
  });
  return rules.some((r) => ruleMatches(r, ticket) && r.percent !== null && r.percent > after && r.percent <= upTo);
}

async function markFired(tx: Tx, timerId: string, outcome: string, at: Date) {
  await tx.slaTimer.update({ where: { id: timerId }, data: { firedAt: at, outcome } });
}

/**
 * Fires one timer. Warnings, breaches and notifications change no ticket field: they lock the ticket row (the
 * audit chain needs it) and write in a plain transaction. A functional escalation moves the ticket, so that timer
 * fires through mutateTicket with the system actor: version bump, ticket hooks, audit and events in one go.
 */
export async function fireTimer(prisma: PrismaClient, timerId: string, clock: Clock = appClock): Promise<FireOutcome> {
  const peek = await prisma.slaTimer.findUnique({ where: { id: timerId }, select: { ticketId: true, firedAt: true } });
  if (!peek || peek.firedAt) return 'SKIPPED';
  const ticketRow = await prisma.ticket.findUnique({ where: { id: peek.ticketId }, select: { organizationId: true } });
  if (!ticketRow) return 'SKIPPED';
  const actor = systemActor(ticketRow.organizationId);
  try {
    return await prisma.$transaction(
      async (tx) => {
        const at = clock.now();
        const timer = await claim(tx, timerId);
        if (!timer) return 'SKIPPED' as const;
        await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${timer.ticketId}::uuid FOR UPDATE`;
        const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: timer.ticketId } });
        const result = await effects(tx, timer, ticket, actor, at, false);
        await markFired(tx, timer.id, result.outcome, at);
        await writeRecords(tx, ticket, actor, [result], at);
        return result.outcome;
      },
      { timeout: 20_000 },
    );
  } catch (err) {
    if (!(err instanceof NeedsTicketChange)) throw err;
  }
  try {
    const { result } = await mutateTicket<FireOutcome>(
      prisma,
      actor,
      peek.ticketId,
      null,
      async (locked, tx, at) => {
        const timer = await claim(tx, timerId);
        if (!timer) throw new Skip();
        await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${timer.ticketId}::uuid FOR UPDATE`;
        const current = await tx.ticket.findUniqueOrThrow({ where: { id: timer.ticketId } });
        if (current.version !== locked.version) throw new ConflictError('ticket changed while firing a timer');
        const out = await effects(tx, timer, current, actor, at, true);
        await markFired(tx, timer.id, out.outcome, at);
        return { audit: out.audit, events: out.events, result: out.outcome };
      },
      clock,
    );
    return result ?? 'FIRED';
  } catch (err) {
    if (err instanceof Skip) return 'SKIPPED';
    throw err;
  }
}

export interface RunResult {
  fired: number;
  stale: number;
  failed: number;
}

/** Fires every timer due by now (at most `limit`), oldest first. */
export async function runDueTimers(
  prisma: PrismaClient,
  options: { clock?: Clock; limit?: number; log?: Logger } = {},
): Promise<RunResult> {
  const clock = options.clock ?? appClock;
  const result: RunResult = { fired: 0, stale: 0, failed: 0 };
  const limit = options.limit ?? 500;
  const failedIds = new Set<string>();
  while (result.fired + result.stale + result.failed < limit) {
    const now = clock.now();
    const due = await prisma.slaTimer.findMany({
      where: {
        firedAt: null,
        dueAt: { lte: now },
        OR: [{ retryAt: null }, { retryAt: { lte: now } }],
        id: { notIn: [...failedIds] },
      },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: 50,
      select: { id: true },
    });
    if (due.length === 0) break;
    let progressed = false;
    for (const { id } of due) {
      try {
        const outcome = await fireTimer(prisma, id, clock);
        if (outcome === 'FIRED') result.fired += 1;
        if (outcome === 'STALE') result.stale += 1;
        if (outcome !== 'SKIPPED') progressed = true;
      } catch (err) {
        failedIds.add(id);
        if (err instanceof Defer) {
          await prisma.slaTimer.updateMany({
            where: { id, firedAt: null },
            data: { retryAt: new Date(clock.now().getTime() + 100) },
          });
          continue;
        }
        result.failed += 1;
        await recordFailure(prisma, id, err, clock.now());
        options.log?.warn({ err, timerId: id }, 'SLA timer failed; will retry');
      }
    }
    // Everything left is held by another instance (SKIP LOCKED): let it finish.
    if (!progressed) break;
  }
  return result;
}

async function recordFailure(prisma: PrismaClient, id: string, err: unknown, now: Date) {
  try {
    const timer = await prisma.slaTimer.update({
      where: { id },
      data: { attempts: { increment: 1 }, lastError: String((err as Error)?.message ?? err).slice(0, 1000) },
    });
    const conflict = err instanceof ConflictError;
    const delay = conflict ? 200 : Math.min(300_000, 1000 * 2 ** Math.min(timer.attempts, 12));
    await prisma.slaTimer.update({ where: { id }, data: { retryAt: new Date(now.getTime() + delay) } });
  } catch {
    // The timer row may be gone (ticket deleted); nothing to retry.
  }
}

export interface SlaScheduler {
  /** Fires what is due now; concurrent calls share one run. */
  runOnce(): Promise<RunResult>;
  stop(): Promise<void>;
}

/** Reads SLA_SCHEDULER_INTERVAL_MS (default 1000; 0 turns the loop off, runOnce still works). */
export function schedulerIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SLA_SCHEDULER_INTERVAL_MS;
  if (raw === undefined || raw === '') return 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 3_600_000)
    throw new Error(`SLA_SCHEDULER_INTERVAL_MS must be an integer between 0 and 3600000, got "${raw}"`);
  return value;
}

let current: SlaScheduler | null = null;

/** The running app's scheduler (testClockAdvance runs it once after shifting the clock). */
export function activeScheduler(): SlaScheduler | null {
  return current;
}

/** On the embedded database, with nothing due, the loop still looks at the table this often (a safety net). */
const EMBEDDED_IDLE_MS = 30_000;

/**
 * Starts the loop: one run at once (timers that came due while no instance was running fire now, once), then one
 * every interval. With `shared: false` (the embedded database: this process writes every timer) an idle loop skips
 * the database until the earliest known timer is due or a new one is scheduled here, and re-checks every 30 s.
 */
export function startSlaScheduler(
  prisma: PrismaClient,
  options: { log?: Logger; clock?: Clock; intervalMs?: number; shared?: boolean } = {},
): SlaScheduler {
  const intervalMs = options.intervalMs ?? schedulerIntervalMs();
  const clock = options.clock ?? appClock;
  const shared = options.shared ?? true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<RunResult> | null = null;
  let ticking: Promise<void> | null = null;
  let nextCheck = 0;

  const runOnce = () => {
    inFlight ??= runDueTimers(prisma, { clock, log: options.log })
      .then((r) => {
        if (r.fired || r.failed) options.log?.info({ ...r }, 'sla timers');
        return r;
      })
      .catch((err) => {
        options.log?.error({ err }, 'SLA scheduler run failed');
        return { fired: 0, stale: 0, failed: 1 };
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  const tick = async () => {
    const now = clock.now().getTime();
    if (shared || now >= Math.min(nextCheck, peekTimerHint())) {
      takeTimerHint();
      const result = await runOnce();
      if (shared || result.failed > 0) {
        nextCheck = 0;
      } else {
        const next = await prisma.slaTimer.findFirst({
          where: { firedAt: null },
          orderBy: { dueAt: 'asc' },
          select: { dueAt: true },
        });
        nextCheck = Math.min(now + EMBEDDED_IDLE_MS, next ? next.dueAt.getTime() : Number.POSITIVE_INFINITY);
      }
    }
  };

  const loop = async () => {
    if (stopped) return;
    ticking = tick().catch((err) => options.log?.error({ err }, 'SLA scheduler tick failed'));
    await ticking;
    ticking = null;
    if (!stopped && intervalMs > 0) {
      timer = setTimeout(loop, intervalMs);
      timer.unref();
    }
  };
  void loop();
  options.log?.info({ intervalMs, shared }, 'sla scheduler started');

  const scheduler: SlaScheduler = {
    runOnce,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
      await inFlight;
      if (current === scheduler) current = null;
    },
  };
  current = scheduler;
  return scheduler;
}
