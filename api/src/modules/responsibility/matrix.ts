import type { FieldIssue } from '../../errors.js';
import type {
  OrganizationalRole,
  RaciLetter,
  ResponsibilityParty,
  ServiceModel,
} from '../../generated/prisma/enums.js';

/** Pure rules of the shared-responsibility matrix: completeness, RACI, diffs and explanations. */

export const SERVICE_MODELS: readonly ServiceModel[] = ['IAAS', 'PAAS', 'SAAS'];
export const SERVICE_MODEL_LABEL: Record<ServiceModel, string> = { IAAS: 'IaaS', PAAS: 'PaaS', SAAS: 'SaaS' };

/**
 * The organisational roles of the requirements, in routing precedence: when several roles are Responsible for a
 * domain, tickets go to the first of them that has a resolver group.
 */
export const ROLE_ORDER: readonly OrganizationalRole[] = [
  'PLATFORM_CLOUD',
  'WORKLOAD_APPLICATION',
  'SECURITY_COMPLIANCE',
  'OPERATIONS_INCIDENT',
  'GOVERNANCE_RISK',
];

export const ROLE_INFO: Record<OrganizationalRole, { name: string; description: string }> = {
  PLATFORM_CLOUD: {
    name: 'Platform/Cloud team',
    description:
      'Designs, implements and manages the core cloud infrastructure: network configuration, platform security baselines, monitoring frameworks; keeps environments compliant with policies and technical standards.',
  },
  WORKLOAD_APPLICATION: {
    name: 'Workload/Application team',
    description:
      'Owns the design, security and operation of specific workloads: application configuration, secure coding, updates and lifecycle; data classification, protection, retention and deletion.',
  },
  SECURITY_COMPLIANCE: {
    name: 'Security and compliance team',
    description:
      'Defines security policies, standards and regulatory controls; risk assessments and compliance oversight; identity and access management policies, encryption standards and mandatory controls.',
  },
  GOVERNANCE_RISK: {
    name: 'Governance and risk management',
    description:
      'Maintains the cloud governance framework including the shared-responsibility matrix; keeps operations aligned with legal, regulatory and organisational requirements; coordinates reviews and audits.',
  },
  OPERATIONS_INCIDENT: {
    name: 'Operations and incident response team',
    description:
      'Monitors cloud environments and workloads; runs incident response (triage, remediation, coordination with the provider) and the execution of change management policies.',
  },
};

export const PARTY_LABEL: Record<ResponsibilityParty, string> = {
  PROVIDER: 'the provider',
  CUSTOMER: 'the customer organisation',
  SHARED: 'shared',
};

export interface CellData {
  domainId: string;
  serviceModel: ServiceModel;
  owner: ResponsibilityParty;
  providerDuties: string;
  customerDuties: string;
}

export interface RaciRow {
  domainId: string;
  role: OrganizationalRole;
  letter: RaciLetter;
}

export interface DomainRaci {
  accountable: OrganizationalRole | null;
  responsible: OrganizationalRole[];
  consulted: OrganizationalRole[];
  informed: OrganizationalRole[];
}

const byRoleOrder = (a: OrganizationalRole, b: OrganizationalRole) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b);

export function emptyRaci(): DomainRaci {
  return { accountable: null, responsible: [], consulted: [], informed: [] };
}

/** RACI rows grouped by domain, each list in role precedence order. */
export function raciByDomain(rows: readonly RaciRow[]): Map<string, DomainRaci> {
  const out = new Map<string, DomainRaci>();
  const sorted = [...rows].sort((a, b) => byRoleOrder(a.role, b.role));
  for (const row of sorted) {
    const raci = out.get(row.domainId) ?? emptyRaci();
    if (row.letter === 'ACCOUNTABLE') raci.accountable ??= row.role;
    if (row.letter === 'RESPONSIBLE') raci.responsible.push(row.role);
    if (row.letter === 'CONSULTED') raci.consulted.push(row.role);
    if (row.letter === 'INFORMED') raci.informed.push(row.role);
    out.set(row.domainId, raci);
  }
  return out;
}

/** The rows that store one domain's RACI. */
export function raciRows(domainId: string, raci: DomainRaci): RaciRow[] {
  const rows: RaciRow[] = [];
  const add = (roles: readonly OrganizationalRole[], letter: RaciLetter) => {
    for (const role of new Set(roles)) rows.push({ domainId, role, letter });
  };
  if (raci.accountable) add([raci.accountable], 'ACCOUNTABLE');
  add(raci.responsible, 'RESPONSIBLE');
  add(raci.consulted, 'CONSULTED');
  add(raci.informed, 'INFORMED');
  return rows;
}

/** What is wrong with one domain's RACI: exactly one Accountable, at least one Responsible, no role both R and C/I. */
export function raciProblems(raci: DomainRaci): string[] {
  const problems: string[] = [];
  if (!raci.accountable) problems.push('name exactly one Accountable role');
  if (raci.responsible.length === 0) problems.push('name at least one Responsible role');
  const doing = new Set([...raci.responsible, ...(raci.accountable ? [raci.accountable] : [])]);
  const both = [...raci.consulted, ...raci.informed].filter((r) => doing.has(r));
  if (both.length) problems.push(`${[...new Set(both)].join(', ')} cannot be Consulted/Informed and also R or A`);
  return problems;
}

/** What is wrong with one cell: each party that carries the domain must have its duties described. */
export function cellProblems(cell: Pick<CellData, 'owner' | 'providerDuties' | 'customerDuties'>): string[] {
  const problems: string[] = [];
  const provider = cell.providerDuties.trim();
  const customer = cell.customerDuties.trim();
  if ((cell.owner === 'PROVIDER' || cell.owner === 'SHARED') && provider.length < 10)
    problems.push("describe the provider's duties (at least 10 characters)");
  if ((cell.owner === 'CUSTOMER' || cell.owner === 'SHARED') && customer.length < 10)
    problems.push("describe the customer's duties (at least 10 characters)");
  if (provider.length > 2000 || customer.length > 2000) problems.push('keep each description under 2,000 characters');
  return problems;
}

/**
 * A version can be approved and published only when complete: every active domain has a cell for every service
 * model, each cell describes the duties of whoever carries it, and each domain has a valid RACI.
 */
export function completenessProblems(
  domains: readonly { id: string; key: string }[],
  cells: readonly CellData[],
  raci: readonly RaciRow[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const byKey = new Map(cells.map((c) => [`${c.domainId}|${c.serviceModel}`, c]));
  const raciMap = raciByDomain(raci);
  for (const domain of domains) {
    for (const model of SERVICE_MODELS) {
      const cell = byKey.get(`${domain.id}|${model}`);
      if (!cell) {
        issues.push({ path: ['cells', domain.key, model], message: `no cell for ${domain.key} under ${model}` });
        continue;
      }
      for (const problem of cellProblems(cell)) issues.push({ path: ['cells', domain.key, model], message: problem });
    }
    for (const problem of raciProblems(raciMap.get(domain.id) ?? emptyRaci()))
      issues.push({ path: ['raci', domain.key], message: problem });
  }
  return issues;
}

export type CellChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

export interface CellChange {
  domainId: string;
  serviceModel: ServiceModel;
  kind: CellChangeKind;
  fields: string[];
  before: CellData | null;
  after: CellData | null;
}

export interface RaciChange {
  domainId: string;
  role: OrganizationalRole;
  before: RaciLetter[];
  after: RaciLetter[];
}

export interface MatrixContent {
  cells: readonly CellData[];
  raci: readonly RaciRow[];
}

const LETTER_ORDER: readonly RaciLetter[] = ['RESPONSIBLE', 'ACCOUNTABLE', 'CONSULTED', 'INFORMED'];

/** Cell by cell and role by role, what changed from `from` to `to` (ordered by domain order, then model, then role). */
export function diffMatrices(
  from: MatrixContent,
  to: MatrixContent,
  domainOrder: readonly string[] = [],
): { cells: CellChange[]; raci: RaciChange[] } {
  const key = (c: { domainId: string; serviceModel: ServiceModel }) => `${c.domainId}|${c.serviceModel}`;
  const before = new Map(from.cells.map((c) => [key(c), c]));
  const after = new Map(to.cells.map((c) => [key(c), c]));
  const cells: CellChange[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(k) ?? null;
    const b = after.get(k) ?? null;
    const ref = (a ?? b)!;
    if (!a)
      cells.push({
        domainId: ref.domainId,
        serviceModel: ref.serviceModel,
        kind: 'ADDED',
        fields: [],
        before: a,
        after: b,
      });
    else if (!b)
      cells.push({
        domainId: ref.domainId,
        serviceModel: ref.serviceModel,
        kind: 'REMOVED',
        fields: [],
        before: a,
        after: b,
      });
    else {
      const fields = (['owner', 'providerDuties', 'customerDuties'] as const).filter(
        (f) => a[f].trim() !== b[f].trim(),
      );
      if (fields.length)
        cells.push({
          domainId: ref.domainId,
          serviceModel: ref.serviceModel,
          kind: 'CHANGED',
          fields,
          before: a,
          after: b,
        });
    }
  }
  const letters = (rows: readonly RaciRow[]) => {
    const m = new Map<string, RaciLetter[]>();
    for (const r of rows) {
      const k = `${r.domainId}|${r.role}`;
      m.set(k, [...(m.get(k) ?? []), r.letter]);
    }
    return m;
  };
  const ra = letters(from.raci);
  const rb = letters(to.raci);
  const raci: RaciChange[] = [];
  const sortLetters = (l: RaciLetter[]) => [...l].sort((x, y) => LETTER_ORDER.indexOf(x) - LETTER_ORDER.indexOf(y));
  for (const k of new Set([...ra.keys(), ...rb.keys()])) {
    const x = sortLetters(ra.get(k) ?? []);
    const y = sortLetters(rb.get(k) ?? []);
    if (x.join() === y.join()) continue;
    const [domainId, role] = k.split('|') as [string, OrganizationalRole];
    raci.push({ domainId, role, before: x, after: y });
  }
  const pos = (id: string) => {
    const i = domainOrder.indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  cells.sort(
    (p, q) =>
      pos(p.domainId) - pos(q.domainId) ||
      p.domainId.localeCompare(q.domainId) ||
      SERVICE_MODELS.indexOf(p.serviceModel) - SERVICE_MODELS.indexOf(q.serviceModel),
  );
  raci.sort(
    (p, q) => pos(p.domainId) - pos(q.domainId) || p.domainId.localeCompare(q.domainId) || byRoleOrder(p.role, q.role),
  );
  return { cells, raci };
}

/** "owned by the provider, Microsoft Azure" / "owned by the customer organisation" / "shared between …". */
export function ownerPhrase(owner: ResponsibilityParty, providerName: string): string {
  if (owner === 'PROVIDER') return `owned by the provider, ${providerName}`;
  if (owner === 'CUSTOMER') return 'owned by the customer organisation';
  return `shared between the provider, ${providerName}, and the customer organisation`;
}

/** Categories are compared trimmed and lower-case. */
export function normaliseCategory(category: string | null | undefined): string | null {
  const c = category?.trim().toLowerCase();
  return c ? c : null;
}
