import { describe, expect, it } from 'vitest';
import {
  type CellData,
  cellProblems,
  completenessProblems,
  diffMatrices,
  ownerPhrase,
  type RaciRow,
  raciByDomain,
  raciProblems,
  raciRows,
} from './matrix.js';

const cell = (domainId: string, serviceModel: CellData['serviceModel'], owner: CellData['owner']): CellData => ({
  domainId,
  serviceModel,
  owner,
  providerDuties: owner === 'CUSTOMER' ? '' : 'Operates the physical hosts.',
  customerDuties: owner === 'PROVIDER' ? '' : 'Patches the guest operating systems.',
});

const raci = (domainId: string): RaciRow[] =>
  raciRows(domainId, {
    accountable: 'PLATFORM_CLOUD',
    responsible: ['PLATFORM_CLOUD'],
    consulted: ['SECURITY_COMPLIANCE'],
    informed: [],
  });

describe('cells and RACI', () => {
  it('asks for the duties of whoever carries the domain', () => {
    expect(
      cellProblems({ owner: 'PROVIDER', providerDuties: 'Runs the hosts and network.', customerDuties: '' }),
    ).toEqual([]);
    expect(
      cellProblems({ owner: 'SHARED', providerDuties: 'Runs the hosts and network.', customerDuties: '' }),
    ).toEqual(["describe the customer's duties (at least 10 characters)"]);
    expect(cellProblems({ owner: 'CUSTOMER', providerDuties: '', customerDuties: 'short' })).toHaveLength(1);
  });

  it('needs exactly one Accountable and at least one Responsible, without overlapping C/I', () => {
    expect(
      raciProblems({
        accountable: 'GOVERNANCE_RISK',
        responsible: ['SECURITY_COMPLIANCE'],
        consulted: [],
        informed: [],
      }),
    ).toEqual([]);
    expect(raciProblems({ accountable: null, responsible: [], consulted: [], informed: [] })).toEqual([
      'name exactly one Accountable role',
      'name at least one Responsible role',
    ]);
    expect(
      raciProblems({
        accountable: 'PLATFORM_CLOUD',
        responsible: ['PLATFORM_CLOUD'],
        consulted: ['PLATFORM_CLOUD'],
        informed: [],
      }),
    ).toEqual(['PLATFORM_CLOUD cannot be Consulted/Informed and also R or A']);
  });

  it('round-trips a domain RACI through rows, Responsible roles in routing precedence', () => {
    const rows = raciRows('d', {
      accountable: 'GOVERNANCE_RISK',
      responsible: ['OPERATIONS_INCIDENT', 'SECURITY_COMPLIANCE'],
      consulted: ['PLATFORM_CLOUD'],
      informed: ['WORKLOAD_APPLICATION'],
    });
    expect(rows).toHaveLength(5);
    expect(raciByDomain(rows).get('d')).toEqual({
      accountable: 'GOVERNANCE_RISK',
      responsible: ['SECURITY_COMPLIANCE', 'OPERATIONS_INCIDENT'],
      consulted: ['PLATFORM_CLOUD'],
      informed: ['WORKLOAD_APPLICATION'],
    });
  });

  it('reports every missing cell and RACI of every active domain', () => {
    const domains = [
      { id: 'a', key: 'alpha' },
      { id: 'b', key: 'beta' },
    ];
    const cells = [
      cell('a', 'IAAS', 'SHARED'),
      cell('a', 'PAAS', 'PROVIDER'),
      cell('a', 'SAAS', 'PROVIDER'),
      cell('b', 'IAAS', 'CUSTOMER'),
    ];
    const problems = completenessProblems(domains, cells, raci('a'));
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'cells.beta.PAAS',
      'cells.beta.SAAS',
      'raci.beta',
      'raci.beta',
    ]);
    expect(completenessProblems(domains.slice(0, 1), cells, raci('a'))).toEqual([]);
  });
});

describe('diff', () => {
  const v1 = {
    cells: [cell('a', 'IAAS', 'SHARED'), cell('a', 'PAAS', 'PROVIDER'), cell('b', 'IAAS', 'CUSTOMER')],
    raci: raci('a'),
  };

  it('is empty between equal versions', () => {
    expect(diffMatrices(v1, { cells: [...v1.cells].reverse(), raci: [...v1.raci] })).toEqual({ cells: [], raci: [] });
  });

  it('lists added, removed and changed cells with the fields that changed, in domain order', () => {
    const v2 = {
      cells: [
        { ...cell('a', 'IAAS', 'SHARED'), customerDuties: 'Patches guest operating systems and runs the firewalls.' },
        cell('a', 'PAAS', 'SHARED'),
        cell('c', 'SAAS', 'PROVIDER'),
      ],
      raci: raciRows('a', {
        accountable: 'SECURITY_COMPLIANCE',
        responsible: ['PLATFORM_CLOUD'],
        consulted: [],
        informed: [],
      }),
    };
    const diff = diffMatrices(v1, v2, ['c', 'b', 'a']);
    expect(diff.cells.map((c) => [c.domainId, c.serviceModel, c.kind, c.fields])).toEqual([
      ['c', 'SAAS', 'ADDED', []],
      ['b', 'IAAS', 'REMOVED', []],
      ['a', 'IAAS', 'CHANGED', ['customerDuties']],
      ['a', 'PAAS', 'CHANGED', ['owner', 'customerDuties']],
    ]);
    expect(diff.raci).toEqual([
      { domainId: 'a', role: 'PLATFORM_CLOUD', before: ['RESPONSIBLE', 'ACCOUNTABLE'], after: ['RESPONSIBLE'] },
      { domainId: 'a', role: 'SECURITY_COMPLIANCE', before: ['CONSULTED'], after: ['ACCOUNTABLE'] },
    ]);
  });

  it('names the owner in words', () => {
    expect(ownerPhrase('PROVIDER', 'Microsoft Azure')).toBe('owned by the provider, Microsoft Azure');
    expect(ownerPhrase('CUSTOMER', 'Microsoft Azure')).toBe('owned by the customer organisation');
  });
});
