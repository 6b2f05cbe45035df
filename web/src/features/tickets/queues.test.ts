import { describe, expect, it } from 'vitest';
import { matchesLocally, parseQueueState, queueHref, reconcileQueue, ticketFilterFor } from './queues';

const params = (s: string) => new URLSearchParams(s);

describe('queue state in the address bar', () => {
  it('defaults to my open tickets by priority', () => {
    expect(parseQueueState(params(''))).toEqual({
      queue: 'mine',
      status: [],
      priority: [],
      class: [],
      group: null,
      search: '',
      order: 'PRIORITY',
    });
    expect(queueHref(parseQueueState(params('')))).toBe('/');
  });

  it('round-trips filters and drops values it does not know', () => {
    const state = parseQueueState(
      params('queue=unassigned&priority=P1,P2,P9&status=NEW&class=INCIDENT&q=vpn%20down&order=UPDATED_AT_DESC'),
    );
    expect(state).toMatchObject({
      queue: 'unassigned',
      priority: ['P1', 'P2'],
      status: ['NEW'],
      class: ['INCIDENT'],
      search: 'vpn down',
      order: 'UPDATED_AT_DESC',
    });
    expect(parseQueueState(params(queueHref(state).slice(2)))).toEqual(state);
    expect(parseQueueState(params('queue=bogus&order=bogus'))).toMatchObject({ queue: 'mine', order: 'PRIORITY' });
  });
});

describe('ticketFilterFor', () => {
  const base = parseQueueState(params(''));

  it('builds each queue from the same filter the API uses for counts and KPIs', () => {
    expect(ticketFilterFor(base, 'me', [])).toEqual({
      status: ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'PENDING_VENDOR'],
      assigneeId: 'me',
    });
    expect(ticketFilterFor({ ...base, queue: 'unassigned', priority: ['P1'] }, 'me', [])).toMatchObject({
      unassigned: true,
      priority: ['P1'],
    });
    expect(ticketFilterFor({ ...base, queue: 'waiting' }, 'me', [])).toEqual({
      status: ['PENDING_CUSTOMER', 'PENDING_VENDOR'],
    });
    expect(ticketFilterFor({ ...base, queue: 'all', search: 'erp' }, 'me', [])).toMatchObject({ search: 'erp' });
  });

  it('lists one of my groups at a time, and nothing when I am in none', () => {
    expect(ticketFilterFor({ ...base, queue: 'groups' }, 'me', ['g1', 'g2'])?.resolverGroupId).toBe('g1');
    expect(ticketFilterFor({ ...base, queue: 'groups', group: 'g2' }, 'me', ['g1', 'g2'])?.resolverGroupId).toBe('g2');
    expect(ticketFilterFor({ ...base, queue: 'groups', group: 'other' }, 'me', ['g1'])?.resolverGroupId).toBe('g1');
    expect(ticketFilterFor({ ...base, queue: 'groups' }, 'me', [])).toBeNull();
  });
});

describe('matchesLocally', () => {
  const ticket = {
    title: 'VPN drops every 10 minutes',
    description: 'Turin office',
    priority: 'P2' as const,
    class: 'INCIDENT' as const,
    status: 'IN_PROGRESS' as const,
    resolverGroup: { id: 'noc' },
  };
  const base = parseQueueState(params('queue=risk'));
  it('applies every given condition, words in any order', () => {
    expect(matchesLocally(ticket, base)).toBe(true);
    expect(matchesLocally(ticket, { ...base, search: 'turin vpn' })).toBe(true);
    expect(matchesLocally(ticket, { ...base, search: 'milan' })).toBe(false);
    expect(matchesLocally(ticket, { ...base, priority: ['P1'] })).toBe(false);
    expect(matchesLocally(ticket, { ...base, group: 'noc', class: ['INCIDENT'] })).toBe(true);
    expect(matchesLocally(ticket, { ...base, group: 'other' })).toBe(false);
  });
});

describe('reconcileQueue', () => {
  const t = (id: string, v = 1) => ({ id, v });
  it('keeps rows in place, updates them, flags the ones that left and holds back new ones', () => {
    const last = new Map([
      ['a', t('a')],
      ['b', t('b')],
      ['c', t('c')],
    ]);
    const out = reconcileQueue(['a', 'b', 'c'], [t('c', 2), t('d'), t('a', 2)], last);
    expect(out.rows).toEqual([
      { item: t('a', 2), gone: false },
      { item: t('b'), gone: true },
      { item: t('c', 2), gone: false },
    ]);
    expect(out.added).toEqual([t('d')]);
  });
});
