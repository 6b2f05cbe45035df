import { builder } from '../../builder.js';
import { db } from '../../db.js';
import type { FieldIssue } from '../../errors.js';
import type {
  ResolverGroup,
  ResponsibilityCell,
  ResponsibilityDomain,
  ResponsibilityMatrixVersion,
} from '../../generated/prisma/client.js';
import {
  OrganizationalRole,
  OwnershipRoutingAction,
  RaciLetter,
  ResponsibilityMatrixStatus,
  ResponsibilityParty,
  ResponsibilityReviewReasonKind,
  type ServiceModel,
} from '../../generated/prisma/enums.js';
import { ResolverGroupType, ServiceModelEnum } from '../catalog/types.js';
import { OrganizationType, UserType } from '../directory/types.js';
import { systemClock } from '../ticket/mutate.js';
import { TicketClassEnum, TicketType } from '../ticket/types.js';
import { primaryGroupOf } from './governance.js';
import {
  type CellChange,
  type DomainRaci,
  type RaciChange,
  ROLE_INFO,
  raciByDomain,
  SERVICE_MODELS,
} from './matrix.js';
import { isInEffect, matrixInEffect, versionProblems } from './matrix.service.js';
import { type OwnershipView, ticketOwnership } from './ownership.service.js';

export const ResponsibilityPartyEnum = builder.enumType(ResponsibilityParty, {
  name: 'ResponsibilityParty',
  description:
    'PROVIDER: the cloud provider carries the domain (incidents go to vendor escalation); CUSTOMER: the organisation (its internal teams); SHARED: both.',
});
export const OrganizationalRoleEnum = builder.enumType(OrganizationalRole, {
  name: 'OrganizationalRole',
  description: 'The organisational roles of the shared-responsibility process, each mapped to resolver groups.',
});
export const RaciLetterEnum = builder.enumType(RaciLetter, { name: 'RaciLetter' });
export const ResponsibilityMatrixStatusEnum = builder.enumType(ResponsibilityMatrixStatus, {
  name: 'ResponsibilityMatrixStatus',
  description: 'DRAFT → APPROVED (by governance) → PUBLISHED (in effect from effectiveFrom); or DRAFT → REJECTED.',
});
export const ReviewReasonKindEnum = builder.enumType(ResponsibilityReviewReasonKind, {
  name: 'ResponsibilityReviewReasonKind',
});
export const OwnershipRoutingActionEnum = builder.enumType(OwnershipRoutingAction, { name: 'OwnershipRoutingAction' });
export const DomainSourceEnum = builder.enumType('ResponsibilityDomainSource', {
  values: ['EXPLICIT', 'CATEGORY', 'TICKET_CLASS'] as const,
  description: 'How the ticket came to concern the domain: set by staff, by its category, or by its class.',
});
export const CellChangeKindEnum = builder.enumType('ResponsibilityCellChangeKind', {
  values: ['ADDED', 'REMOVED', 'CHANGED'] as const,
});

export const ResponsibilityDomainType = builder.prismaObject('ResponsibilityDomain', {
  description: 'A domain of the shared-responsibility matrix. Tickets concern it through their category or class.',
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    categories: t.exposeStringList('categories', { description: 'Ticket categories (lower-case) in this domain.' }),
    ticketClasses: t.expose('ticketClasses', {
      type: [TicketClassEnum],
      description: 'Ticket classes in this domain when their category maps to none.',
    }),
    position: t.exposeInt('position'),
    active: t.exposeBoolean('active'),
  }),
});

const staffOnly = { authScopes: { staff: true } } as const;

export const RoleInfoType = builder
  .objectRef<{ role: OrganizationalRole; groups: ResolverGroup[] }>('ResponsibilityRole')
  .implement({
    description: 'An organisational role and the resolver groups that act for it (the first is the primary group).',
    fields: (t) => ({
      role: t.field({ type: OrganizationalRoleEnum, resolve: (r) => r.role }),
      name: t.string({ resolve: (r) => ROLE_INFO[r.role].name }),
      description: t.string({ resolve: (r) => ROLE_INFO[r.role].description }),
      groups: t.field({ type: [ResolverGroupType], resolve: (r) => r.groups }),
      primaryGroup: t.field({
        type: ResolverGroupType,
        nullable: true,
        description: 'Receives the role’s routed tickets and approval steps.',
        resolve: (r) => r.groups[0] ?? null,
      }),
    }),
  });

type CellWithDomain = ResponsibilityCell & { domain: ResponsibilityDomain };

export const ResponsibilityCellType = builder.objectRef<CellWithDomain>('ResponsibilityCell').implement({
  description: 'Who carries a domain under a service model, and what each side does.',
  fields: (t) => ({
    domain: t.field({ type: ResponsibilityDomainType, resolve: (c) => c.domain }),
    serviceModel: t.field({ type: ServiceModelEnum, resolve: (c) => c.serviceModel }),
    owner: t.field({ type: ResponsibilityPartyEnum, resolve: (c) => c.owner }),
    providerDuties: t.exposeString('providerDuties'),
    customerDuties: t.exposeString('customerDuties'),
  }),
});

export const ResponsibilityRaciType = builder
  .objectRef<{ domain: ResponsibilityDomain; raci: DomainRaci }>('ResponsibilityRaci')
  .implement({
    description: 'Who is Responsible, Accountable, Consulted and Informed for a domain.',
    fields: (t) => ({
      domain: t.field({ type: ResponsibilityDomainType, resolve: (r) => r.domain }),
      accountable: t.field({ type: OrganizationalRoleEnum, nullable: true, resolve: (r) => r.raci.accountable }),
      responsible: t.field({ type: [OrganizationalRoleEnum], resolve: (r) => r.raci.responsible }),
      consulted: t.field({ type: [OrganizationalRoleEnum], resolve: (r) => r.raci.consulted }),
      informed: t.field({ type: [OrganizationalRoleEnum], resolve: (r) => r.raci.informed }),
    }),
  });

const ProblemType = builder.objectRef<FieldIssue>('ResponsibilityMatrixProblem').implement({
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description: 'e.g. ["cells", "identity-access", "SAAS"] or ["raci", "backup-recovery"].',
    }),
    message: t.exposeString('message'),
  }),
});

export const ReviewReasonType = builder.prismaObject('ResponsibilityReviewReason', {
  description: 'Why the matrix is (to be) reviewed: new service, role change, regulation, audit lesson …',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ReviewReasonKindEnum }),
    detail: t.exposeString('detail'),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    recordedBy: t.field({
      type: UserType,
      nullable: true,
      resolve: (r) => db().user.findUnique({ where: { id: r.recordedById } }),
    }),
    version: t.int({
      nullable: true,
      description: 'The version that addresses it; null while it waits for a draft.',
      select: { version: { select: { version: true } } },
      resolve: (r) => r.version?.version ?? null,
    }),
  }),
});

/** A version as the API shows it; `serviceModel` narrows its cells (the root field's argument). */
export interface MatrixView {
  row: ResponsibilityMatrixVersion;
  serviceModel?: ServiceModel | null;
}

const userById = (id: string | null) => (id ? db().user.findUnique({ where: { id } }) : null);

async function cellsOf(versionId: string, serviceModel: ServiceModel | null | undefined, domain?: string | null) {
  const cells = await db().responsibilityCell.findMany({
    where: {
      versionId,
      ...(serviceModel ? { serviceModel } : {}),
      ...(domain ? { domain: { key: domain } } : {}),
    },
    include: { domain: true },
  });
  return cells.sort(
    (a, b) =>
      a.domain.position - b.domain.position ||
      SERVICE_MODELS.indexOf(a.serviceModel) - SERVICE_MODELS.indexOf(b.serviceModel),
  );
}

export async function raciOf(versionId: string) {
  const rows = await db().responsibilityRaci.findMany({ where: { versionId }, include: { domain: true } });
  const domains = new Map(rows.map((r) => [r.domainId, r.domain]));
  return [...raciByDomain(rows).entries()]
    .map(([domainId, raci]) => ({ domain: domains.get(domainId)!, raci }))
    .sort((a, b) => a.domain.position - b.domain.position);
}

export const ResponsibilityMatrixType = builder.objectRef<MatrixView>('ResponsibilityMatrix').implement({
  description:
    'A version of the shared-responsibility matrix: domains × service models → PROVIDER, CUSTOMER or SHARED, with each side’s duties and the RACI of the organisational roles. Customers see published versions of the standard matrix and of their own organisation.',
  fields: (t) => ({
    version: t.int({ resolve: (m) => m.row.version }),
    status: t.field({ type: ResponsibilityMatrixStatusEnum, resolve: (m) => m.row.status }),
    organization: t.field({
      type: OrganizationType,
      nullable: true,
      description: 'Null for the standard matrix; else the customer organisation this version was agreed with.',
      resolve: (m) =>
        m.row.organizationId ? db().organization.findUnique({ where: { id: m.row.organizationId } }) : null,
    }),
    summary: t.string({ resolve: (m) => m.row.summary }),
    providerName: t.string({
      description: 'The cloud provider the matrix describes (the vendor of provider-owned incidents).',
      resolve: (m) => m.row.providerName,
    }),
    basedOnVersion: t.int({ nullable: true, resolve: (m) => m.row.basedOnVersion }),
    serviceModel: t.field({
      type: ServiceModelEnum,
      nullable: true,
      description: 'The service model `cells` are narrowed to, when one was asked for.',
      resolve: (m) => m.serviceModel ?? null,
    }),
    effectiveFrom: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.row.effectiveFrom }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.row.publishedAt }),
    reviewDueAt: t.field({ type: 'DateTime', resolve: (m) => m.row.reviewDueAt }),
    inEffect: t.boolean({
      description: 'This is the version in effect now for its scope (standard or its organisation).',
      resolve: async (m) => isInEffect(m.row, await matrixInEffect(db(), m.row.organizationId, systemClock.now())),
    }),
    reviewOverdue: t.boolean({
      description: 'In effect and past its review date (flagged once with the event responsibility.review_overdue).',
      resolve: async (m) =>
        m.row.reviewDueAt <= systemClock.now() &&
        isInEffect(m.row, await matrixInEffect(db(), m.row.organizationId, systemClock.now())),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => m.row.createdAt }),
    decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.row.decidedAt }),
    createdBy: t.field({ type: UserType, nullable: true, ...staffOnly, resolve: (m) => userById(m.row.createdById) }),
    decidedBy: t.field({
      type: UserType,
      nullable: true,
      description: 'Who approved or rejected the draft (staff only).',
      ...staffOnly,
      resolve: (m) => userById(m.row.decidedById),
    }),
    decisionComment: t.string({ nullable: true, ...staffOnly, resolve: (m) => m.row.decisionComment }),
    publishedBy: t.field({
      type: UserType,
      nullable: true,
      ...staffOnly,
      resolve: (m) => userById(m.row.publishedById),
    }),
    reasons: t.field({
      type: [ReviewReasonType],
      nullable: true,
      description: 'Why this version was drafted (staff only).',
      ...staffOnly,
      resolve: (m) =>
        db().responsibilityReviewReason.findMany({ where: { versionId: m.row.id }, orderBy: { recordedAt: 'asc' } }),
    }),
    domains: t.field({
      type: [ResponsibilityDomainType],
      description: 'The domains this version covers, in order.',
      resolve: (m) =>
        db().responsibilityDomain.findMany({
          where: { cells: { some: { versionId: m.row.id } } },
          orderBy: { position: 'asc' },
        }),
    }),
    cells: t.field({
      type: [ResponsibilityCellType],
      args: { domain: t.arg.string({ required: false, description: 'Only this domain (by key).' }) },
      resolve: (m, args) => cellsOf(m.row.id, m.serviceModel, args.domain),
    }),
    raci: t.field({
      type: [ResponsibilityRaciType],
      nullable: true,
      description: 'The RACI per domain (staff only).',
      ...staffOnly,
      resolve: (m) => raciOf(m.row.id),
    }),
    problems: t.field({
      type: [ProblemType],
      nullable: true,
      description: 'What stops this version from being approved: missing cells, duties or RACI (staff only).',
      ...staffOnly,
      resolve: (m) => versionProblems(db(), m.row),
    }),
  }),
});

export interface OwnerAnswer {
  domain: ResponsibilityDomain;
  serviceModel: ServiceModel;
  version: ResponsibilityMatrixVersion;
  cell: ResponsibilityCell;
  raci: DomainRaci | null;
  explanation: string;
}

async function primaryGroups(raci: DomainRaci | null) {
  const groups: ResolverGroup[] = [];
  for (const role of raci?.responsible ?? []) {
    const g = await primaryGroupOf(db(), role);
    if (g && !groups.some((x) => x.id === g.id)) groups.push(g);
  }
  return groups;
}

export const ResponsibilityOwnerType = builder.objectRef<OwnerAnswer>('ResponsibilityOwner').implement({
  description: 'Who owns a domain under a service model in the matrix in effect, and why.',
  fields: (t) => ({
    domain: t.field({ type: ResponsibilityDomainType, resolve: (o) => o.domain }),
    serviceModel: t.field({ type: ServiceModelEnum, resolve: (o) => o.serviceModel }),
    owner: t.field({ type: ResponsibilityPartyEnum, resolve: (o) => o.cell.owner }),
    providerName: t.string({ resolve: (o) => o.version.providerName }),
    providerDuties: t.string({ resolve: (o) => o.cell.providerDuties }),
    customerDuties: t.string({ resolve: (o) => o.cell.customerDuties }),
    matrixVersion: t.int({ resolve: (o) => o.version.version }),
    explanation: t.string({ resolve: (o) => o.explanation }),
    accountableRole: t.field({
      type: OrganizationalRoleEnum,
      nullable: true,
      ...staffOnly,
      resolve: (o) => o.raci?.accountable ?? null,
    }),
    responsibleRoles: t.field({
      type: [OrganizationalRoleEnum],
      nullable: true,
      ...staffOnly,
      resolve: (o) => o.raci?.responsible ?? [],
    }),
    responsibleGroups: t.field({
      type: [ResolverGroupType],
      nullable: true,
      description: 'Primary groups of the Responsible roles: where customer-owned incidents are routed (staff only).',
      ...staffOnly,
      resolve: (o) => primaryGroups(o.raci),
    }),
  }),
});

export interface DiffView {
  from: ResponsibilityMatrixVersion;
  to: ResponsibilityMatrixVersion;
  cells: CellChange[];
  raci: RaciChange[];
  domains: Map<string, ResponsibilityDomain>;
}

const CellChangeType = builder
  .objectRef<CellChange & { domains: Map<string, ResponsibilityDomain> }>('ResponsibilityCellChange')
  .implement({
    fields: (t) => ({
      domain: t.field({ type: ResponsibilityDomainType, resolve: (c) => c.domains.get(c.domainId)! }),
      serviceModel: t.field({ type: ServiceModelEnum, resolve: (c) => c.serviceModel }),
      change: t.field({ type: CellChangeKindEnum, resolve: (c) => c.kind }),
      fields: t.stringList({
        description: 'For CHANGED: owner, providerDuties and/or customerDuties.',
        resolve: (c) => c.fields,
      }),
      before: t.field({
        type: ResponsibilityCellType,
        nullable: true,
        resolve: (c) => (c.before ? { ...(c.before as ResponsibilityCell), domain: c.domains.get(c.domainId)! } : null),
      }),
      after: t.field({
        type: ResponsibilityCellType,
        nullable: true,
        resolve: (c) => (c.after ? { ...(c.after as ResponsibilityCell), domain: c.domains.get(c.domainId)! } : null),
      }),
    }),
  });

const RaciChangeType = builder
  .objectRef<RaciChange & { domains: Map<string, ResponsibilityDomain> }>('ResponsibilityRaciChange')
  .implement({
    fields: (t) => ({
      domain: t.field({ type: ResponsibilityDomainType, resolve: (c) => c.domains.get(c.domainId)! }),
      role: t.field({ type: OrganizationalRoleEnum, resolve: (c) => c.role }),
      before: t.field({ type: [RaciLetterEnum], resolve: (c) => c.before }),
      after: t.field({ type: [RaciLetterEnum], resolve: (c) => c.after }),
    }),
  });

export const MatrixDiffType = builder.objectRef<DiffView>('ResponsibilityMatrixDiff').implement({
  description: 'What changed between two versions, cell by cell and (for staff) role by role.',
  fields: (t) => ({
    from: t.field({ type: ResponsibilityMatrixType, resolve: (d) => ({ row: d.from }) }),
    to: t.field({ type: ResponsibilityMatrixType, resolve: (d) => ({ row: d.to }) }),
    cells: t.field({ type: [CellChangeType], resolve: (d) => d.cells.map((c) => ({ ...c, domains: d.domains })) }),
    raci: t.field({
      type: [RaciChangeType],
      nullable: true,
      description: 'RACI changes (staff only).',
      ...staffOnly,
      resolve: (d) => d.raci.map((c) => ({ ...c, domains: d.domains })),
    }),
    identical: t.boolean({ resolve: (d) => d.cells.length === 0 && d.raci.length === 0 }),
  }),
});

const OwnershipRoutingType = builder
  .objectRef<NonNullable<OwnershipView['decision']>>('TicketOwnershipRouting')
  .implement({
    description: 'What routing by ownership did, with the matrix version it used.',
    fields: (t) => ({
      action: t.field({ type: OwnershipRoutingActionEnum, resolve: (d) => d.action }),
      internalGroup: t.field({
        type: ResolverGroupType,
        nullable: true,
        description: 'The team whose role is Responsible (kept as history even if the ticket moved on).',
        resolve: (d) =>
          d.internalGroupId ? db().resolverGroup.findUnique({ where: { id: d.internalGroupId } }) : null,
      }),
      groupApplied: t.boolean({
        description: 'True when this decision set the ticket’s group (false: routing had already chosen one).',
        resolve: (d) => d.groupApplied,
      }),
      vendorName: t.string({ nullable: true, resolve: (d) => d.vendorName }),
      vendorEscalationId: t.string({ nullable: true, resolve: (d) => d.vendorEscalationId }),
      explanation: t.string({ resolve: (d) => d.explanation }),
      decidedAt: t.field({ type: 'DateTime', resolve: (d) => d.decidedAt }),
    }),
  });

export const TicketOwnershipType = builder.objectRef<OwnershipView>('TicketOwnership').implement({
  description: 'Who owns the domain a ticket concerns, under its service’s model, and why.',
  fields: (t) => ({
    determined: t.boolean({ resolve: (o) => o.determined }),
    domain: t.field({ type: ResponsibilityDomainType, nullable: true, resolve: (o) => o.domain }),
    domainSource: t.field({ type: DomainSourceEnum, nullable: true, resolve: (o) => o.domainSource }),
    serviceModel: t.field({ type: ServiceModelEnum, nullable: true, resolve: (o) => o.serviceModel }),
    owner: t.field({ type: ResponsibilityPartyEnum, nullable: true, resolve: (o) => o.owner }),
    providerName: t.string({
      nullable: true,
      resolve: (o) => (o.determined ? (o.version?.providerName ?? null) : null),
    }),
    providerDuties: t.string({ nullable: true, resolve: (o) => o.providerDuties }),
    customerDuties: t.string({ nullable: true, resolve: (o) => o.customerDuties }),
    matrixVersion: t.int({
      nullable: true,
      description: 'The matrix version the ownership comes from.',
      resolve: (o) => (o.determined ? (o.version?.version ?? null) : null),
    }),
    explanation: t.string({ resolve: (o) => o.explanation }),
    responsibleRoles: t.field({
      type: [OrganizationalRoleEnum],
      nullable: true,
      ...staffOnly,
      resolve: (o) => o.raci?.responsible ?? [],
    }),
    routing: t.field({
      type: OwnershipRoutingType,
      nullable: true,
      description: 'The routing decision (staff only); null when none was recorded.',
      ...staffOnly,
      resolve: (o) => o.decision,
    }),
  }),
});

builder.objectField(TicketType, 'ownership', (t) =>
  t.field({
    type: TicketOwnershipType,
    description: 'Who owns the affected responsibility domain (provider, customer or shared) and why.',
    resolve: (ticket) => ticketOwnership(db(), ticket, systemClock.now()),
  }),
);

export function matrixView(row: ResponsibilityMatrixVersion, serviceModel?: ServiceModel | null): MatrixView {
  return { row, serviceModel: serviceModel ?? null };
}
