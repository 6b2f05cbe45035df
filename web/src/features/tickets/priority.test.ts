import { describe, expect, it } from 'vitest';
import { previewPriority } from './priority';

const matrix = {
  cells: [
    { impact: 'HIGH', urgency: 'HIGH', priority: 'P1' },
    { impact: 'HIGH', urgency: 'MEDIUM', priority: 'P2' },
    { impact: 'MEDIUM', urgency: 'MEDIUM', priority: 'P3' },
    { impact: 'LOW', urgency: 'LOW', priority: 'P5' },
  ] as const,
  criticality: [
    { criticality: 'CRITICAL', levels: -1 },
    { criticality: 'HIGH', levels: 0 },
    { criticality: 'LOW', levels: 1 },
  ] as const,
};

describe('previewPriority', () => {
  it('reads the matrix and explains itself as the server does', () => {
    expect(previewPriority(matrix, 'MEDIUM', 'MEDIUM', null)).toEqual({
      priority: 'P3',
      reason: 'impact MEDIUM × urgency MEDIUM → P3',
    });
    expect(previewPriority(matrix, 'MEDIUM', 'MEDIUM', 'CRITICAL')).toEqual({
      priority: 'P2',
      reason: 'impact MEDIUM × urgency MEDIUM → P3; service criticality CRITICAL (-1) → P2',
    });
  });

  it('never goes beyond P1 or P5', () => {
    expect(previewPriority(matrix, 'HIGH', 'HIGH', 'CRITICAL')?.priority).toBe('P1');
    expect(previewPriority(matrix, 'LOW', 'LOW', 'LOW')?.priority).toBe('P5');
    expect(previewPriority(matrix, 'LOW', 'HIGH', null)).toBeNull();
  });
});
