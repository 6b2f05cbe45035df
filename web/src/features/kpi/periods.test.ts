import { describe, expect, it } from 'vitest';
import { bucketsFor, presetWindow, startOfUtcDay } from './periods';

const NOW = Date.UTC(2026, 11, 4, 15, 30);

describe('KPI periods', () => {
  it('ends windows at the end of today and covers whole days', () => {
    expect(presetWindow('7d', NOW)).toEqual({
      from: new Date(Date.UTC(2026, 10, 28)),
      to: new Date(Date.UTC(2026, 11, 5)),
    });
    expect(startOfUtcDay(NOW)).toBe(Date.UTC(2026, 11, 4));
  });

  it('uses days up to two weeks and weeks beyond', () => {
    const w7 = presetWindow('7d', NOW);
    const days = bucketsFor(w7.from, w7.to);
    expect(days).toHaveLength(7);
    expect(days[0]?.label).toBe('28 Nov');
    expect(days.at(-1)?.to).toEqual(w7.to);
    const w30 = presetWindow('30d', NOW);
    const weeks = bucketsFor(w30.from, w30.to);
    expect(weeks).toHaveLength(4);
    expect(weeks[0]?.label).toBe('wk 7 Nov');
    expect(bucketsFor(w30.to, w30.from)).toEqual([]);
  });

  it('cuts a ragged last week short instead of running past the window', () => {
    const out = bucketsFor(new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 0, 20)));
    expect(out.map((b) => b.to.getUTCDate())).toEqual([8, 15, 20]);
  });
});
