import { describe, expect, it } from 'vitest';
import { computePriority, DEFAULT_CELLS, DEFAULT_CRITICALITY, matrixProblems } from './priority.js';
import { missingInformation } from './verification.js';
import { allowedTransitions, canTransition, TRANSITIONS } from './workflow.js';

describe('priority', () => {
  it('follows the ITIL/ServiceNow 3×3 matrix', () => {
    const expected = { HIGH: ['P1', 'P2', 'P3'], MEDIUM: ['P2', 'P3', 'P4'], LOW: ['P3', 'P4', 'P5'] } as const;
    for (const impact of ['HIGH', 'MEDIUM', 'LOW'] as const) {
      (['HIGH', 'MEDIUM', 'LOW'] as const).forEach((urgency, i) => {
        expect(computePriority(DEFAULT_CELLS, DEFAULT_CRITICALITY, impact, urgency, null).priority).toBe(
          expected[impact][i],
        );
      });
    }
  });

  it('raises a critical service one level, lowers a low one, and clamps at P1 and P5', () => {
    expect(computePriority(DEFAULT_CELLS, DEFAULT_CRITICALITY, 'MEDIUM', 'MEDIUM', 'CRITICAL').priority).toBe('P2');
    expect(computePriority(DEFAULT_CELLS, DEFAULT_CRITICALITY, 'MEDIUM', 'MEDIUM', 'LOW').priority).toBe('P4');
    expect(computePriority(DEFAULT_CELLS, DEFAULT_CRITICALITY, 'HIGH', 'HIGH', 'CRITICAL').priority).toBe('P1');
    expect(computePriority(DEFAULT_CELLS, DEFAULT_CRITICALITY, 'LOW', 'LOW', 'LOW').priority).toBe('P5');
    expect(computePriority(DEFAULT_CELLS, DEFAULT_CRITICALITY, 'MEDIUM', 'MEDIUM', 'HIGH').explanation).toBe(
      'impact MEDIUM × urgency MEDIUM → P3; service criticality HIGH leaves it at P3',
    );
  });

  it('rejects incomplete matrices', () => {
    expect(matrixProblems(DEFAULT_CELLS, DEFAULT_CRITICALITY)).toEqual([]);
    const broken = { ...DEFAULT_CELLS, LOW: { HIGH: 'P9' } };
    expect(matrixProblems(broken, { ...DEFAULT_CRITICALITY, LOW: 7 }).map((p) => p.path.join('.'))).toEqual([
      'cells.LOW.HIGH',
      'cells.LOW.MEDIUM',
      'cells.LOW.LOW',
      'criticality.LOW',
    ]);
  });
});

describe('workflow', () => {
  it('never leaves CANCELLED and only reopens CLOSED into IN_PROGRESS', () => {
    expect(allowedTransitions('CANCELLED')).toEqual([]);
    expect(allowedTransitions('CLOSED')).toEqual(['IN_PROGRESS']);
  });
  it('cannot close anything that is not resolved', () => {
    for (const from of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      expect(canTransition(from, 'CLOSED')).toBe(from === 'RESOLVED');
    }
  });
});

describe('initial verification', () => {
  it('lists what each class needs', () => {
    expect(missingInformation({ class: 'INCIDENT', description: 'short', serviceId: null, category: null })).toEqual([
      'affected service',
      'a description of at least 20 characters',
    ]);
    expect(
      missingInformation({
        class: 'INFORMATION_REQUEST',
        description: 'What is the retention of backups?',
        serviceId: null,
        category: null,
      }),
    ).toEqual([]);
    expect(
      missingInformation({
        class: 'ACCESS_REQUEST',
        description: 'Please let me in to the ERP system today',
        serviceId: 's',
        category: null,
      }),
    ).toEqual(['which access, role or group is requested']);
  });
});
