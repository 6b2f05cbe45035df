import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessMsBetween, type CalendarSpec } from '../calendar/calendar.js';
import {
  clockStatus,
  desiredMode,
  elapsedMs,
  instantAtElapsed,
  type LedgerSegment,
  pickPolicy,
  planThresholds,
} from './engine.js';
import { explain, formatDuration } from './explain.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const u = (iso: string) => new Date(iso);

const rome: CalendarSpec = {
  timeZone: 'Europe/Rome',
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '20:00' })),
  holidays: ['12-08', '12-25', '12-26', '01-01', '2026-04-06'],
  is24x7: false,
};
const newYork: CalendarSpec = {
  timeZone: 'America/New_York',
  hours: [
    ...[1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '12:30' })),
    ...[1, 2, 3, 4, 5].map((day) => ({ day, start: '13:30', end: '17:00' })),
  ],
  holidays: ['2026-11-26', '2026-07-03'],
  is24x7: false,
};
const always: CalendarSpec = { timeZone: 'Europe/Rome', hours: [], holidays: [], is24x7: true };

const run = (from: string, to: string | null, reason = 'counting'): LedgerSegment => ({
  kind: 'RUNNING',
  reason,
  startedAt: u(from),
  endedAt: to ? u(to) : null,
});
const pause = (from: string, to: string | null, reason = 'waiting for the customer'): LedgerSegment => ({
  kind: 'PAUSED',
  reason,
  startedAt: u(from),
  endedAt: to ? u(to) : null,
});

describe('the clock ledger', () => {
  it('a running clock is due target business time after its start (24×7)', () => {
    const ledger = [run('2026-12-04T10:00:00Z', null)];
    const s = clockStatus(always, ledger, 4 * HOUR, u('2026-12-04T11:00:00Z'));
    expect(s).toMatchObject({ running: true, elapsedMs: HOUR, remainingMs: 3 * HOUR, percentUsed: 25 });
    expect(s.dueAt?.toISOString()).toBe('2026-12-04T14:00:00.000Z');
  });

  it('pausing stops the clock; resuming pushes the due time out by exactly the pause (24×7)', () => {
    const paused = [run('2026-12-04T10:00:00Z', '2026-12-04T11:00:00Z'), pause('2026-12-04T11:00:00Z', null)];
    const during = clockStatus(always, paused, 4 * HOUR, u('2026-12-04T13:00:00Z'));
    expect(during).toMatchObject({ running: false, elapsedMs: HOUR, dueAt: null });
    const resumed = [
      run('2026-12-04T10:00:00Z', '2026-12-04T11:00:00Z'),
      pause('2026-12-04T11:00:00Z', '2026-12-04T12:20:00Z'),
      run('2026-12-04T12:20:00Z', null),
    ];
    const after = clockStatus(always, resumed, 4 * HOUR, u('2026-12-04T13:00:00Z'));
    expect(after.dueAt?.toISOString()).toBe('2026-12-04T15:20:00.000Z');
    expect(after.elapsedMs).toBe(HOUR + 40 * MIN);
  });

  it('counts only business hours: Friday 18:00 + 4 h on the Rome calendar is Monday 10:00', () => {
    const ledger = [run('2026-12-04T17:00:00Z', null)];
    expect(instantAtElapsed(rome, ledger, 4 * HOUR)?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    // Saturday noon: 2 h used (Friday 18:00–20:00), the weekend does not count.
    expect(elapsedMs(rome, ledger, u('2026-12-05T11:00:00Z'))).toBe(2 * HOUR);
  });

  it('finds a due time reached inside an earlier, closed segment', () => {
    const ledger = [run('2026-12-04T10:00:00Z', '2026-12-04T15:00:00Z'), pause('2026-12-04T15:00:00Z', null)];
    expect(instantAtElapsed(always, ledger, 4 * HOUR)?.toISOString()).toBe('2026-12-04T14:00:00.000Z');
  });

  it('recomputes from the same ledger under another calendar (policy re-selection keeps paused time)', () => {
    const ledger = [
      run('2026-12-04T17:00:00Z', '2026-12-04T18:00:00Z'),
      pause('2026-12-04T18:00:00Z', '2026-12-04T18:30:00Z'),
      run('2026-12-04T18:30:00Z', null),
    ];
    // Business hours: Fri 18:00–19:00 and 19:30–20:00 local count; then Monday.
    expect(elapsedMs(rome, ledger, u('2026-12-05T10:00:00Z'))).toBe(90 * MIN);
    // 24×7: everything but the half-hour pause counts.
    expect(elapsedMs(always, ledger, u('2026-12-05T10:00:00Z'))).toBe(16.5 * HOUR);
  });

  it('plans warnings and the breach, keeping only the highest threshold already passed', () => {
    const ledger = [run('2026-12-04T10:00:00Z', null)];
    const plans = planThresholds(always, ledger, 4 * HOUR, [50, 75, 90, 100], 0, u('2026-12-04T13:10:00Z'));
    expect(plans.map((p) => [p.percent, p.at.toISOString()])).toEqual([
      [75, '2026-12-04T13:00:00.000Z'],
      [90, '2026-12-04T13:36:00.000Z'],
      [100, '2026-12-04T14:00:00.000Z'],
    ]);
    expect(planThresholds(always, ledger, 4 * HOUR, [50, 75, 90, 100], 90, u('2026-12-04T10:00:00Z'))).toHaveLength(1);
    expect(
      planThresholds(always, [pause('2026-12-04T10:00:00Z', null)], 4 * HOUR, [50, 100], 0, u('2026-12-04T10:00:00Z')),
    ).toEqual([]);
  });
});

describe('what each target does in each ticket state', () => {
  const t = (status: string, firstResponseAt: Date | null = null) => ({ status, firstResponseAt });
  it('pauses on PENDING_CUSTOMER always, on PENDING_VENDOR per policy', () => {
    expect(desiredMode('RESOLUTION', t('PENDING_CUSTOMER'), false)).toEqual({
      mode: 'pause',
      reason: 'waiting for the customer',
    });
    expect(desiredMode('RESOLUTION', t('PENDING_VENDOR'), false)).toEqual({ mode: 'run' });
    expect(desiredMode('RESOLUTION', t('PENDING_VENDOR'), true)).toEqual({
      mode: 'pause',
      reason: 'waiting for a vendor',
    });
  });
  it('completes the first response when it is given, every target at resolution, and cancels with the ticket', () => {
    expect(desiredMode('FIRST_RESPONSE', t('IN_PROGRESS', new Date()), false).mode).toBe('complete');
    expect(desiredMode('RESOLUTION', t('IN_PROGRESS', new Date()), false).mode).toBe('run');
    for (const kind of ['FIRST_RESPONSE', 'NEXT_UPDATE', 'RESOLUTION'] as const) {
      expect(desiredMode(kind, t('RESOLVED'), false).mode).toBe('complete');
      expect(desiredMode(kind, t('CANCELLED'), false).mode).toBe('cancel');
      expect(desiredMode(kind, t('NEW'), false).mode).toBe('run');
    }
  });
});

describe('policy selection', () => {
  const p = (key: string, priority: string | null, ticketClass: string | null, organizationId: string | null) => ({
    id: key,
    key,
    priority,
    ticketClass,
    organizationId,
  });
  const policies = [
    p('any', null, null, null),
    p('p1', 'P1', null, null),
    p('p1-incident', 'P1', 'INCIDENT', null),
    p('acme', null, null, 'acme'),
    p('acme-p1', 'P1', null, 'acme'),
  ];
  it('picks the most specific: organisation, then priority, then class', () => {
    const pick = (priority: string, klass: string, org: string) =>
      pickPolicy(policies, { priority, class: klass, organizationId: org })?.key;
    expect(pick('P1', 'INCIDENT', 'globex')).toBe('p1-incident');
    expect(pick('P1', 'SERVICE_REQUEST', 'globex')).toBe('p1');
    expect(pick('P3', 'INCIDENT', 'globex')).toBe('any');
    expect(pick('P3', 'INCIDENT', 'acme')).toBe('acme');
    expect(pick('P1', 'INCIDENT', 'acme')).toBe('acme-p1');
    expect(pickPolicy([p('p2', 'P2', null, null)], { priority: 'P3', class: 'INCIDENT', organizationId: 'x' })).toBe(
      null,
    );
  });
});

describe('explanation', () => {
  it('says when it is due and why: target, pauses, closed hours and holidays', () => {
    // Monday 7 Dec 18:00 Rome: 30 m counted, paused 1 h 20 m for the customer, 10 m counted; Tuesday 8 Dec is the
    // Immacolata; 3 h 20 m left from Wednesday 08:00 → due Wednesday 11:20.
    const segments = [
      run('2026-12-07T17:00:00Z', '2026-12-07T17:30:00Z', 'ticket created'),
      pause('2026-12-07T17:30:00Z', '2026-12-07T18:50:00Z'),
      run('2026-12-07T18:50:00Z', null, 'customer replied'),
    ];
    const now = u('2026-12-09T08:00:00Z');
    const status = clockStatus(rome, segments, 4 * HOUR, now);
    expect(status.dueAt?.toISOString()).toBe('2026-12-09T10:20:00.000Z');
    const e = explain({
      kind: 'RESOLUTION',
      state: 'RUNNING',
      targetMs: 4 * HOUR,
      calendar: rome,
      calendarName: 'Rome business hours',
      policyLabel: 'policy P3 business hours v1',
      segments,
      now,
      dueAt: status.dueAt,
      metAt: null,
      breachedAt: null,
      completedAt: null,
      cycle: 1,
    });
    expect(e.summary).toBe(
      'due Wed 09 Dec 11:20 CET: 4 h business time for resolution, policy P3 business hours v1, Rome business hours; ' +
        'paused 1 h 20 m waiting for the customer; 1 d 12 h outside business hours not counted; ' +
        'Tuesday 08 Dec was a holiday',
    );
    expect(e.steps.map((s) => s.kind)).toEqual(['COUNTING', 'PAUSED', 'COUNTING', 'HOLIDAY', 'COUNTING', 'DUE']);
    expect(e.steps[3]!.text).toBe('not counted: Tuesday 08 Dec was a holiday');
    expect(e.steps.filter((s) => s.kind === 'COUNTING').reduce((a, s) => a + s.businessSeconds, 0)).toBe(
      3600 + 40 * 60,
    );
  });

  it('formats durations', () => {
    expect(formatDuration(80 * MIN)).toBe('1 h 20 m');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(26 * HOUR)).toBe('1 d 2 h');
    expect(formatDuration(-15 * MIN)).toBe('-15 m');
  });
});

// ── properties ───────────────────────────────────────────────────────────────

const zones = ['Europe/Rome', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const arbCalendar: fc.Arbitrary<CalendarSpec> = fc.oneof(
  fc.constant(rome),
  fc.constant(newYork),
  fc.constant(always),
  fc.record({
    timeZone: fc.constantFrom(...zones),
    hours: fc
      .uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 })
      .chain((days) =>
        fc
          .tuple(fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 15, max: 12 * 60 }))
          .map(([start, len]) =>
            days.map((day) => ({ day, start: hhmm(start), end: hhmm(Math.min(1440, start + len)) })),
          ),
      ),
    holidays: fc.array(fc.constantFrom('12-25', '01-01', '2026-03-29', '2026-10-25', '2026-11-01', '2026-03-08'), {
      maxLength: 3,
    }),
    is24x7: fc.constant(false),
  }),
);
// 2026 and 2027 including every DST change of the zones above.
const arbInstant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(ms));
const arbTarget = fc.integer({ min: 1, max: 5 * 24 * 60 }).map((m) => m * MIN);

/** Alternating running/paused segments from `start`, the last one open. */
const arbLedger = fc
  .tuple(arbInstant, fc.array(fc.integer({ min: 1, max: 3 * 24 * 60 }), { maxLength: 6 }), fc.boolean())
  .map(([start, gaps, pausedFirst]) => {
    const segments: LedgerSegment[] = [];
    let at = start.getTime();
    let kind: LedgerSegment['kind'] = 'RUNNING';
    for (const g of gaps) {
      segments.push({ kind, reason: kind, startedAt: new Date(at), endedAt: new Date(at + g * MIN) });
      at += g * MIN;
      kind = kind === 'RUNNING' ? 'PAUSED' : 'RUNNING';
    }
    segments.push({ kind: 'RUNNING', reason: 'RUNNING', startedAt: new Date(at), endedAt: null });
    return { start, segments, pausedFirst };
  });

describe('properties (fast-check)', () => {
  it('due time − start time ≥ target, and exactly target business time lies between them', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbTarget, (cal, start, target) => {
        const due = addBusinessMs(cal, start, target);
        expect(due.getTime() - start.getTime()).toBeGreaterThanOrEqual(target);
        expect(Math.abs(businessMsBetween(cal, start, due) - target)).toBeLessThan(1);
      }),
      { numRuns: 300 },
    );
  });

  it('for any ledger, due time − first start ≥ target', () => {
    fc.assert(
      fc.property(arbCalendar, arbLedger, arbTarget, (cal, { start, segments }, target) => {
        const due = instantAtElapsed(cal, segments, target);
        expect(due).not.toBeNull();
        expect(due!.getTime() - start.getTime()).toBeGreaterThanOrEqual(target);
      }),
      { numRuns: 300 },
    );
  });

  it('pausing never makes a ticket due earlier', () => {
    fc.assert(
      fc.property(
        arbCalendar,
        arbLedger,
        arbTarget,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 2 * 24 * 60 }),
        (cal, { segments }, target, where, pauseMinutes) => {
          const before = instantAtElapsed(cal, segments, target)!;
          // Part of a running segment becomes a pause: events after it happen when they happened.
          const running = segments.filter((s) => s.kind === 'RUNNING');
          const seg = running[Math.floor(where * running.length) % running.length]!;
          const segEnd = seg.endedAt?.getTime() ?? Number.POSITIVE_INFINITY;
          const from =
            seg.startedAt.getTime() + Math.floor(Math.min(segEnd - seg.startedAt.getTime(), 7 * 24 * HOUR) * where);
          const to = Math.min(segEnd, from + pauseMinutes * MIN);
          const paused: LedgerSegment[] = [];
          for (const s of segments) {
            if (s !== seg) {
              paused.push(s);
              continue;
            }
            if (from > s.startedAt.getTime()) paused.push({ ...s, endedAt: new Date(from) });
            paused.push({ kind: 'PAUSED', reason: 'p', startedAt: new Date(from), endedAt: new Date(to) });
            if (to < segEnd || !s.endedAt) paused.push({ ...s, startedAt: new Date(to) });
          }
          const after = instantAtElapsed(cal, paused, target)!;
          expect(after.getTime()).toBeGreaterThanOrEqual(before.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a threshold is never planned before a lower one', () => {
    fc.assert(
      fc.property(arbCalendar, arbLedger, arbTarget, (cal, { segments }, target) => {
        const plans = planThresholds(cal, segments, target, [50, 75, 90, 100], 0, new Date(0));
        for (let i = 1; i < plans.length; i += 1) {
          expect(plans[i]!.at.getTime()).toBeGreaterThanOrEqual(plans[i - 1]!.at.getTime());
        }
      }),
      { numRuns: 200 },
    );
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
