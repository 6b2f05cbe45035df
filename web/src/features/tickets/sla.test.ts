import { describe, expect, it } from 'vitest';
import { mostUrgent, slaStanding } from './sla';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('slaStanding', () => {
  it('counts down a running target and turns to warn when due soon or mostly used', () => {
    expect(slaStanding({ state: 'RUNNING', dueAt: at(3 * 3600), targetSeconds: 4 * 3600 }, NOW)).toEqual({
      tone: 'ok',
      remainingSeconds: 3 * 3600,
      text: '3:00:00 left',
    });
    expect(slaStanding({ state: 'RUNNING', dueAt: at(3 * 3600), targetSeconds: 24 * 3600 }, NOW).tone).toBe('warn');
    expect(slaStanding({ state: 'RUNNING', dueAt: at(20 * 3600), targetSeconds: 24 * 3600 }, NOW).tone).toBe('ok');
    expect(slaStanding({ state: 'RUNNING', dueAt: at(29 * 60), targetSeconds: 24 * 3600 }, NOW)).toMatchObject({
      tone: 'warn',
      text: '29:00 left',
    });
  });

  it('shows a running target past its due time as overdue before the server says so', () => {
    expect(slaStanding({ state: 'RUNNING', dueAt: at(-65), targetSeconds: 900 }, NOW)).toEqual({
      tone: 'bad',
      remainingSeconds: -65,
      text: 'overdue 1:05',
    });
  });

  it('labels breached, paused, met and absent targets', () => {
    expect(slaStanding({ state: 'BREACHED', dueAt: at(-3723) }, NOW).text).toBe('overdue 1:02:03');
    expect(slaStanding({ state: 'BREACHED', dueAt: null }, NOW).text).toBe('breached');
    expect(slaStanding({ state: 'RUNNING', dueAt: at(59 * 3600 + 26 * 60), targetSeconds: 72 * 3600 }, NOW).text).toBe(
      '2 d 11 h left',
    );
    expect(slaStanding({ state: 'PAUSED', dueAt: null }, NOW).tone).toBe('paused');
    expect(slaStanding({ state: 'MET', dueAt: at(-10) }, NOW).tone).toBe('done');
    expect(slaStanding({ state: 'NOT_APPLICABLE' }, NOW).tone).toBe('none');
  });
});

describe('mostUrgent', () => {
  it('prefers breached, then at risk, then the soonest due, and skips met targets', () => {
    const fr = { kind: 'FIRST_RESPONSE', state: 'MET' as const, dueAt: at(-100) };
    const res = { kind: 'RESOLUTION', state: 'RUNNING' as const, dueAt: at(7200), targetSeconds: 86_400 };
    const upd = { kind: 'NEXT_UPDATE', state: 'RUNNING' as const, dueAt: at(600), targetSeconds: 3600 };
    expect(mostUrgent([fr, res, upd], NOW)?.kind).toBe('NEXT_UPDATE');
    const late = { kind: 'RESOLUTION', state: 'BREACHED' as const, dueAt: at(-5) };
    expect(mostUrgent([upd, late], NOW)?.kind).toBe('RESOLUTION');
    expect(mostUrgent([fr], NOW)).toBeNull();
  });
});
