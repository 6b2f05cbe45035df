import { describe, expect, it } from 'vitest';
import { formatOverdue, watchList } from './watch';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const t = (number: string, dueInSeconds: number, extra = {}) => ({
  ticketId: `id-${number}`,
  number,
  title: `title ${number}`,
  priority: 'P2',
  status: 'IN_PROGRESS',
  target: 'RESOLUTION',
  dueAt: new Date(NOW + dueInSeconds * 1000).toISOString(),
  organizationName: 'Acme',
  ...extra,
});

describe('watchList', () => {
  it('puts breached first, then at risk by due time, with countdowns on the server clock', () => {
    const rows = watchList([t('INC-3', -3723)], [t('INC-2', 600), t('INC-1', 65)], NOW);
    expect(rows.map((r) => [r.number, r.breached, r.countdown])).toEqual([
      ['INC-3', true, '+1h 02m'],
      ['INC-1', false, '1:05'],
      ['INC-2', false, '10:00'],
    ]);
  });

  it('turns an at-risk target breached the moment its countdown passes zero', () => {
    const rows = watchList([], [t('INC-1', 65)], NOW + 70_000);
    expect(rows[0]).toMatchObject({ breached: true, countdown: '+0:05', remaining: -5 });
  });

  it('shows a ticket once, by its most urgent target, and counts the others', () => {
    const rows = watchList(
      [t('INC-1', -5)],
      [t('INC-1', -5), t('INC-1', 300, { target: 'NEXT_UPDATE' }), t('INC-2', 100)],
      NOW,
    );
    expect(rows.map((r) => [r.number, r.target, r.otherTargets])).toEqual([
      ['INC-1', 'RESOLUTION', 1],
      ['INC-2', 'RESOLUTION', 0],
    ]);
  });
});

describe('formatOverdue', () => {
  it('stays within seven characters however late', () => {
    expect(formatOverdue(65)).toBe('+1:05');
    expect(formatOverdue(3599)).toBe('+59:59');
    expect(formatOverdue(3 * 3600 + 46 * 60 + 16)).toBe('+3h 46m');
    expect(formatOverdue(2 * 86_400 + 4 * 3600)).toBe('+2d 4h');
    for (const s of [0, 59, 3600, 36_000, 86_399, 9 * 86_400 + 23 * 3600])
      expect(formatOverdue(s).length).toBeLessThanOrEqual(7);
  });
});
