import { describe, expect, it } from 'vitest';
import { fitCount, formatCapped, formatPercent, formatRating, formatSpan, slotsFor } from './format';

describe('wallboard figures', () => {
  it('formats rates, spans and ratings short', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.9962)).toBe('99.6%');
    expect(formatPercent(0.873)).toBe('87%');
    expect(formatPercent(0.054)).toBe('5.4%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatSpan(42)).toBe('42 s');
    expect(formatSpan(2700)).toBe('45 min');
    expect(formatSpan(3 * 3600 + 720)).toBe('3.2 h');
    expect(formatSpan(30 * 3600)).toBe('30 h');
    expect(formatSpan(3 * 86_400)).toBe('3.0 d');
    expect(formatSpan(null)).toBe('—');
    expect(formatRating(4.25)).toBe('4.3');
    expect(formatCapped(12, 30)).toBe('12');
    expect(formatCapped(30, 30)).toBe('30+');
  });
});

describe('fitCount', () => {
  it('counts whole rows including gaps', () => {
    expect(fitCount(700, 70, 0)).toBe(10);
    expect(fitCount(699, 70, 0)).toBe(9);
    expect(fitCount(700, 64, 8)).toBe(9);
    expect(fitCount(0, 70)).toBe(0);
    expect(fitCount(500, 0)).toBe(0);
  });
});

describe('slotsFor', () => {
  it('fills the slots and keeps the last one for "N more"', () => {
    expect(slotsFor([1, 2, 3], 5)).toEqual({ shown: [1, 2, 3], more: 0 });
    expect(slotsFor([1, 2, 3], 3)).toEqual({ shown: [1, 2, 3], more: 0 });
    expect(slotsFor([1, 2, 3, 4, 5], 3)).toEqual({ shown: [1, 2], more: 3 });
    expect(slotsFor([1, 2], 0)).toEqual({ shown: [], more: 2 });
  });
});
