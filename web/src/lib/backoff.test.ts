import { describe, expect, it } from 'vitest';
import { backoffDelay, waitForRetry } from './backoff';

describe('backoffDelay', () => {
  it('doubles per attempt between half and the full step', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { random: () => 1 })).toBe(1000);
    expect(backoffDelay(3, { random: () => 0 })).toBe(4000);
    expect(backoffDelay(3, { random: () => 1 })).toBe(8000);
  });

  it('is capped at about 30 s however many attempts failed', () => {
    for (const attempt of [5, 10, 50, 1000, Number.POSITIVE_INFINITY]) {
      const low = backoffDelay(attempt, { random: () => 0 });
      const high = backoffDelay(attempt, { random: () => 0.999999 });
      expect(low).toBe(15_000);
      expect(high).toBeLessThanOrEqual(30_000);
      expect(high).toBeGreaterThan(29_000);
    }
  });

  it('spreads clients that failed at the same moment', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(8000);
  });
});

describe('waitForRetry', () => {
  it('wakes early when the network comes back', async () => {
    const target = new EventTarget();
    const started = Date.now();
    const waiting = waitForRetry(60_000, target);
    target.dispatchEvent(new Event('online'));
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
