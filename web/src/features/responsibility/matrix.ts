import type { OrganizationalRole, ResponsibilityParty, ServiceModel } from '../../gql/graphql';

export const SERVICE_MODELS: ServiceModel[] = ['IAAS', 'PAAS', 'SAAS'];
export const SERVICE_MODEL_LABEL: Record<ServiceModel, string> = { IAAS: 'IaaS', PAAS: 'PaaS', SAAS: 'SaaS' };
export const PARTIES: ResponsibilityParty[] = ['PROVIDER', 'SHARED', 'CUSTOMER'];
export const PARTY_LABEL: Record<ResponsibilityParty, string> = {
  PROVIDER: 'Provider',
  SHARED: 'Shared',
  CUSTOMER: 'Customer',
};
/** Shapes as well as colours: ■ provider, ◧ shared, □ customer. */
export const PARTY_ICON: Record<ResponsibilityParty, string> = { PROVIDER: '■', SHARED: '◧', CUSTOMER: '□' };

export const ROLE_SHORT: Record<OrganizationalRole, string> = {
  PLATFORM_CLOUD: 'Platform / cloud',
  WORKLOAD_APPLICATION: 'Workload / application',
  SECURITY_COMPLIANCE: 'Security & compliance',
  GOVERNANCE_RISK: 'Governance & risk',
  OPERATIONS_INCIDENT: 'Operations & incident response',
};

export interface CellLike {
  domain: { key: string };
  serviceModel: ServiceModel;
  owner: ResponsibilityParty;
  providerDuties: string;
  customerDuties: string;
}

/** The cells as a lookup: domain key → service model → cell. */
export function cellIndex<C extends CellLike>(cells: readonly C[]): Map<string, Map<ServiceModel, C>> {
  const index = new Map<string, Map<ServiceModel, C>>();
  for (const cell of cells) {
    const row = index.get(cell.domain.key) ?? new Map<ServiceModel, C>();
    row.set(cell.serviceModel, cell);
    index.set(cell.domain.key, row);
  }
  return index;
}

export interface RaciLike {
  domain: { key: string };
  accountable?: OrganizationalRole | null;
  responsible: readonly OrganizationalRole[];
  consulted: readonly OrganizationalRole[];
  informed: readonly OrganizationalRole[];
}

/** The RACI letters of one role for one domain, e.g. "A R" or "C"; "" when the role has no part. */
export function raciLetters(raci: RaciLike | undefined, role: OrganizationalRole): string {
  if (!raci) return '';
  const letters: string[] = [];
  if (raci.accountable === role) letters.push('A');
  if (raci.responsible.includes(role)) letters.push('R');
  if (raci.consulted.includes(role)) letters.push('C');
  if (raci.informed.includes(role)) letters.push('I');
  return letters.join(' ');
}

/** What a governance member may do with a version in its status. */
export function governanceActions(status: string): ('edit' | 'approve' | 'reject' | 'publish')[] {
  if (status === 'DRAFT') return ['edit', 'approve', 'reject'];
  if (status === 'APPROVED') return ['publish'];
  return [];
}
