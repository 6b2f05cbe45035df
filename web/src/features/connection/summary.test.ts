import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../lib/connection';
import { summarizeConnection } from './summary';

const NOW = 1_700_000_000_000;
const base: ConnectionState = {
  status: 'connected',
  since: NOW - 60_000,
  lastMessageAt: NOW - 500,
  lastDataAt: NOW - 500,
  attempt: 0,
  nextRetryAt: null,
  lastClose: null,
  activeSubscriptions: 1,
};

describe('summarizeConnection', () => {
  it('is quiet while live', () => {
    expect(summarizeConnection(base, NOW, 1000)).toEqual({
      tone: 'ok',
      label: 'Live',
      updated: 'updated 0 s ago',
      problem: null,
    });
  });

  it('warns when connected but data stopped arriving', () => {
    const late = summarizeConnection({ ...base, lastDataAt: NOW - 4000 }, NOW, 1000);
    expect(late).toMatchObject({ tone: 'warn', label: 'Live', problem: null });
    const stale = summarizeConnection({ ...base, lastDataAt: NOW - 45_000 }, NOW, 1000);
    expect(stale).toMatchObject({ tone: 'warn', label: 'No updates', updated: 'updated 45 s ago' });
    expect(stale.problem).toContain('no updates are arriving');
  });

  it('shows a disconnected banner with the retry countdown and the age of the data', () => {
    const s = summarizeConnection(
      {
        ...base,
        status: 'disconnected',
        lastClose: { code: 1006, reason: '' },
        nextRetryAt: NOW + 12_000,
        lastDataAt: NOW - 90_000,
      },
      NOW,
      1000,
    );
    expect(s).toMatchObject({ tone: 'bad', label: 'Disconnected', updated: 'updated 1 min ago' });
    expect(s.problem).toBe('Connection lost. Reconnecting in 12 s. Last update 1 min ago.');
  });

  it('keeps the banner up while a reconnect attempt is under way', () => {
    const s = summarizeConnection({ ...base, status: 'connecting', lastClose: { code: 1006, reason: '' } }, NOW, 1000);
    expect(s.tone).toBe('bad');
    expect(s.problem).toBe('Connection lost. Reconnecting… Last update 0 s ago.');
  });

  it('explains refused and missing credentials', () => {
    const refused = summarizeConnection(
      { ...base, status: 'disconnected', lastClose: { code: 4403, reason: 'Forbidden' } },
      NOW,
      1000,
    );
    expect(refused).toMatchObject({ label: 'Access refused', tone: 'bad' });
    expect(refused.problem).toBe('Access refused: the wallboard token is invalid, expired or revoked. Retrying…');
    const missing = summarizeConnection(
      { ...base, status: 'disconnected', lastClose: { code: 4401, reason: 'Unauthorized' } },
      NOW,
      1000,
    );
    expect(missing.label).toBe('Not signed in');
  });

  it('shows a neutral "connecting" on first load instead of an alarm', () => {
    const s = summarizeConnection({ ...base, status: 'connecting', lastDataAt: null, lastMessageAt: null }, NOW, 1000);
    expect(s).toEqual({ tone: 'neutral', label: 'Connecting…', updated: 'waiting for data', problem: null });
  });
});
