import type { Tx } from '../../db/tx.js';
import type { BusinessCalendar, PrismaClient } from '../../generated/prisma/client.js';
import type { CalendarHours, CalendarSpec } from './calendar.js';

/** Always open, in UTC: the calendar of anything that has no business calendar of its own. */
export const ALWAYS_OPEN: CalendarSpec = Object.freeze({
  timeZone: 'UTC',
  hours: [],
  holidays: [],
  is24x7: true,
}) as CalendarSpec;

const specs = new Map<string, { row: BusinessCalendar; spec: CalendarSpec }>();

/** The pure spec of a calendar row (memoised per row content, so compiled hours are reused across requests). */
export function calendarSpec(row: BusinessCalendar): CalendarSpec {
  const cached = specs.get(row.id);
  if (
    cached &&
    cached.row.timeZone === row.timeZone &&
    cached.row.is24x7 === row.is24x7 &&
    JSON.stringify(cached.row.hours) === JSON.stringify(row.hours) &&
    JSON.stringify(cached.row.holidays) === JSON.stringify(row.holidays)
  ) {
    return cached.spec;
  }
  const spec: CalendarSpec = {
    timeZone: row.timeZone,
    hours: Array.isArray(row.hours) ? (row.hours as unknown as CalendarHours[]) : [],
    holidays: Array.isArray(row.holidays) ? (row.holidays as unknown as string[]) : [],
    is24x7: row.is24x7,
  };
  specs.set(row.id, { row, spec });
  return spec;
}

export async function loadCalendarSpec(
  prisma: PrismaClient | Tx,
  id: string | null | undefined,
): Promise<CalendarSpec> {
  if (!id) return ALWAYS_OPEN;
  const row = await prisma.businessCalendar.findUnique({ where: { id } });
  return row ? calendarSpec(row) : ALWAYS_OPEN;
}
