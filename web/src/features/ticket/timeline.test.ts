import { describe, expect, it } from 'vitest';
import { buildTimeline, decodeGlobalId, filterTimeline, type TimelineInput } from './timeline';

const gid = (type: string, id: string) => btoa(`${type}:${id}`);
const ADA = { id: gid('User', '401e3449-419c-4517-bd11-a471fe57dbc5'), name: 'Ada Admin' };
const T0 = '2026-12-04T21:19:23.575Z';
const T1 = '2026-12-04T21:19:24.448Z';
const T2 = '2026-12-04T21:19:24.554Z';
const T3 = '2026-12-04T21:19:24.979Z';

const input: TimelineInput = {
  entries: [
    { id: 'e1', kind: 'PUBLIC_REPLY', internal: false, body: 'We are on it.', createdAt: T2, author: ADA },
    {
      id: 'e2',
      kind: 'INTERNAL_NOTE',
      internal: true,
      body: 'Error rate spiked at 07:38.',
      createdAt: T3,
      author: ADA,
    },
  ],
  audit: [
    {
      seq: 1,
      action: 'created',
      newValue: '{"channel":"EMAIL","priority":"P1"}',
      reason: 'impact HIGH × urgency HIGH → P1',
      createdAt: T0,
      actorId: '401e3449-419c-4517-bd11-a471fe57dbc5',
    },
    {
      seq: 2,
      action: 'routed',
      field: 'resolverGroupId',
      newValue: '"d1d98b78-701a-4dff-bcc4-9de001454afb"',
      createdAt: T0,
    },
    {
      seq: 3,
      action: 'status_changed',
      field: 'status',
      oldValue: '"NEW"',
      newValue: '"ASSIGNED"',
      reason: 'assigned',
      createdAt: T0,
      actorId: '401e3449-419c-4517-bd11-a471fe57dbc5',
    },
    { seq: 4, action: 'escalated', field: 'escalations', newValue: '{}', createdAt: T0 },
    {
      seq: 5,
      action: 'status_changed',
      field: 'status',
      oldValue: '"ASSIGNED"',
      newValue: '"IN_PROGRESS"',
      createdAt: T1,
    },
    { seq: 6, action: 'entry_added', field: 'entries', newValue: '{"kind":"PUBLIC_REPLY"}', createdAt: T2 },
    { seq: 7, action: 'sla_breached', field: 'sla', reason: 'resolution breached', createdAt: T3 },
    {
      seq: 8,
      action: 'field_changed',
      field: 'impact',
      oldValue: '"MEDIUM"',
      newValue: '"HIGH"',
      createdAt: T3,
      actorId: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    },
  ],
  assignmentLog: [
    {
      id: 'a1',
      createdAt: T0,
      trigger: 'INTAKE',
      outcome: 'ON_CALL',
      reason: 'routed to Application Support by rule "ERP platform"; on call',
      toGroup: { name: 'Application Support' },
      toAssignee: { name: 'Matteo Colombo' },
    },
  ],
  escalations: [
    {
      id: 'x1',
      kind: 'HIERARCHICAL',
      level: 2,
      reason: 'IMPACT',
      detail: 'P1 at intake: duty manager',
      createdAt: T0,
      targetUser: { name: 'Marco Rossi' },
      acknowledgedAt: T1,
      acknowledgedBy: { id: gid('User', 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb'), name: 'Marco Rossi' },
      acknowledgement: 'On it',
    },
  ],
};

describe('buildTimeline', () => {
  const items = buildTimeline(input);

  it('tells the whole story in order, opening with the intake', () => {
    expect(items.map((i) => [i.kind, i.title])).toEqual([
      ['created', 'Ticket logged via email'],
      ['assignment', 'Assigned to Matteo Colombo (Application Support) · intake'],
      ['escalation', 'Escalated (hierarchical, level 2) to Marco Rossi'],
      ['status', 'Status: New → Assigned'],
      ['escalation', 'Escalation acknowledged'],
      ['status', 'Status: Assigned → In progress'],
      ['public', 'Public reply'],
      ['internal', 'Internal note'],
      ['sla', 'SLA breached'],
      ['change', 'Impact: Medium → High'],
    ]);
  });

  it('keeps reasons, bodies and names the audit actors from the users it knows', () => {
    expect(items[0]).toMatchObject({ actor: 'Ada Admin', detail: 'impact HIGH × urgency HIGH → P1' });
    expect(items[1]?.detail).toContain('ERP platform');
    expect(items.find((i) => i.kind === 'internal')).toMatchObject({ body: 'Error rate spiked at 07:38.' });
    expect(items.find((i) => i.kind === 'sla')).toMatchObject({ alert: true, detail: 'resolution breached' });
    expect(items.at(-1)?.actor).toBe('Someone');
  });

  it('falls back to the audit for assignments and escalations when their logs are absent', () => {
    const bare = buildTimeline({ entries: [], audit: input.audit });
    expect(bare.map((i) => i.title)).toContain('Escalated');
    expect(bare.some((i) => i.title.startsWith('Routed'))).toBe(true);
  });

  it('filters conversation from changes', () => {
    expect(filterTimeline(items, 'conversation').map((i) => i.kind)).toEqual(['public', 'internal']);
    expect(filterTimeline(items, 'changes').some((i) => i.kind === 'public')).toBe(false);
    expect(filterTimeline(items, 'all')).toBe(items);
  });
});

describe('decodeGlobalId', () => {
  it('splits a relay id and refuses garbage', () => {
    expect(decodeGlobalId(gid('Ticket', 'abc'))).toEqual({ type: 'Ticket', id: 'abc' });
    expect(decodeGlobalId('%%%')).toBeNull();
  });
});

describe('audit field names', () => {
  it('reads camelCase fields as words', () => {
    const items = buildTimeline({
      entries: [],
      audit: [{ seq: 1, action: 'field_changed', field: 'resolutionCode', newValue: '"FIXED"', createdAt: T0 }],
    });
    expect(items[0]?.title).toBe('Resolution code: FIXED');
  });
});

describe('mail on the timeline', () => {
  it('records what was mailed, and flags a failed delivery', () => {
    const items = buildTimeline({
      entries: [],
      audit: [],
      mail: [
        { id: 'm1', kind: 'RESOLUTION', subject: '[INC-1] Resolved', to: 'a@x.test', status: 'LOCAL', createdAt: T1 },
        {
          id: 'm2',
          kind: 'STATUS_UPDATE',
          subject: '[INC-1] Update',
          to: 'a@x.test',
          status: 'FAILED',
          createdAt: T2,
          lastError: '550 mailbox unavailable',
        },
      ],
    });
    expect(items.map((i) => [i.kind, i.title, i.alert ?? false])).toEqual([
      ['mail', 'Mail to a@x.test: [INC-1] Resolved', false],
      ['mail', 'Mail to a@x.test: [INC-1] Update', true],
    ]);
    expect(items[0]?.detail).toBe('Resolution · in the local outbox');
    expect(items[1]?.detail).toBe('Status update · failed: 550 mailbox unavailable');
  });
});
