/**
 * The application's clock. Services take a `Clock` parameter; this is the default one. When ENABLE_TEST_CLOCK is
 * set (never in production), an admin-only mutation can shift it forward, so end-to-end tests can watch an SLA
 * breach happen without waiting hours.
 */
export interface Clock {
  now(): Date;
}

let offsetMs = 0;

export const appClock: Clock = {
  now: () => new Date(Date.now() + offsetMs),
};

export function testClockEnabled(): boolean {
  return process.env.ENABLE_TEST_CLOCK === 'true';
}

export function shiftAppClock(ms: number): number {
  if (!testClockEnabled()) throw new Error('the test clock is disabled (set ENABLE_TEST_CLOCK=true)');
  offsetMs += ms;
  return offsetMs;
}

export function appClockOffsetMs(): number {
  return offsetMs;
}
