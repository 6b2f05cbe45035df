import type { Client, Sink } from 'graphql-ws';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionMonitor } from './connection';
import { graphqlWsUrl, isCloseEventLike, resilientSubscribe, trackCursor } from './ws';

describe('graphqlWsUrl', () => {
  it('follows the page protocol and host', () => {
    expect(graphqlWsUrl({ protocol: 'http:', host: 'localhost:4000' })).toBe('ws://localhost:4000/graphql');
    expect(graphqlWsUrl({ protocol: 'https:', host: 'itsm.example.com' })).toBe('wss://itsm.example.com/graphql');
  });
});

describe('isCloseEventLike', () => {
  it('recognises close events but not GraphQL error arrays', () => {
    expect(isCloseEventLike({ code: 4500, reason: 'boom' })).toBe(true);
    expect(isCloseEventLike([{ message: 'Not authorized' }])).toBe(false);
    expect(isCloseEventLike(new Error('x'))).toBe(false);
  });
});

/** A graphql-ws client stand-in whose subscriptions the test drives by hand. */
function fakeClient() {
  const sinks: Sink[] = [];
  const disposed: number[] = [];
  const listeners: Record<string, (() => void)[]> = {};
  const client = {
    subscribe: vi.fn((_payload: unknown, sink: Sink) => {
      const index = sinks.push(sink) - 1;
      return () => disposed.push(index);
    }),
    on: vi.fn((event: string, listener: () => void) => {
      listeners[event] = [...(listeners[event] ?? []), listener];
      return () => {
        listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
      };
    }),
    emit: (event: string) => {
      for (const l of listeners[event] ?? []) l();
    },
    listenerCount: (event: string) => (listeners[event] ?? []).length,
  };
  return { client: client as unknown as Pick<Client, 'subscribe' | 'on'> & typeof client, sinks, disposed };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('resilientSubscribe', () => {
  it('resubscribes after a close that graphql-ws treats as fatal, with growing delays', async () => {
    const { client, sinks } = fakeClient();
    const monitor = new ConnectionMonitor();
    const delays: number[] = [];
    const sink = { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
    resilientSubscribe(client, { query: 'subscription { serverClock }' }, sink, {
      monitor,
      delay: (attempt) => (attempt + 1) * 1000,
      wait: async (ms) => {
        delays.push(ms);
      },
    });
    sinks[0]?.error({ code: 4500, reason: 'Internal server error' });
    await flush();
    sinks[1]?.error({ code: 4500, reason: 'Internal server error' });
    await flush();
    expect(client.subscribe).toHaveBeenCalledTimes(3);
    expect(delays).toEqual([1000, 2000]);
    expect(sink.error).not.toHaveBeenCalled();
    expect(monitor.getState().attempt).toBe(2);

    client.emit('connected');
    sinks[2]?.error({ code: 4500, reason: 'again' });
    await flush();
    expect(delays).toEqual([1000, 2000, 1000]);

    sinks[3]?.next({ data: { serverClock: '2025-01-01T00:00:00Z' } });
    expect(sink.next).toHaveBeenCalledWith({ data: { serverClock: '2025-01-01T00:00:00Z' } });
  });

  it('passes GraphQL errors through: retrying a refused operation would not help', () => {
    const { client, sinks } = fakeClient();
    const sink = { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
    resilientSubscribe(client, { query: 'subscription { x }' }, sink, { wait: async () => {} });
    const errors = [{ message: 'Not authorized', extensions: { code: 'FORBIDDEN' } }];
    sinks[0]?.error(errors);
    expect(sink.error).toHaveBeenCalledWith(errors);
    expect(client.subscribe).toHaveBeenCalledTimes(1);
  });

  it('stops for good when unsubscribed, even with a retry pending', async () => {
    const { client, sinks, disposed } = fakeClient();
    const monitor = new ConnectionMonitor();
    let release: () => void = () => {};
    const sink = { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
    const unsubscribe = resilientSubscribe(client, { query: 'subscription { x }' }, sink, {
      monitor,
      wait: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    });
    expect(monitor.getState().activeSubscriptions).toBe(1);
    sinks[0]?.error({ code: 1011, reason: 'x' });
    unsubscribe();
    release();
    await flush();
    expect(client.subscribe).toHaveBeenCalledTimes(1);
    expect(disposed).toEqual([0]);
    expect(client.listenerCount('connected')).toBe(0);
    expect(monitor.getState().activeSubscriptions).toBe(0);
    unsubscribe();
    expect(monitor.getState().activeSubscriptions).toBe(0);
  });
});

describe('trackCursor', () => {
  it('resubscribes after the last cursor seen, so a reconnect replays only what was missed', async () => {
    const { client, sinks } = fakeClient();
    const sent: unknown[] = [];
    client.subscribe.mockImplementation(((payload: { variables?: unknown }, sink: Sink) => {
      sent.push(JSON.parse(JSON.stringify(payload.variables)));
      sinks.push(sink);
      return () => 0;
    }) as never);
    const payload = { query: 'subscription($after: String) { ticketEvents(after: $after) { cursor } }', variables: {} };
    const sink = { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
    resilientSubscribe(
      client,
      payload,
      trackCursor<{ ticketEvents: { cursor: string } }>(payload, sink, (d) => d.ticketEvents.cursor),
      { delay: () => 0, wait: async () => {} },
    );
    sinks[0]?.next({ data: { ticketEvents: { cursor: 'c1' } } });
    sinks[0]?.next({ data: { ticketEvents: { cursor: 'c2' } } });
    sinks[0]?.error({ code: 1011, reason: 'gone' });
    await flush();
    expect(sent).toEqual([{}, { after: 'c2' }]);
    expect(sink.next).toHaveBeenCalledTimes(2);
  });
});
