import type {
  ChangeApprovalStatus,
  ChangeApprovalStepKind,
  ChangeApprovalStepStatus,
  ChangeScope,
  OrganizationalRole,
} from '../../generated/prisma/enums.js';
import type { DomainRaci } from '../responsibility/matrix.js';

/** Pure rules of change control: which layers a change touches, which approvals that needs, and where it stands. */

export const SCOPE_LABEL: Record<ChangeScope, string> = {
  PLATFORM: 'platform-level',
  WORKLOAD: 'workload-level',
  PLATFORM_AND_WORKLOAD: 'platform- and workload-level',
};

export const STEP_INFO: Record<ChangeApprovalStepKind, { role: OrganizationalRole; label: string }> = {
  PLATFORM_APPROVAL: { role: 'PLATFORM_CLOUD', label: "Platform team's approval" },
  WORKLOAD_APPROVAL: { role: 'WORKLOAD_APPLICATION', label: "owning application team's approval" },
  POLICY_CHECK: { role: 'SECURITY_COMPLIANCE', label: 'security and governance policy check' },
};

function layers(roles: readonly (OrganizationalRole | null)[]): ChangeScope | null {
  const platform = roles.includes('PLATFORM_CLOUD');
  const workload = roles.includes('WORKLOAD_APPLICATION');
  if (platform && workload) return 'PLATFORM_AND_WORKLOAD';
  if (platform) return 'PLATFORM';
  if (workload) return 'WORKLOAD';
  return null;
}

/**
 * The scope of a change in a domain, from the matrix RACI: the layers whose teams are Responsible for the domain
 * (Platform/Cloud → platform-level, Workload/Application → workload-level). When neither team is Responsible (e.g.
 * identity, where Security is), the layers whose teams are Accountable or Consulted. Null when the RACI names neither.
 */
export function scopeFromRaci(raci: DomainRaci | null): { scope: ChangeScope | null; basis: string } {
  if (!raci) return { scope: null, basis: 'the matrix has no RACI for the domain' };
  const responsible = layers(raci.responsible);
  if (responsible) return { scope: responsible, basis: 'Responsible' };
  const involved = layers([raci.accountable, ...raci.consulted]);
  if (involved) return { scope: involved, basis: 'Accountable or Consulted' };
  return { scope: null, basis: 'neither the Platform nor a Workload team takes part in the domain' };
}

/** Required approvals: the Platform team's for platform-level changes, the application team's for workload-level
 * ones, and always the security/governance policy check. */
export function stepsFor(scope: ChangeScope | null): ChangeApprovalStepKind[] {
  const steps: ChangeApprovalStepKind[] = [];
  if (scope === 'PLATFORM' || scope === 'PLATFORM_AND_WORKLOAD') steps.push('PLATFORM_APPROVAL');
  if (scope === 'WORKLOAD' || scope === 'PLATFORM_AND_WORKLOAD') steps.push('WORKLOAD_APPROVAL');
  steps.push('POLICY_CHECK');
  return steps;
}

/** Where the current round stands: any rejection rejects; without a scope it waits for one; all approved approves. */
export function approvalStatus(
  scope: ChangeScope | null,
  steps: readonly { kind: ChangeApprovalStepKind; status: ChangeApprovalStepStatus }[],
): ChangeApprovalStatus {
  if (steps.some((s) => s.status === 'REJECTED')) return 'REJECTED';
  if (!scope) return 'AWAITING_SCOPE';
  const approved = new Set(steps.filter((s) => s.status === 'APPROVED').map((s) => s.kind));
  return stepsFor(scope).every((k) => approved.has(k)) ? 'APPROVED' : 'PENDING';
}
