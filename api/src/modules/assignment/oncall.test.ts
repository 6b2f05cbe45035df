import { describe, expect, it } from 'vitest';
import { onCallAt, type RotaSpec, rotaProblems } from './oncall.js';

const weekly = (over: Partial<RotaSpec> = {}): RotaSpec => ({
  timeZone: 'Europe/Rome',
  startDate: '2026-03-16',
  handoffTime: '09:00',
  periodDays: 7,
  memberIds: ['ann', 'bob', 'cid'],
  overrides: [],
  ...over,
});

describe('on-call rota', () => {
  it('hands over weekly at the local handoff time', () => {
    // Monday 16 March 2026 09:00 in Rome is 08:00 UTC.
    expect(onCallAt(weekly(), new Date('2026-03-16T07:59:00Z'))?.userId).toBe('cid'); // the turn before the start wraps
    const first = onCallAt(weekly(), new Date('2026-03-16T08:00:00Z'))!;
    expect(first).toMatchObject({ userId: 'ann', source: 'ROTA', detail: 'rota turn 1 of 3' });
    expect(first.since.toISOString()).toBe('2026-03-16T08:00:00.000Z');
    expect(onCallAt(weekly(), new Date('2026-03-23T07:59:00Z'))?.userId).toBe('ann');
    expect(onCallAt(weekly(), new Date('2026-03-23T08:00:00Z'))?.userId).toBe('bob');
    expect(onCallAt(weekly(), new Date('2026-04-06T12:00:00Z'))?.userId).toBe('ann'); // week 4 wraps to the first
  });

  it('keeps the handover at 09:00 local across a daylight-saving change (a 167-hour turn)', () => {
    // Europe/Rome springs forward on 29 March 2026: bob's turn from Mon 23 March 09:00 CET (08:00Z) ends Mon 30
    // March 09:00 CEST (07:00Z).
    const bob = onCallAt(weekly(), new Date('2026-03-29T12:00:00Z'))!;
    expect(bob.userId).toBe('bob');
    expect(bob.since.toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(bob.until.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect((bob.until.getTime() - bob.since.getTime()) / 3_600_000).toBe(167);
    expect(onCallAt(weekly(), new Date('2026-03-30T07:00:00Z'))?.userId).toBe('cid');
  });

  it('works in another zone and with daily turns', () => {
    const daily = weekly({
      timeZone: 'America/New_York',
      periodDays: 1,
      handoffTime: '18:00',
      startDate: '2026-12-01',
    });
    // 1 Dec 18:00 EST = 23:00Z
    expect(onCallAt(daily, new Date('2026-12-01T22:59:00Z'))?.userId).toBe('cid');
    expect(onCallAt(daily, new Date('2026-12-01T23:00:00Z'))?.userId).toBe('ann');
    expect(onCallAt(daily, new Date('2026-12-02T23:30:00Z'))?.userId).toBe('bob');
  });

  it('an override covering the instant wins; the latest created where overrides overlap', () => {
    const rota = weekly({
      overrides: [
        {
          userId: 'zoe',
          startsAt: new Date('2026-03-17T00:00:00Z'),
          endsAt: new Date('2026-03-18T00:00:00Z'),
          reason: 'swap with ann',
          createdAt: new Date('2026-03-01T00:00:00Z'),
        },
        {
          userId: 'yan',
          startsAt: new Date('2026-03-17T12:00:00Z'),
          endsAt: new Date('2026-03-17T14:00:00Z'),
          reason: 'dentist cover',
          createdAt: new Date('2026-03-02T00:00:00Z'),
        },
      ],
    });
    expect(onCallAt(rota, new Date('2026-03-17T10:00:00Z'))).toMatchObject({ userId: 'zoe', source: 'OVERRIDE' });
    expect(onCallAt(rota, new Date('2026-03-17T13:00:00Z'))).toMatchObject({
      userId: 'yan',
      detail: 'override: dentist cover',
    });
    expect(onCallAt(rota, new Date('2026-03-18T00:00:00Z'))?.userId).toBe('ann');
  });

  it('validates rotas', () => {
    expect(rotaProblems(weekly())).toEqual([]);
    const bad = rotaProblems(
      weekly({ timeZone: 'Mars/Base', startDate: '2026-02-30', handoffTime: '25:00', periodDays: 0, memberIds: [] }),
    );
    expect(bad.map((p) => p.path[0])).toEqual(['timeZone', 'startDate', 'handoffTime', 'periodDays', 'memberIds']);
    expect(rotaProblems(weekly({ memberIds: ['a', 'a'] }))[0]?.message).toBe('Name each person once');
  });
});
