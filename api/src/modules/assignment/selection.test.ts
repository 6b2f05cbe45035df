import { describe, expect, it } from 'vitest';
import type { CalendarSpec } from '../calendar/calendar.js';
import type { RotaSpec } from './oncall.js';
import {
  compareCandidates,
  type GroupFacts,
  type MemberFacts,
  selectAgent,
  ticketWeight,
  weightedLoads,
} from './selection.js';

const weekdays = (timeZone: string, start = '08:00', end = '20:00'): CalendarSpec => ({
  timeZone,
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start, end })),
  holidays: ['12-25'],
  is24x7: false,
});
const ROME = weekdays('Europe/Rome');
const NEW_YORK = weekdays('America/New_York');

// Monday 7 December 2026, 14:00 UTC: 15:00 in Rome, 09:00 in New York.
const MON_14Z = new Date('2026-12-07T14:00:00Z');

function member(name: string, over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    userId: `u-${name.toLowerCase()}`,
    name,
    active: true,
    absences: [],
    autoAssign: true,
    skills: [],
    capacity: null,
    load: 0,
    openTickets: 0,
    lastAssignedAt: null,
    joinedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

function group(over: Partial<GroupFacts> = {}): GroupFacts {
  return {
    id: 'g-noc',
    name: 'Network Operations',
    mode: 'LOAD_BALANCED',
    agentCapacity: null,
    roundRobinLastUserId: null,
    calendar: ROME,
    rota: null,
    ...over,
  };
}

const rota = (memberIds: string[], over: Partial<RotaSpec> = {}): RotaSpec => ({
  timeZone: 'Europe/Rome',
  startDate: '2026-11-30',
  handoffTime: '09:00',
  periodDays: 7,
  memberIds,
  overrides: [],
  ...over,
});

describe('load', () => {
  it('weights open tickets by priority, waiting ones half', () => {
    expect(ticketWeight('P1', 'IN_PROGRESS')).toBe(5);
    expect(ticketWeight('P5', 'NEW')).toBe(1);
    expect(ticketWeight('P3', 'PENDING_CUSTOMER')).toBe(1.5);
    const loads = weightedLoads([
      { assigneeId: 'a', priority: 'P1', status: 'ASSIGNED', count: 1 },
      { assigneeId: 'a', priority: 'P4', status: 'PENDING_VENDOR', count: 2 },
      { assigneeId: null, priority: 'P1', status: 'NEW', count: 9 },
    ]);
    expect(loads.get('a')).toEqual({ load: 7, openTickets: 3 });
    expect(loads.size).toBe(1);
  });
});

describe('skills', () => {
  it('only members with every required skill are eligible, and the reason names the skills and the runner-up', () => {
    const davide = member('Davide', { skills: ['network', 'firewall', 'vpn'], load: 3.5 });
    const chiara = member('Chiara', { skills: ['Network', 'FIREWALL'], load: 5 });
    const luca = member('Luca', { skills: ['network'], load: 0 });
    const s = selectAgent({
      group: group(),
      members: [luca, chiara, davide],
      ticket: { priority: 'P3', requiredSkills: ['firewall', 'network'] },
      now: MON_14Z,
    });
    expect(s.outcome).toBe('ASSIGNED');
    expect(s.assigneeId).toBe(davide.userId);
    expect(s.reason).toBe(
      'assigned to Davide: skills firewall+network, load 3.5 vs 5.0 for Chiara, on shift; not eligible: Luca lacks firewall',
    );
    expect(s.candidates.find((c) => c.name === 'Luca')).toMatchObject({
      eligible: false,
      excluded: ['lacks firewall'],
    });
  });

  it('queues when nobody has the skills, saying who lacks what', () => {
    const s = selectAgent({
      group: group(),
      members: [member('Luca', { skills: ['linux'] })],
      ticket: { priority: 'P2', requiredSkills: ['vpn'] },
      now: MON_14Z,
    });
    expect(s).toMatchObject({ outcome: 'QUEUED', assigneeId: null });
    expect(s.reason).toBe('queued in Network Operations: no eligible member (Luca lacks vpn)');
  });
});

describe('operational hours across time zones', () => {
  const members = [member('Ann')];
  const at = (iso: string, calendar: CalendarSpec, priority: 'P1' | 'P3' = 'P3') =>
    selectAgent({ group: group({ calendar }), members, ticket: { priority, requiredSkills: [] }, now: new Date(iso) });

  it('judges the same instant by each group’s own zone', () => {
    // 20:30 UTC on a Monday: 21:30 in Rome (closed), 15:30 in New York (open).
    expect(at('2026-12-07T20:30:00Z', ROME).outcome).toBe('QUEUED');
    expect(at('2026-12-07T20:30:00Z', NEW_YORK).outcome).toBe('ASSIGNED');
    // 07:30 UTC: 08:30 in Rome (open), 02:30 in New York (closed).
    expect(at('2026-12-07T07:30:00Z', ROME).outcome).toBe('ASSIGNED');
    expect(at('2026-12-07T07:30:00Z', NEW_YORK).outcome).toBe('QUEUED');
  });

  it('follows daylight saving: New York opens at 12:00 UTC in the weeks it is already on EDT and Rome is not', () => {
    // 16 March 2026: New York switched on 8 March (UTC-4), Rome switches on 29 March (still UTC+1).
    expect(at('2026-03-16T11:45:00Z', NEW_YORK).outcome).toBe('QUEUED');
    expect(at('2026-03-16T12:15:00Z', NEW_YORK).outcome).toBe('ASSIGNED');
    expect(at('2026-03-16T07:15:00Z', ROME).outcome).toBe('ASSIGNED');
    expect(at('2026-03-16T06:45:00Z', ROME).outcome).toBe('QUEUED');
  });

  it('treats holidays and weekends as closed and says when the group opens', () => {
    const christmas = at('2026-12-25T10:00:00Z', ROME);
    expect(christmas.outcome).toBe('QUEUED');
    expect(christmas.onShift).toBe(false);
    expect(christmas.reason).toMatch(
      /^queued in Network Operations: outside operational hours \(opens Mon 28 Dec 08:00 CET\); P3 waits for the shift$/,
    );
  });

  it('has no hours limit without a calendar (24×7)', () => {
    const s = selectAgent({
      group: group({ calendar: null }),
      members,
      ticket: { priority: 'P5', requiredSkills: [] },
      now: new Date('2026-12-26T03:00:00Z'),
    });
    expect(s.outcome).toBe('ASSIGNED');
  });
});

describe('out of office', () => {
  it('skips absent members while the absence lasts', () => {
    const away = {
      startsAt: new Date('2026-12-07T00:00:00Z'),
      endsAt: new Date('2026-12-09T00:00:00Z'),
      reason: 'training',
    };
    const ann = member('Ann', { absences: [away], load: 0 });
    const bob = member('Bob', { load: 8 });
    const during = selectAgent({
      group: group(),
      members: [ann, bob],
      ticket: { priority: 'P3', requiredSkills: [] },
      now: MON_14Z,
    });
    expect(during.assigneeId).toBe(bob.userId);
    expect(during.reason).toContain('not eligible: Ann out of office until 2026-12-09 00:00 UTC (training)');
    const after = selectAgent({
      group: group(),
      members: [ann, bob],
      ticket: { priority: 'P3', requiredSkills: [] },
      now: new Date('2026-12-09T09:00:00Z'),
    });
    expect(after.assigneeId).toBe(ann.userId);
  });
});

describe('on call outside hours', () => {
  const ann = member('Ann');
  const bob = member('Bob');
  // Saturday 12 December 2026, 22:00 UTC: the Rome office is closed. Week 2 of the rota (from Mon 7 Dec 09:00).
  const SAT_NIGHT = new Date('2026-12-12T22:00:00Z');
  const run = (priority: 'P1' | 'P2' | 'P3', over: Partial<GroupFacts> = {}, members = [ann, bob]) =>
    selectAgent({
      group: group({ rota: rota([ann.userId, bob.userId]), ...over }),
      members,
      ticket: { priority, requiredSkills: ['network'] },
      now: SAT_NIGHT,
    });

  it('gives P1 and P2 to the person whose turn it is, skills and load notwithstanding', () => {
    for (const p of ['P1', 'P2'] as const) {
      const s = run(p);
      expect(s.outcome).toBe('ON_CALL');
      expect(s.assigneeId).toBe(bob.userId);
      expect(s.reason).toMatch(
        new RegExp(
          `^assigned to Bob: on call for Network Operations until 2026-12-14 08:00 UTC \\(rota turn 2 of 2\\), ${p} outside operational hours \\(opens Mon 14 Dec 08:00 CET\\)$`,
        ),
      );
    }
  });

  it('lets P3 wait for the shift', () => {
    expect(run('P3')).toMatchObject({ outcome: 'QUEUED', assigneeId: null });
  });

  it('prefers an override, the latest created where they overlap', () => {
    const cover = member('Cid');
    const overrides = [
      {
        userId: ann.userId,
        startsAt: new Date('2026-12-12T00:00:00Z'),
        endsAt: new Date('2026-12-13T00:00:00Z'),
        reason: 'swap',
        createdAt: new Date('2026-12-01T00:00:00Z'),
      },
      {
        userId: cover.userId,
        startsAt: new Date('2026-12-12T20:00:00Z'),
        endsAt: new Date('2026-12-13T06:00:00Z'),
        reason: 'Bob is at a wedding',
        createdAt: new Date('2026-12-02T00:00:00Z'),
      },
    ];
    const s = selectAgent({
      group: group({ rota: rota([ann.userId, bob.userId], { overrides }) }),
      members: [ann, bob],
      rotaPeople: [cover],
      ticket: { priority: 'P1', requiredSkills: [] },
      now: SAT_NIGHT,
    });
    expect(s.assigneeId).toBe(cover.userId);
    expect(s.reason).toContain('override: Bob is at a wedding');
  });

  it('queues when the on-call person is out of office, or there is no rota', () => {
    const awayBob = member('Bob', {
      absences: [
        { startsAt: new Date('2026-12-10T00:00:00Z'), endsAt: new Date('2026-12-20T00:00:00Z'), reason: 'ill' },
      ],
    });
    const s = run('P1', {}, [ann, awayBob]);
    expect(s.outcome).toBe('QUEUED');
    expect(s.reason).toContain('on-call Bob is out of office until 2026-12-20 00:00 UTC (ill)');
    expect(run('P1', { rota: null }).reason).toContain('the group has no on-call rota');
  });
});

describe('modes', () => {
  const ann = member('Ann', { load: 4, joinedAt: new Date('2026-01-01T00:00:00Z') });
  const bob = member('Bob', { load: 1, joinedAt: new Date('2026-01-02T00:00:00Z') });
  const cid = member('Cid', { load: 9, joinedAt: new Date('2026-01-03T00:00:00Z') });
  const ticket = { priority: 'P3' as const, requiredSkills: [] };

  it('MANUAL queues, unless someone asked for a pick', () => {
    const g = group({ mode: 'MANUAL' });
    expect(selectAgent({ group: g, members: [ann, bob], ticket, now: MON_14Z })).toMatchObject({
      outcome: 'QUEUED',
      reason: 'queued in Network Operations: the group dispatches by hand (MANUAL mode)',
    });
    const asked = selectAgent({ group: g, members: [ann, bob], ticket, now: MON_14Z, onRequest: true });
    expect(asked.assigneeId).toBe(bob.userId);
    expect(asked.reason).toContain('(picked on request in a MANUAL group)');
  });

  it('ROUND_ROBIN takes turns in joining order after the last one served, skipping the ineligible', () => {
    const order: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 4; i += 1) {
      const s = selectAgent({
        group: group({ mode: 'ROUND_ROBIN', roundRobinLastUserId: last }),
        members: [cid, ann, bob],
        ticket,
        now: MON_14Z,
      });
      order.push(s.assigneeId!);
      last = s.assigneeId;
    }
    expect(order).toEqual([ann.userId, bob.userId, cid.userId, ann.userId]);
    const skip = selectAgent({
      group: group({ mode: 'ROUND_ROBIN', roundRobinLastUserId: ann.userId }),
      members: [ann, { ...bob, autoAssign: false }, cid],
      ticket,
      now: MON_14Z,
    });
    expect(skip.assigneeId).toBe(cid.userId);
    expect(skip.reason).toMatch(
      /^assigned to Cid: round robin after Ann, no skills required, load 9\.0, on shift; not eligible: Bob takes no automatic assignments$/,
    );
  });

  it('LOAD_BALANCED picks the lowest weighted load', () => {
    const s = selectAgent({ group: group(), members: [ann, bob, cid], ticket, now: MON_14Z });
    expect(s.assigneeId).toBe(bob.userId);
    expect(s.reason).toBe('assigned to Bob: no skills required, load 1.0 vs 4.0 for Ann, on shift');
  });

  it('respects capacity caps: the member’s own, else the group’s', () => {
    const full = member('Full', { load: 0, openTickets: 3 });
    const own = member('Own', { load: 1, openTickets: 3, capacity: 5 });
    const s = selectAgent({ group: group({ agentCapacity: 3 }), members: [full, own], ticket, now: MON_14Z });
    expect(s.assigneeId).toBe(own.userId);
    expect(s.candidates.find((c) => c.name === 'Full')?.excluded).toEqual(['at capacity (3/3 open)']);
    const none = selectAgent({ group: group({ agentCapacity: 3 }), members: [full], ticket, now: MON_14Z });
    expect(none.outcome).toBe('QUEUED');
  });

  it('an empty group queues', () => {
    expect(selectAgent({ group: group(), members: [], ticket, now: MON_14Z }).reason).toBe(
      'queued in Network Operations: the group has no members',
    );
  });
});

describe('ties', () => {
  const ticket = { priority: 'P3' as const, requiredSkills: [] };
  it('equal loads go to the longest idle; never assigned counts as idlest', () => {
    const recent = member('Ann', { load: 2, lastAssignedAt: new Date('2026-12-07T13:00:00Z') });
    const earlier = member('Bob', { load: 2, lastAssignedAt: new Date('2026-12-07T09:00:00Z') });
    const s = selectAgent({ group: group(), members: [recent, earlier], ticket, now: MON_14Z });
    expect(s.assigneeId).toBe(earlier.userId);
    expect(s.reason).toBe(
      'assigned to Bob: no skills required, load 2.0 tied with Ann, longest idle (last assigned 2026-12-07 09:00 UTC vs last assigned 2026-12-07 13:00 UTC), on shift',
    );
    const never = member('Zed', { load: 2 });
    expect(selectAgent({ group: group(), members: [recent, earlier, never], ticket, now: MON_14Z }).assigneeId).toBe(
      never.userId,
    );
  });

  it('falls back to name, then id, so the order is total', () => {
    const a = {
      userId: 'b',
      name: 'Same',
      eligible: true,
      excluded: [],
      load: 1,
      openTickets: 1,
      lastAssignedAt: null,
    };
    const b = { ...a, userId: 'a' };
    expect([a, b].sort(compareCandidates).map((c) => c.userId)).toEqual(['a', 'b']);
  });
});
