import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { forbidden, ValidationError } from '../../errors.js';
import type { BusinessCalendar } from '../../generated/prisma/client.js';
import { roleAtLeast } from '../auth/scopes.js';
import { reselectOpenTickets } from '../sla/sla.service.js';
import { channelOf } from '../ticket/access.js';
import { type CalendarHours, type CalendarSpec, calendarProblems, formatInZone, nextOpening } from './calendar.js';
import { calendarSpec } from './calendar.service.js';

const CalendarHoursRef = builder.objectRef<CalendarHours>('CalendarHours').implement({
  description: 'Opening hours on one weekday, local to the calendar zone.',
  fields: (t) => ({
    day: t.exposeInt('day', { description: 'ISO weekday: 1 = Monday … 7 = Sunday.' }),
    start: t.exposeString('start', { description: 'HH:MM' }),
    end: t.exposeString('end', { description: 'HH:MM; 24:00 is midnight at the end of the day.' }),
  }),
});

export const BusinessCalendarType = builder.prismaNode('BusinessCalendar', {
  id: { field: 'id' },
  description:
    'Working hours per weekday, a time zone and holidays. SLA due times count business time on the policy calendar.',
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { description: 'IANA zone, e.g. Europe/Rome.' }),
    is24x7: t.exposeBoolean('is24x7', { description: 'Always open: business time is elapsed time.' }),
    hours: t.field({ type: [CalendarHoursRef], resolve: (c) => calendarSpec(c).hours }),
    holidays: t.stringList({
      description: 'Closed local dates: YYYY-MM-DD, or MM-DD for every year.',
      resolve: (c) => calendarSpec(c).holidays,
    }),
    nextOpening: t.field({
      type: 'DateTime',
      description: 'Now, if open now; otherwise when it next opens.',
      resolve: (c) => nextOpening(calendarSpec(c), appClock.now()),
    }),
    nextOpeningLabel: t.string({
      description: 'The next opening as people in the calendar zone read it.',
      resolve: (c) => formatInZone(c.timeZone, nextOpening(calendarSpec(c), appClock.now())),
    }),
  }),
});

builder.queryField('businessCalendars', (t) =>
  t.prismaField({
    type: ['BusinessCalendar'],
    description: 'Business calendars (staff).',
    authScopes: { staff: true },
    resolve: (query) => db().businessCalendar.findMany({ ...query, orderBy: { key: 'asc' } }),
  }),
);

const CalendarHoursInput = builder.inputType('CalendarHoursInput', {
  fields: (t) => ({ day: t.int(), start: t.string(), end: t.string() }),
});

const BusinessCalendarSaveInput = builder.inputType('BusinessCalendarSaveInput', {
  description: 'Creates the calendar with this key, or changes it; open SLA clocks on it are recomputed.',
  fields: (t) => ({
    key: t.string(),
    name: t.string(),
    timeZone: t.string(),
    hours: t.field({ type: [CalendarHoursInput] }),
    holidays: t.stringList(),
    is24x7: t.boolean({ required: false, defaultValue: false }),
  }),
});

const BusinessCalendarPayload = builder
  .objectRef<{ calendar: BusinessCalendar; recomputedTickets: number }>('BusinessCalendarPayload')
  .implement({
    fields: (t) => ({
      calendar: t.field({ type: BusinessCalendarType, resolve: (p) => p.calendar }),
      recomputedTickets: t.exposeInt('recomputedTickets', {
        description: 'Open tickets whose SLA due times were recomputed.',
      }),
    }),
  });

function requireAdmin(ctx: Context) {
  if (!ctx.viewer || !roleAtLeast(ctx.viewer.role, 'ADMIN') || !ctx.viewer.scopes.has('admin'))
    throw forbidden('Only administrators change SLA calendars and policies');
}

builder.mutationField('businessCalendarSave', (t) =>
  t.field({
    type: BusinessCalendarPayload,
    description: 'Creates or changes a business calendar (admin).',
    authScopes: { role: 'ADMIN', scope: 'admin' },
    args: { input: t.arg({ type: BusinessCalendarSaveInput }) },
    errors: { types: [] },
    resolve: async (_root, { input }, ctx) => {
      requireAdmin(ctx);
      const spec: CalendarSpec = {
        timeZone: input.timeZone,
        hours: input.hours.map((h) => ({ day: h.day, start: h.start, end: h.end })),
        holidays: input.holidays,
        is24x7: input.is24x7 ?? false,
      };
      const issues = calendarProblems(spec).map((i) => ({ ...i, path: ['input', ...i.path] }));
      if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.key))
        issues.push({ path: ['input', 'key'], message: 'Use 2-63 lower-case letters, digits or dashes' });
      if (input.name.trim().length < 2) issues.push({ path: ['input', 'name'], message: 'Give a name' });
      if (issues.length) throw new ValidationError(issues);
      const data = {
        name: input.name.trim(),
        timeZone: spec.timeZone,
        hours: spec.hours as object,
        holidays: spec.holidays,
        is24x7: spec.is24x7,
      };
      const calendar = await db().businessCalendar.upsert({
        where: { key: input.key },
        create: { key: input.key, ...data },
        update: data,
      });
      const recomputedTickets = await reselectOpenTickets(
        db(),
        { calendarId: calendar.id },
        { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) },
        appClock.now(),
      );
      return { calendar, recomputedTickets };
    },
  }),
);
