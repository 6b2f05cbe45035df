import { addDays, isValidTimeZone, type LocalDate, parseClock, zonedInstant } from '../calendar/calendar.js';

/** A group's rotation as data: members take turns of `periodDays`, handing over at `handoffTime` in `timeZone`. */
export interface RotaSpec {
  timeZone: string;
  /** Local date of the first handover, "YYYY-MM-DD": the first member's first turn starts then. */
  startDate: string;
  /** Local "HH:MM" of every handover. */
  handoffTime: string;
  periodDays: number;
  /** In turn order. */
  memberIds: string[];
  overrides: RotaOverride[];
}

export interface RotaOverride {
  id?: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  /** Where overrides overlap, the one created last wins. */
  createdAt: Date;
}

export interface OnCallShift {
  userId: string;
  source: 'ROTA' | 'OVERRIDE';
  since: Date;
  until: Date;
  /** "turn 3 of the weekly rota" / "override: covering for a sick colleague". */
  detail: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: string): LocalDate | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return check.getUTCMonth() + 1 === date.month && check.getUTCDate() === date.day ? date : null;
}

/** Problems with a rota, as field issues (empty when it is usable). */
export function rotaProblems(rota: Omit<RotaSpec, 'overrides'>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (!isValidTimeZone(rota.timeZone))
    issues.push({ path: ['timeZone'], message: 'Use an IANA zone such as Europe/Rome' });
  if (!parseDate(rota.startDate)) issues.push({ path: ['startDate'], message: 'Use YYYY-MM-DD' });
  const handoff = parseClock(rota.handoffTime);
  if (handoff === null || handoff === 1440) issues.push({ path: ['handoffTime'], message: 'Use HH:MM' });
  if (!Number.isInteger(rota.periodDays) || rota.periodDays < 1 || rota.periodDays > 28)
    issues.push({ path: ['periodDays'], message: 'Use 1 to 28 days' });
  if (rota.memberIds.length === 0) issues.push({ path: ['memberIds'], message: 'Name at least one person' });
  if (new Set(rota.memberIds).size !== rota.memberIds.length)
    issues.push({ path: ['memberIds'], message: 'Name each person once' });
  return issues;
}

/**
 * Who is on call at `at`: an override covering that instant (the latest created), otherwise the member whose turn it
 * is. Turns hand over at the local handoff time, so a turn across a daylight-saving change is an hour shorter or
 * longer in elapsed time, as the people on the rota experience it.
 */
export function onCallAt(rota: RotaSpec, at: Date): OnCallShift | null {
  const ms = at.getTime();
  const override = rota.overrides
    .filter((o) => o.startsAt.getTime() <= ms && ms < o.endsAt.getTime())
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  if (override) {
    return {
      userId: override.userId,
      source: 'OVERRIDE',
      since: override.startsAt,
      until: override.endsAt,
      detail: `override: ${override.reason}`,
    };
  }
  const start = parseDate(rota.startDate);
  const handoff = parseClock(rota.handoffTime);
  const n = rota.memberIds.length;
  if (!start || handoff === null || n === 0 || rota.periodDays < 1) return null;
  const turnStart = (k: number) => zonedInstant(rota.timeZone, addDays(start, k * rota.periodDays), handoff);
  const period = rota.periodDays * 86_400_000;
  let k = Math.floor((ms - turnStart(0)) / period);
  while (turnStart(k) > ms) k -= 1;
  while (turnStart(k + 1) <= ms) k += 1;
  const index = ((k % n) + n) % n;
  return {
    userId: rota.memberIds[index]!,
    source: 'ROTA',
    since: new Date(turnStart(k)),
    until: new Date(turnStart(k + 1)),
    detail: `rota turn ${index + 1} of ${n}`,
  };
}
