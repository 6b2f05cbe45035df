import { describe, expect, it } from 'vitest';
import { ConnectionMonitor } from './connection';

function monitorAt(start = 1_000_000) {
  let now = start;
  const monitor = new ConnectionMonitor(() => now);
  return { monitor, advance: (ms: number) => (now += ms) };
}

describe('ConnectionMonitor', () => {
  it('goes idle → connecting → connected and notifies subscribers', () => {
    const { monitor, advance } = monitorAt();
    const seen: string[] = [];
    monitor.subscribe(() => seen.push(monitor.getState().status));
    expect(monitor.getState().status).toBe('idle');
    monitor.subscriptionStarted();
    monitor.connecting();
    advance(200);
    monitor.connected();
    expect(monitor.getState()).toMatchObject({
      status: 'connected',
      since: 1_000_200,
      attempt: 0,
      activeSubscriptions: 1,
    });
    expect(seen).toEqual(['idle', 'connecting', 'connected']);
  });

  it('tells data frames from keep-alive frames', () => {
    const { monitor, advance } = monitorAt();
    monitor.connected();
    advance(1000);
    monitor.message('next');
    advance(5000);
    monitor.message('ping');
    expect(monitor.getState().lastDataAt).toBe(1_001_000);
    expect(monitor.getState().lastMessageAt).toBe(1_006_000);
  });

  it('reports a lost connection with its close code and the next retry', () => {
    const { monitor, advance } = monitorAt();
    monitor.subscriptionStarted();
    monitor.connected();
    advance(1000);
    monitor.closed(1006, '');
    monitor.retryScheduled(4000);
    expect(monitor.getState()).toMatchObject({
      status: 'disconnected',
      lastClose: { code: 1006, reason: '' },
      attempt: 1,
      nextRetryAt: 1_005_000,
    });
    monitor.connecting();
    monitor.closed(4403, 'Forbidden');
    monitor.retryScheduled(8000);
    expect(monitor.getState()).toMatchObject({ status: 'disconnected', attempt: 2, lastClose: { code: 4403 } });
    monitor.connecting();
    monitor.connected();
    expect(monitor.getState()).toMatchObject({ status: 'connected', attempt: 0, lastClose: null, nextRetryAt: null });
  });

  it('treats the lazy close of an unused socket as idle, not as an outage', () => {
    const { monitor } = monitorAt();
    monitor.subscriptionStarted();
    monitor.connected();
    monitor.subscriptionEnded();
    monitor.closed(1000, 'Normal Closure');
    expect(monitor.getState()).toMatchObject({ status: 'idle', lastClose: null, activeSubscriptions: 0 });
  });

  it('keeps the same state object while nothing changes, as useSyncExternalStore requires', () => {
    const { monitor } = monitorAt();
    expect(monitor.getState()).toBe(monitor.getState());
  });
});

describe('watchReconnects', () => {
  it('fires when the connection comes back after a loss, not on the first connect', async () => {
    const { watchReconnects } = await import('./connection');
    const { monitor } = monitorAt();
    let calls = 0;
    const stop = watchReconnects(monitor, () => calls++);
    monitor.subscriptionStarted();
    monitor.connecting();
    monitor.connected();
    expect(calls).toBe(0);
    monitor.closed(1006, '');
    monitor.retryScheduled(1000);
    monitor.connecting();
    monitor.connected();
    monitor.message('next');
    expect(calls).toBe(1);
    stop();
    monitor.closed(1006, '');
    monitor.connected();
    expect(calls).toBe(1);
  });
});
