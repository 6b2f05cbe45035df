import { describe, expect, it } from 'vitest';
import { cellIndex, governanceActions, raciLetters } from './matrix';

describe('responsibility matrix helpers', () => {
  it('indexes cells by domain and service model', () => {
    const cell = (domain: string, serviceModel: 'IAAS' | 'SAAS', owner: 'PROVIDER' | 'CUSTOMER') => ({
      domain: { key: domain },
      serviceModel,
      owner,
      providerDuties: '',
      customerDuties: '',
    });
    const index = cellIndex([cell('backup', 'IAAS', 'CUSTOMER'), cell('backup', 'SAAS', 'PROVIDER')]);
    expect(index.get('backup')?.get('IAAS')?.owner).toBe('CUSTOMER');
    expect(index.get('backup')?.get('SAAS')?.owner).toBe('PROVIDER');
    expect(index.get('backup')?.get('PAAS' as 'IAAS')).toBeUndefined();
  });

  it('spells out a role’s RACI letters', () => {
    const raci = {
      domain: { key: 'iam' },
      accountable: 'SECURITY_COMPLIANCE' as const,
      responsible: ['SECURITY_COMPLIANCE' as const, 'PLATFORM_CLOUD' as const],
      consulted: ['GOVERNANCE_RISK' as const],
      informed: [],
    };
    expect(raciLetters(raci, 'SECURITY_COMPLIANCE')).toBe('A R');
    expect(raciLetters(raci, 'PLATFORM_CLOUD')).toBe('R');
    expect(raciLetters(raci, 'GOVERNANCE_RISK')).toBe('C');
    expect(raciLetters(raci, 'OPERATIONS_INCIDENT')).toBe('');
    expect(raciLetters(undefined, 'OPERATIONS_INCIDENT')).toBe('');
  });

  it('offers the governance steps a status allows', () => {
    expect(governanceActions('DRAFT')).toEqual(['edit', 'approve', 'reject']);
    expect(governanceActions('APPROVED')).toEqual(['publish']);
    expect(governanceActions('PUBLISHED')).toEqual([]);
  });
});
