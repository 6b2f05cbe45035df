import { describe, expect, it } from 'vitest';
import { formatCountdown, formatDuration, formatUpdatedAgo, freshness } from './time';

const T = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('formatUpdatedAgo', () => {
  it('says so before the first update', () => {
    expect(formatUpdatedAgo(null, T)).toBe('waiting for data');
  });

  it('counts whole seconds below a minute', () => {
    expect(formatUpdatedAgo(T, T)).toBe('updated 0 s ago');
    expect(formatUpdatedAgo(T - 999, T)).toBe('updated 0 s ago');
    expect(formatUpdatedAgo(T - 1000, T)).toBe('updated 1 s ago');
    expect(formatUpdatedAgo(T - 59_999, T)).toBe('updated 59 s ago');
  });

  it('switches to minutes, hours and days', () => {
    expect(formatUpdatedAgo(T - 60_000, T)).toBe('updated 1 min ago');
    expect(formatUpdatedAgo(T - 59 * 60_000 - 59_000, T)).toBe('updated 59 min ago');
    expect(formatUpdatedAgo(T - 3_600_000, T)).toBe('updated 1 h ago');
    expect(formatUpdatedAgo(T - 47 * 3_600_000, T)).toBe('updated 47 h ago');
    expect(formatUpdatedAgo(T - 72 * 3_600_000, T)).toBe('updated 3 d ago');
  });

  it('never goes negative when the device clock steps back', () => {
    expect(formatUpdatedAgo(T + 5000, T)).toBe('updated 0 s ago');
  });
});

describe('freshness', () => {
  it('grades the age against the expected interval', () => {
    expect(freshness(null, T, 1000)).toBe('stale');
    expect(freshness(T - 2000, T, 1000)).toBe('fresh');
    expect(freshness(T - 2600, T, 1000)).toBe('late');
    expect(freshness(T - 10_000, T, 1000)).toBe('late');
    expect(freshness(T - 10_001, T, 1000)).toBe('stale');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [0.2, '1 s'],
    [45, '45 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [900, '15 min'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [-3, '0:00'],
    [5, '0:05'],
    [65.2, '1:06'],
    [899, '14:59'],
    [3723, '1:02:03'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text);
  });
});
