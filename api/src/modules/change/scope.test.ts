import { describe, expect, it } from 'vitest';
import { approvalStatus, scopeFromRaci, stepsFor } from './scope.js';

describe('change scope', () => {
  it('comes from the teams Responsible for the domain, else those Accountable or Consulted', () => {
    const base = { consulted: [], informed: [] };
    expect(scopeFromRaci({ ...base, accountable: 'PLATFORM_CLOUD', responsible: ['PLATFORM_CLOUD'] }).scope).toBe(
      'PLATFORM',
    );
    expect(
      scopeFromRaci({ ...base, accountable: 'SECURITY_COMPLIANCE', responsible: ['WORKLOAD_APPLICATION'] }).scope,
    ).toBe('WORKLOAD');
    expect(
      scopeFromRaci({
        accountable: 'GOVERNANCE_RISK',
        responsible: ['SECURITY_COMPLIANCE'],
        consulted: ['PLATFORM_CLOUD', 'WORKLOAD_APPLICATION'],
        informed: [],
      }),
    ).toEqual({ scope: 'PLATFORM_AND_WORKLOAD', basis: 'Accountable or Consulted' });
    expect(
      scopeFromRaci({ ...base, accountable: 'GOVERNANCE_RISK', responsible: ['SECURITY_COMPLIANCE'] }).scope,
    ).toBeNull();
    expect(scopeFromRaci(null).scope).toBeNull();
  });

  it('requires the policy check always, and the Platform and/or application team by scope', () => {
    expect(stepsFor('PLATFORM')).toEqual(['PLATFORM_APPROVAL', 'POLICY_CHECK']);
    expect(stepsFor('WORKLOAD')).toEqual(['WORKLOAD_APPROVAL', 'POLICY_CHECK']);
    expect(stepsFor('PLATFORM_AND_WORKLOAD')).toEqual(['PLATFORM_APPROVAL', 'WORKLOAD_APPROVAL', 'POLICY_CHECK']);
    expect(stepsFor(null)).toEqual(['POLICY_CHECK']);
  });

  it('is approved only when every required step is, rejected by any rejection, and waits without a scope', () => {
    const approved = [
      { kind: 'PLATFORM_APPROVAL' as const, status: 'APPROVED' as const },
      { kind: 'POLICY_CHECK' as const, status: 'APPROVED' as const },
    ];
    expect(approvalStatus('PLATFORM', approved)).toBe('APPROVED');
    expect(approvalStatus('PLATFORM_AND_WORKLOAD', approved)).toBe('PENDING');
    expect(approvalStatus('PLATFORM', [approved[0]!, { kind: 'POLICY_CHECK', status: 'PENDING' }])).toBe('PENDING');
    expect(approvalStatus('PLATFORM', [approved[0]!, { kind: 'POLICY_CHECK', status: 'REJECTED' }])).toBe('REJECTED');
    expect(approvalStatus(null, [{ kind: 'POLICY_CHECK', status: 'APPROVED' }])).toBe('AWAITING_SCOPE');
  });
});
