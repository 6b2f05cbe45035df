/**
 * Business-calendar arithmetic: pure functions of a calendar spec and instants, no database, no process time zone.
 * Every local date and time is read through Intl in the calendar's own IANA zone, so results are the same whatever
 * TZ the process runs in, and daylight-saving days have the length they really have (23 or 25 hours).
 */

export interface CalendarHours {
  /** ISO weekday: Monday = 1 … Sunday = 7. */
  day: number;
  /** Local "HH:MM", 00:00–23:59. */
  start: string;
  /** Local "HH:MM" after `start`; "24:00" means midnight at the end of the day. */
  end: string;
}

export interface CalendarSpec {
  /** IANA zone, e.g. Europe/Rome. */
  timeZone: string;
  hours: CalendarHours[];
  /** Local dates the calendar is closed: "2026-12-25" (that date) or "12-25" (every year). */
  holidays: string[];
  /** Open all the time: hours and holidays are ignored and business time is elapsed time. */
  is24x7: boolean;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface ClosedPeriod {
  start: Date;
  end: Date;
  /** Local dates inside the period that were holidays (a weekend or a night has none). */
  holidays: string[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A calendar with no opening for this many consecutive days is treated as never open (it would loop forever). */
const MAX_CLOSED_DAYS = 800;

export class CalendarNeverOpensError extends Error {
  override name = 'CalendarNeverOpensError';
}

// ── time zone primitives ─────────────────────────────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

export function wallTime(timeZone: string, ms: number): WallTime {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Offset of the zone from UTC at an instant, in ms (Rome in winter: +3 600 000). */
function offsetAt(timeZone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const w = wallTime(timeZone, whole);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

export function localDateOf(timeZone: string, at: Date | number): LocalDate {
  const w = wallTime(timeZone, typeof at === 'number' ? at : at.getTime());
  return { year: w.year, month: w.month, day: w.day };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function isoWeekday(date: LocalDate): number {
  return ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;
}

export function formatLocalDate(date: LocalDate): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(date.year, 4)}-${p(date.month)}-${p(date.day)}`;
}

/**
 * The instant the zone's wall clock shows `minuteOfDay` (0–1440) on `date`. A wall time skipped by a spring-forward
 * change maps to the moment of the change (the first instant after it); a repeated one (fall back) to its first
 * occurrence.
 */
export function zonedInstant(timeZone: string, date: LocalDate, minuteOfDay: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const earlyOk = offsetAt(timeZone, early) === before;
  const lateOk = offsetAt(timeZone, late) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (earlyOk) return early;
  if (lateOk) return late;
  // In a gap: find the transition between `late` (still the old offset) and `early` (already the new one).
  let lo = Math.min(early, late);
  let hi = Math.max(early, late);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(timeZone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

// ── calendar spec ────────────────────────────────────────────────────────────

export function parseClock(value: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

const HOLIDAY = /^(\d{4}-)?(\d{2})-(\d{2})$/;

/** Problems with a calendar spec, as `[path, message]` pairs (empty when it is usable). */
export function calendarProblems(spec: CalendarSpec): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (!isValidTimeZone(spec.timeZone))
    issues.push({ path: ['timeZone'], message: 'Use an IANA zone such as Europe/Rome' });
  spec.hours.forEach((h, i) => {
    if (!Number.isInteger(h.day) || h.day < 1 || h.day > 7)
      issues.push({ path: ['hours', String(i), 'day'], message: 'Use 1 (Monday) to 7 (Sunday)' });
    const s = parseClock(h.start);
    const e = parseClock(h.end);
    if (s === null || s === 1440) issues.push({ path: ['hours', String(i), 'start'], message: 'Use HH:MM' });
    if (e === null) issues.push({ path: ['hours', String(i), 'end'], message: 'Use HH:MM (24:00 for midnight)' });
    if (s !== null && e !== null && e <= s)
      issues.push({ path: ['hours', String(i), 'end'], message: 'End after the start' });
  });
  spec.holidays.forEach((d, i) => {
    const m = HOLIDAY.exec(d);
    const month = Number(m?.[2]);
    const day = Number(m?.[3]);
    if (!m || month < 1 || month > 12 || day < 1 || day > 31)
      issues.push({ path: ['holidays', String(i)], message: 'Use YYYY-MM-DD, or MM-DD for every year' });
  });
  if (!spec.is24x7 && spec.hours.length === 0)
    issues.push({ path: ['hours'], message: 'Give working hours, or make the calendar 24×7' });
  return issues;
}

interface Compiled {
  timeZone: string;
  is24x7: boolean;
  /** Index = ISO weekday; sorted, merged [startMinute, endMinute) ranges. */
  byDay: [number, number][][];
  holidays: Set<string>;
}

const compiledCache = new WeakMap<CalendarSpec, Compiled>();

function compile(spec: CalendarSpec): Compiled {
  const cached = compiledCache.get(spec);
  if (cached) return cached;
  const byDay: [number, number][][] = Array.from({ length: 8 }, () => []);
  for (const h of spec.hours) {
    const s = parseClock(h.start);
    const e = parseClock(h.end);
    if (s === null || e === null || e <= s || !(h.day >= 1 && h.day <= 7)) {
      throw new Error(`invalid calendar hours ${JSON.stringify(h)}`);
    }
    byDay[h.day]!.push([s, e]);
  }
  for (const ranges of byDay) {
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = ranges.length - 1; i > 0; i -= 1) {
      const prev = ranges[i - 1]!;
      const cur = ranges[i]!;
      if (cur[0] <= prev[1]) {
        prev[1] = Math.max(prev[1], cur[1]);
        ranges.splice(i, 1);
      }
    }
  }
  const compiled = { timeZone: spec.timeZone, is24x7: spec.is24x7, byDay, holidays: new Set(spec.holidays) };
  compiledCache.set(spec, compiled);
  return compiled;
}

function isHoliday(cal: Compiled, date: LocalDate): boolean {
  const iso = formatLocalDate(date);
  return cal.holidays.has(iso) || cal.holidays.has(iso.slice(5));
}

export function isHolidayOn(spec: CalendarSpec, date: LocalDate): boolean {
  return !spec.is24x7 && isHoliday(compile(spec), date);
}

function dayIntervals(cal: Compiled, date: LocalDate): [number, number][] {
  if (isHoliday(cal, date)) return [];
  const out: [number, number][] = [];
  for (const [s, e] of cal.byDay[isoWeekday(date)]!) {
    const start = zonedInstant(cal.timeZone, date, s);
    const end = zonedInstant(cal.timeZone, date, e);
    if (end > start) out.push([start, end]);
  }
  return out;
}

/**
 * Open intervals [start, end) in ascending order, clipped to begin at `fromMs`; stops once intervals would begin
 * at or after `untilMs`. Throws when the calendar never opens.
 */
function* openIntervals(cal: Compiled, fromMs: number, untilMs = Number.POSITIVE_INFINITY) {
  if (cal.is24x7) {
    yield [fromMs, Number.POSITIVE_INFINITY] as [number, number];
    return;
  }
  let date = addDays(localDateOf(cal.timeZone, fromMs), -1);
  let closedDays = 0;
  while (zonedInstant(cal.timeZone, date, 0) < untilMs) {
    const intervals = dayIntervals(cal, date);
    for (const [s, e] of intervals) {
      if (e <= fromMs) continue;
      if (s >= untilMs) return;
      yield [Math.max(s, fromMs), e] as [number, number];
    }
    closedDays = intervals.length ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS)
      throw new CalendarNeverOpensError(`the calendar is closed for over ${MAX_CLOSED_DAYS} days`);
    date = addDays(date, 1);
  }
}

// ── the API ──────────────────────────────────────────────────────────────────

export function isWithinHours(spec: CalendarSpec, at: Date): boolean {
  const cal = compile(spec);
  if (cal.is24x7) return true;
  const ms = at.getTime();
  const today = localDateOf(cal.timeZone, ms);
  for (const date of [addDays(today, -1), today]) {
    for (const [s, e] of dayIntervals(cal, date)) if (s <= ms && ms < e) return true;
  }
  return false;
}

/** `at` itself when the calendar is open then, otherwise the start of the next opening. */
export function nextOpening(spec: CalendarSpec, at: Date): Date {
  for (const [s] of openIntervals(compile(spec), at.getTime())) return new Date(s);
  throw new CalendarNeverOpensError('the calendar never opens');
}

/** The instant by which `ms` of business time has elapsed since `start` (an exact end lands on a closing time). */
export function addBusinessMs(spec: CalendarSpec, start: Date, ms: number): Date {
  const from = start.getTime();
  if (!(ms > 0)) return new Date(from);
  let remaining = ms;
  for (const [s, e] of openIntervals(compile(spec), from)) {
    if (remaining <= e - s) return new Date(s + remaining);
    remaining -= e - s;
  }
  throw new CalendarNeverOpensError('the calendar never opens');
}

/** Business time between two instants, in ms; 0 when `to` is not after `from`. */
export function businessMsBetween(spec: CalendarSpec, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (const [s, e] of openIntervals(compile(spec), a, b)) total += Math.min(e, b) - s;
  return total;
}

export function addBusinessMinutes(spec: CalendarSpec, start: Date, minutes: number): Date {
  return addBusinessMs(spec, start, minutes * MINUTE_MS);
}

export function businessMinutesBetween(spec: CalendarSpec, from: Date, to: Date): number {
  return businessMsBetween(spec, from, to) / MINUTE_MS;
}

/** The closed stretches (nights, weekends, holidays) inside [from, to), for explanations. */
export function closedPeriods(spec: CalendarSpec, from: Date, to: Date): ClosedPeriod[] {
  const cal = compile(spec);
  const a = from.getTime();
  const b = to.getTime();
  if (cal.is24x7 || b <= a) return [];
  const out: ClosedPeriod[] = [];
  let cursor = a;
  const push = (s: number, e: number) => {
    if (e <= s) return;
    const holidays: string[] = [];
    for (let d = localDateOf(cal.timeZone, s); zonedInstant(cal.timeZone, d, 0) < e; d = addDays(d, 1)) {
      if (isHoliday(cal, d) && cal.byDay[isoWeekday(d)]!.length > 0) holidays.push(formatLocalDate(d));
    }
    out.push({ start: new Date(s), end: new Date(e), holidays });
  };
  for (const [s, e] of openIntervals(cal, a, b)) {
    push(cursor, Math.min(s, b));
    cursor = Math.max(cursor, e);
    if (cursor >= b) break;
  }
  push(cursor, b);
  return out;
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Tue 08 Dec 14:30 CET": how a due time reads to people in the calendar's zone. */
export function formatInZone(timeZone: string, at: Date): string {
  let f = labelFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: '2-digit',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    labelFormatters.set(timeZone, f);
  }
  return f.format(at).replace(',', '');
}
