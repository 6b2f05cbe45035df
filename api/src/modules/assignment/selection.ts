/**
 * Agent selection inside a resolver group, as a pure function of facts and an explicit `now`:
 * eligibility (active, takes automatic assignments, skills, not out of office, under capacity) → hours (outside the
 * group's operational hours P1/P2 go to the person on call, the rest wait) → mode (manual queue, round robin, load
 * balanced: lowest priority-weighted open load, ties to the longest idle). Every outcome carries its reason.
 */
import type { AssignmentMode, Priority, TicketStatus } from '../../generated/prisma/enums.js';
import { type CalendarSpec, formatInZone, isWithinHours, nextOpening } from '../calendar/calendar.js';
import { onCallAt, type RotaSpec } from './oncall.js';

/** P1 counts five times a P5: open load is the sum of these over an agent's open tickets. */
export const PRIORITY_WEIGHT: Record<Priority, number> = { P1: 5, P2: 4, P3: 3, P4: 2, P5: 1 };
/** A ticket waiting on the customer or a vendor needs less of the agent's attention: it counts half. */
export const WAITING_FACTOR = 0.5;
const WAITING: readonly TicketStatus[] = ['PENDING_CUSTOMER', 'PENDING_VENDOR'];
/** Outside operational hours these go to the person on call; the rest wait for the next shift. */
export const ON_CALL_PRIORITIES: readonly Priority[] = ['P1', 'P2'];

export function ticketWeight(priority: Priority, status: TicketStatus): number {
  return PRIORITY_WEIGHT[priority] * (WAITING.includes(status) ? WAITING_FACTOR : 1);
}

/** Open load per agent from (assignee, priority, status, count) rows. */
export function weightedLoads(
  rows: { assigneeId: string | null; priority: Priority; status: TicketStatus; count: number }[],
): Map<string, { load: number; openTickets: number }> {
  const out = new Map<string, { load: number; openTickets: number }>();
  for (const row of rows) {
    if (!row.assigneeId) continue;
    const cur = out.get(row.assigneeId) ?? { load: 0, openTickets: 0 };
    cur.load += ticketWeight(row.priority, row.status) * row.count;
    cur.openTickets += row.count;
    out.set(row.assigneeId, cur);
  }
  return out;
}

export interface Absence {
  startsAt: Date;
  endsAt: Date;
  reason: string;
}

export interface PersonFacts {
  userId: string;
  name: string;
  /** The account is active. */
  active: boolean;
  absences: Absence[];
}

export interface MemberFacts extends PersonFacts {
  /** Takes automatic assignments. */
  autoAssign: boolean;
  skills: string[];
  /** The member's own cap on open tickets; null falls back to the group's. */
  capacity: number | null;
  load: number;
  openTickets: number;
  lastAssignedAt: Date | null;
  joinedAt: Date;
}

export interface GroupFacts {
  id: string;
  name: string;
  mode: AssignmentMode;
  agentCapacity: number | null;
  roundRobinLastUserId: string | null;
  /** Operational hours; null = always on shift. */
  calendar: CalendarSpec | null;
  rota: RotaSpec | null;
}

export interface SelectionInput {
  group: GroupFacts;
  members: MemberFacts[];
  /** People on the rota (or covering it) who are not members of the group. */
  rotaPeople?: PersonFacts[];
  ticket: { priority: Priority; requiredSkills: string[] };
  now: Date;
  /** Someone asked for a pick (ticketAutoAssign): a MANUAL group gets a load-balanced choice instead of the queue. */
  onRequest?: boolean;
}

export interface CandidateEvaluation {
  userId: string;
  name: string;
  eligible: boolean;
  excluded: string[];
  load: number;
  openTickets: number;
  lastAssignedAt: string | null;
}

export interface Selection {
  outcome: 'ASSIGNED' | 'ON_CALL' | 'QUEUED';
  assigneeId: string | null;
  reason: string;
  onShift: boolean;
  candidates: CandidateEvaluation[];
}

const EPSILON = 1e-9;

export function formatLoad(load: number): string {
  return load.toFixed(1);
}

function formatInstant(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function normalizeSkill(skill: string): string {
  return skill.trim().toLowerCase();
}

function absenceAt(person: PersonFacts, now: Date): Absence | undefined {
  const ms = now.getTime();
  return person.absences.find((a) => a.startsAt.getTime() <= ms && ms < a.endsAt.getTime());
}

function absenceText(a: Absence): string {
  return `out of office until ${formatInstant(a.endsAt)}${a.reason ? ` (${a.reason})` : ''}`;
}

export function evaluateMember(
  member: MemberFacts,
  group: GroupFacts,
  requiredSkills: string[],
  now: Date,
): CandidateEvaluation {
  const excluded: string[] = [];
  if (!member.active) excluded.push('account inactive');
  if (!member.autoAssign) excluded.push('takes no automatic assignments');
  const has = new Set(member.skills.map(normalizeSkill));
  const missing = requiredSkills.filter((s) => !has.has(s));
  if (missing.length) excluded.push(`lacks ${missing.join('+')}`);
  const away = absenceAt(member, now);
  if (away) excluded.push(absenceText(away));
  const cap = member.capacity ?? group.agentCapacity;
  if (cap !== null && member.openTickets >= cap) excluded.push(`at capacity (${member.openTickets}/${cap} open)`);
  return {
    userId: member.userId,
    name: member.name,
    eligible: excluded.length === 0,
    excluded,
    load: member.load,
    openTickets: member.openTickets,
    lastAssignedAt: member.lastAssignedAt?.toISOString() ?? null,
  };
}

/** Lowest load first; equal loads go to the longest idle (never assigned before anyone), then by name. */
export function compareCandidates(a: CandidateEvaluation, b: CandidateEvaluation): number {
  if (Math.abs(a.load - b.load) > EPSILON) return a.load - b.load;
  const ai = a.lastAssignedAt ? Date.parse(a.lastAssignedAt) : Number.NEGATIVE_INFINITY;
  const bi = b.lastAssignedAt ? Date.parse(b.lastAssignedAt) : Number.NEGATIVE_INFINITY;
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

function idleText(c: CandidateEvaluation): string {
  return c.lastAssignedAt ? `last assigned ${formatInstant(new Date(c.lastAssignedAt))}` : 'never assigned';
}

function skillsText(required: string[]): string {
  return required.length ? `skills ${required.join('+')}` : 'no skills required';
}

function notEligibleText(candidates: CandidateEvaluation[]): string {
  return candidates
    .filter((c) => !c.eligible)
    .map((c) => `${c.name} ${c.excluded.join(', ')}`)
    .join('; ');
}

function hoursText(group: GroupFacts, now: Date): string {
  if (!group.calendar) return '';
  try {
    return ` (opens ${formatInZone(group.calendar.timeZone, nextOpening(group.calendar, now))})`;
  } catch {
    return ' (the calendar never opens)';
  }
}

export function isOnShift(group: GroupFacts, now: Date): boolean {
  return !group.calendar || isWithinHours(group.calendar, now);
}

export function selectAgent(input: SelectionInput): Selection {
  const { group, members, ticket, now } = input;
  const required = [...new Set(ticket.requiredSkills.map(normalizeSkill))].sort();
  const candidates = members.map((m) => evaluateMember(m, group, required, now));
  const onShift = isOnShift(group, now);
  const queued = (reason: string): Selection => ({
    outcome: 'QUEUED',
    assigneeId: null,
    reason: `queued in ${group.name}: ${reason}`,
    onShift,
    candidates,
  });

  if (!onShift) {
    const closed = `outside operational hours${hoursText(group, now)}`;
    if (!ON_CALL_PRIORITIES.includes(ticket.priority))
      return queued(`${closed}; ${ticket.priority} waits for the shift`);
    const shift = group.rota ? onCallAt(group.rota, now) : null;
    if (!shift) return queued(`${ticket.priority} ${closed} and the group has no on-call rota`);
    const person =
      members.find((m) => m.userId === shift.userId) ?? input.rotaPeople?.find((p) => p.userId === shift.userId);
    const name = person?.name ?? shift.userId;
    if (!person?.active) return queued(`${ticket.priority} ${closed}; on-call ${name} is not an active user`);
    const away = absenceAt(person, now);
    if (away) return queued(`${ticket.priority} ${closed}; on-call ${name} is ${absenceText(away)}`);
    return {
      outcome: 'ON_CALL',
      assigneeId: person.userId,
      reason: `assigned to ${name}: on call for ${group.name} until ${formatInstant(shift.until)} (${shift.detail}), ${ticket.priority} ${closed}`,
      onShift,
      candidates,
    };
  }

  if (group.mode === 'MANUAL' && !input.onRequest) return queued('the group dispatches by hand (MANUAL mode)');
  if (members.length === 0) return queued('the group has no members');
  const eligible = candidates.filter((c) => c.eligible);
  if (eligible.length === 0) return queued(`no eligible member (${notEligibleText(candidates)})`);
  const others = notEligibleText(candidates);
  const tail = `, on shift${others ? `; not eligible: ${others}` : ''}`;

  if (group.mode === 'ROUND_ROBIN') {
    const order = [...members].sort(
      (a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.userId < b.userId ? -1 : 1),
    );
    const last = order.findIndex((m) => m.userId === group.roundRobinLastUserId);
    let winner: CandidateEvaluation | undefined;
    for (let i = 1; i <= order.length && !winner; i += 1) {
      const next = order[(last + i + order.length) % order.length]!;
      winner = eligible.find((c) => c.userId === next.userId);
    }
    const previous = last >= 0 ? order[last]!.name : null;
    return {
      outcome: 'ASSIGNED',
      assigneeId: winner!.userId,
      reason: `assigned to ${winner!.name}: round robin${previous ? ` after ${previous}` : ''}, ${skillsText(required)}, load ${formatLoad(winner!.load)}${tail}`,
      onShift,
      candidates,
    };
  }

  const ranked = [...eligible].sort(compareCandidates);
  const winner = ranked[0]!;
  const runnerUp = ranked[1];
  let loadPart: string;
  if (!runnerUp) loadPart = `load ${formatLoad(winner.load)}, the only eligible member`;
  else if (Math.abs(runnerUp.load - winner.load) <= EPSILON)
    loadPart = `load ${formatLoad(winner.load)} tied with ${runnerUp.name}, longest idle (${idleText(winner)} vs ${idleText(runnerUp)})`;
  else loadPart = `load ${formatLoad(winner.load)} vs ${formatLoad(runnerUp.load)} for ${runnerUp.name}`;
  const manualNote = group.mode === 'MANUAL' ? ' (picked on request in a MANUAL group)' : '';
  return {
    outcome: 'ASSIGNED',
    assigneeId: winner.userId,
    reason: `assigned to ${winner.name}${manualNote}: ${skillsText(required)}, ${loadPart}${tail}`,
    onShift,
    candidates,
  };
}
