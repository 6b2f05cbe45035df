import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  type CalendarSpec,
  calendarProblems,
  closedPeriods,
  formatInZone,
  isWithinHours,
  nextOpening,
  zonedInstant,
} from './calendar.js';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const everyDay = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start, end }));

/** GLPI's default: Monday to Friday 08:00–20:00, here in Rome with Italian holidays. */
const rome: CalendarSpec = {
  timeZone: 'Europe/Rome',
  hours: weekdays('08:00', '20:00'),
  holidays: ['01-01', '12-25', '12-26', '2026-04-06', '2026-12-08'],
  is24x7: false,
};
const newYork: CalendarSpec = {
  timeZone: 'America/New_York',
  hours: weekdays('09:00', '17:00'),
  holidays: ['2026-07-03', '2026-11-26'],
  is24x7: false,
};
const always: CalendarSpec = { timeZone: 'Europe/Rome', hours: [], holidays: [], is24x7: true };
const u = (iso: string) => new Date(iso);

describe('time zone primitives', () => {
  it('maps local wall times to instants, whatever the process TZ', () => {
    expect(new Date(zonedInstant('Europe/Rome', { year: 2026, month: 1, day: 15 }, 8 * 60)).toISOString()).toBe(
      '2026-01-15T07:00:00.000Z',
    );
    expect(new Date(zonedInstant('Europe/Rome', { year: 2026, month: 7, day: 15 }, 8 * 60)).toISOString()).toBe(
      '2026-07-15T06:00:00.000Z',
    );
    expect(new Date(zonedInstant('America/New_York', { year: 2026, month: 1, day: 15 }, 9 * 60)).toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    expect(new Date(zonedInstant('America/New_York', { year: 2026, month: 1, day: 15 }, 1440)).toISOString()).toBe(
      '2026-01-16T05:00:00.000Z',
    );
  });

  it('maps a wall time skipped by spring-forward to the moment of the change, and a repeated one to its first occurrence', () => {
    // Rome, 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00Z).
    expect(new Date(zonedInstant('Europe/Rome', { year: 2026, month: 3, day: 29 }, 150)).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // Rome, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
    expect(new Date(zonedInstant('Europe/Rome', { year: 2026, month: 10, day: 25 }, 150)).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00Z).
    expect(new Date(zonedInstant('America/New_York', { year: 2026, month: 3, day: 8 }, 150)).toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    // New York, 1 November 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    expect(new Date(zonedInstant('America/New_York', { year: 2026, month: 11, day: 1 }, 90)).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });
});

describe('isWithinHours and nextOpening', () => {
  it('knows opening hours, weekends and holidays in the calendar zone', () => {
    expect(isWithinHours(rome, u('2026-12-02T07:00:00Z'))).toBe(true); // Wed 08:00 CET
    expect(isWithinHours(rome, u('2026-12-02T06:59:59Z'))).toBe(false); // Wed 07:59:59
    expect(isWithinHours(rome, u('2026-12-02T19:00:00Z'))).toBe(false); // Wed 20:00 closes (end exclusive)
    expect(isWithinHours(rome, u('2026-12-05T10:00:00Z'))).toBe(false); // Saturday
    expect(isWithinHours(rome, u('2026-12-08T10:00:00Z'))).toBe(false); // Tue 8 Dec, Immacolata
    expect(isWithinHours(rome, u('2026-12-25T10:00:00Z'))).toBe(false); // every-year holiday
    expect(isWithinHours(always, u('2026-12-25T03:00:00Z'))).toBe(true);
  });

  it('finds the next opening across nights, weekends and holidays', () => {
    expect(nextOpening(rome, u('2026-12-02T10:00:00Z')).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(nextOpening(rome, u('2026-12-02T19:30:00Z')).toISOString()).toBe('2026-12-03T07:00:00.000Z');
    // Friday night before a Monday... then Tuesday 8 Dec is a holiday: Fri 4 Dec 21:00 → Mon 7 Dec 08:00.
    expect(nextOpening(rome, u('2026-12-04T20:00:00Z')).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    // Monday 7 Dec after hours → Wednesday 9 Dec (Tuesday is a holiday).
    expect(nextOpening(rome, u('2026-12-07T19:00:00Z')).toISOString()).toBe('2026-12-09T07:00:00.000Z');
    // Christmas Eve evening → Sunday 27 → Monday 28 Dec.
    expect(nextOpening(rome, u('2026-12-24T19:00:00Z')).toISOString()).toBe('2026-12-28T07:00:00.000Z');
  });
});

describe('addBusinessMinutes', () => {
  it('adds within a day, carries over the night and the weekend, and lands exactly on a closing time', () => {
    expect(addBusinessMinutes(rome, u('2026-12-02T09:00:00Z'), 90).toISOString()).toBe('2026-12-02T10:30:00.000Z');
    // Wed 19:00 local (18:00Z) + 2 h → 1 h Wednesday, 1 h Thursday from 08:00 → Thu 09:00 local.
    expect(addBusinessMinutes(rome, u('2026-12-02T18:00:00Z'), 120).toISOString()).toBe('2026-12-03T08:00:00.000Z');
    // Friday 18:00 local + 4 h → 2 h Friday, 2 h Monday → Mon 10:00 local.
    expect(addBusinessMinutes(rome, u('2026-12-04T17:00:00Z'), 240).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    // Exactly to the closing time: Wed 18:00 + 2 h = Wed 20:00, not Thursday 08:00.
    expect(addBusinessMinutes(rome, u('2026-12-02T17:00:00Z'), 120).toISOString()).toBe('2026-12-02T19:00:00.000Z');
    // Started while closed (Saturday): counting begins at Monday's opening.
    expect(addBusinessMinutes(rome, u('2026-12-05T10:00:00Z'), 60).toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('skips holidays: Monday 7 Dec 19:00 + 4 h lands on Wednesday (Tuesday is the Immacolata)', () => {
    expect(addBusinessMinutes(rome, u('2026-12-07T18:00:00Z'), 240).toISOString()).toBe('2026-12-09T10:00:00.000Z');
    // Easter Monday 2026 (6 April, CEST): Friday 3 April 19:00 + 2 h → Tuesday 7 April 09:00 local.
    expect(addBusinessMinutes(rome, u('2026-04-03T17:00:00Z'), 120).toISOString()).toBe('2026-04-07T07:00:00.000Z');
  });

  it('counts a 24×7 calendar as elapsed time, also across a DST change', () => {
    // 29 March 2026 in Rome has 23 hours: 24 h from Saturday 12:00 CET is Sunday 13:00 CEST.
    expect(addBusinessMinutes(always, u('2026-03-28T11:00:00Z'), 24 * 60).toISOString()).toBe(
      '2026-03-29T11:00:00.000Z',
    );
  });

  it('zero minutes is the start itself', () => {
    expect(addBusinessMinutes(rome, u('2026-12-05T10:00:00Z'), 0).toISOString()).toBe('2026-12-05T10:00:00.000Z');
  });
});

describe('businessMinutesBetween', () => {
  it('counts only open time', () => {
    expect(businessMinutesBetween(rome, u('2026-12-02T09:00:00Z'), u('2026-12-02T10:30:00Z'))).toBe(90);
    // Friday 18:00 local → Monday 10:00 local: 2 h + 2 h.
    expect(businessMinutesBetween(rome, u('2026-12-04T17:00:00Z'), u('2026-12-07T09:00:00Z'))).toBe(240);
    // A whole week with the Immacolata: 4 days × 12 h.
    expect(businessMinutesBetween(rome, u('2026-12-06T23:00:00Z'), u('2026-12-13T23:00:00Z'))).toBe(4 * 12 * 60);
    expect(businessMinutesBetween(rome, u('2026-12-05T00:00:00Z'), u('2026-12-06T23:00:00Z'))).toBe(0);
    expect(businessMinutesBetween(rome, u('2026-12-03T00:00:00Z'), u('2026-12-02T00:00:00Z'))).toBe(0);
  });

  it('is the inverse of addBusinessMinutes', () => {
    const start = u('2026-12-04T16:17:00Z');
    for (const minutes of [1, 59, 181, 720, 721, 3000]) {
      const due = addBusinessMinutes(rome, start, minutes);
      expect(businessMinutesBetween(rome, start, due)).toBeCloseTo(minutes, 6);
    }
  });
});

describe('daylight-saving change days', () => {
  const romeAllDay: CalendarSpec = { ...rome, hours: everyDay('00:00', '24:00'), holidays: [] };
  const romeDaily: CalendarSpec = { ...rome, hours: everyDay('08:00', '20:00'), holidays: [] };
  const romeNight: CalendarSpec = { ...rome, hours: everyDay('00:00', '04:00'), holidays: [] };
  const nyAllDay: CalendarSpec = { ...newYork, hours: everyDay('00:00', '24:00'), holidays: [] };
  const nyDaily: CalendarSpec = { ...newYork, hours: everyDay('09:00', '17:00'), holidays: [] };

  it('Europe/Rome: the spring day has 23 business hours, the autumn day 25', () => {
    expect(businessMinutesBetween(romeAllDay, u('2026-03-28T23:00:00Z'), u('2026-03-29T22:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(romeAllDay, u('2026-10-24T22:00:00Z'), u('2026-10-25T23:00:00Z'))).toBe(25 * 60);
  });

  it('Europe/Rome: 00:00–04:00 lasts 3 h on the spring day and 5 h on the autumn day', () => {
    expect(businessMinutesBetween(romeNight, u('2026-03-28T23:00:00Z'), u('2026-03-29T12:00:00Z'))).toBe(3 * 60);
    expect(businessMinutesBetween(romeNight, u('2026-10-24T22:00:00Z'), u('2026-10-25T12:00:00Z'))).toBe(5 * 60);
  });

  it('Europe/Rome: 08:00 opens an hour earlier in UTC after the spring change', () => {
    // Saturday 28 March 19:00 CET + 2 h: 1 h Saturday, then Sunday from 08:00 CEST (06:00Z) → 09:00 CEST.
    expect(addBusinessMinutes(romeDaily, u('2026-03-28T18:00:00Z'), 120).toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    // Saturday 24 October 19:00 CEST + 2 h → Sunday 09:00 CET (08:00Z).
    expect(addBusinessMinutes(romeDaily, u('2026-10-24T17:00:00Z'), 120).toISOString()).toBe(
      '2026-10-25T08:00:00.000Z',
    );
    expect(isWithinHours(romeDaily, u('2026-03-29T06:00:00Z'))).toBe(true);
    expect(isWithinHours(romeDaily, u('2026-03-29T05:59:00Z'))).toBe(false);
  });

  it('America/New_York: 23 and 25 hour days, and business hours that move in UTC', () => {
    expect(businessMinutesBetween(nyAllDay, u('2026-03-08T05:00:00Z'), u('2026-03-09T04:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(nyAllDay, u('2026-11-01T04:00:00Z'), u('2026-11-02T05:00:00Z'))).toBe(25 * 60);
    // Saturday 7 March 16:00 EST (21:00Z) + 2 h → 1 h Saturday, Sunday 09:00 EDT (13:00Z) + 1 h.
    expect(addBusinessMinutes(nyDaily, u('2026-03-07T21:00:00Z'), 120).toISOString()).toBe('2026-03-08T14:00:00.000Z');
    // Saturday 31 October 16:00 EDT (20:00Z) + 2 h → Sunday 10:00 EST (15:00Z).
    expect(addBusinessMinutes(nyDaily, u('2026-10-31T20:00:00Z'), 120).toISOString()).toBe('2026-11-01T15:00:00.000Z');
  });

  it('America/New_York: Friday before Thanksgiving weekend carries to Monday (Thursday is a holiday)', () => {
    // Wednesday 25 Nov 16:00 EST + 2 h → 1 h Wednesday, Thursday holiday, Friday 10:00 EST.
    expect(addBusinessMinutes(newYork, u('2026-11-25T21:00:00Z'), 120).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });
});

describe('closed periods and labels', () => {
  it('lists nights, weekends and holidays between two instants', () => {
    const periods = closedPeriods(rome, u('2026-12-04T17:00:00Z'), u('2026-12-09T09:00:00Z'));
    expect(periods.map((p) => [p.start.toISOString(), p.end.toISOString(), p.holidays])).toEqual([
      ['2026-12-04T19:00:00.000Z', '2026-12-07T07:00:00.000Z', []],
      ['2026-12-07T19:00:00.000Z', '2026-12-09T07:00:00.000Z', ['2026-12-08']],
    ]);
    expect(closedPeriods(always, u('2026-12-04T17:00:00Z'), u('2026-12-09T09:00:00Z'))).toEqual([]);
  });

  it('formats instants in the calendar zone', () => {
    expect(formatInZone('Europe/Rome', u('2026-12-08T13:30:00Z'))).toBe('Tue 08 Dec 14:30 CET');
    expect(formatInZone('America/New_York', u('2026-07-01T13:30:00Z'))).toMatch(/^Wed 01 Jul 09:30 (EDT|GMT-4)$/);
  });
});

describe('calendarProblems', () => {
  it('accepts a sound calendar and names what is wrong with a bad one', () => {
    expect(calendarProblems(rome)).toEqual([]);
    const bad = calendarProblems({
      timeZone: 'Mars/Olympus',
      hours: [{ day: 8, start: '9:00', end: '08:00' }],
      holidays: ['25/12'],
      is24x7: false,
    });
    expect(bad.map((i) => i.path.join('.'))).toEqual(['timeZone', 'hours.0.day', 'hours.0.start', 'holidays.0']);
    expect(calendarProblems({ ...rome, hours: [] }).map((i) => i.path.join('.'))).toEqual(['hours']);
  });
});

describe('process time zone', () => {
  it('runs under the TZ the runner asked for (see sla.tz.test.ts)', () => {
    const expected = process.env.SLA_EXPECT_TZ;
    if (!expected) return;
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(expected);
    expect(new Date(2026, 0, 15, 12).getTimezoneOffset()).not.toBe(0);
  });
});
