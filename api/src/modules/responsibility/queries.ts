import { builder } from '../../builder.js';
import { db } from '../../db.js';
import type { ResponsibilityMatrixVersion, ResponsibilityReviewReason } from '../../generated/prisma/client.js';
import { isStaff } from '../auth/scopes.js';
import { ServiceModelEnum } from '../catalog/types.js';
import { OrganizationType } from '../directory/types.js';
import { systemClock } from '../ticket/mutate.js';
import { groupsOfRole, isGovernor } from './governance.js';
import { ROLE_ORDER, raciByDomain, SERVICE_MODEL_LABEL } from './matrix.js';
import {
  diffVersions,
  flagOverdueReviews,
  matrixInEffect,
  overdueVersions,
  readVersion,
  scopeFor,
} from './matrix.service.js';
import { ownershipSentence } from './ownership.service.js';
import { ensureResponsibilityDomains } from './reference.js';
import {
  MatrixDiffType,
  matrixView,
  ResponsibilityMatrixStatusEnum,
  ResponsibilityMatrixType,
  ResponsibilityOwnerType,
  ReviewReasonType,
  RoleInfoType,
} from './types.js';

const readScope = { scope: 'tickets:read' } as const;
const staffRead = { $all: { staff: true, scope: 'tickets:read' } } as const;

builder.queryField('responsibilityMatrix', (t) =>
  t.field({
    type: ResponsibilityMatrixType,
    nullable: true,
    description:
      'A version of the shared-responsibility matrix by number, or (without `version`) the one in effect: for customers their organisation’s (its own agreed version, else the standard one); for staff that of `organizationId`, else the standard one. `serviceModel` narrows the cells. Customers see published versions that apply to them only.',
    authScopes: readScope,
    args: {
      version: t.arg.int({ required: false }),
      serviceModel: t.arg({ type: ServiceModelEnum, required: false }),
      organizationId: t.arg.globalID({ required: false, for: OrganizationType }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = ctx.viewer!;
      const row = args.version
        ? await readVersion(db(), viewer, args.version)
        : await matrixInEffect(db(), scopeFor(viewer, args.organizationId?.id), systemClock.now());
      return row ? matrixView(row, args.serviceModel) : null;
    },
  }),
);

builder.queryField('responsibilityMatrixVersions', (t) =>
  t.field({
    type: [ResponsibilityMatrixType],
    description:
      'Versions, newest first. Staff: every version (of `organizationId`’s scope when given; `standardOnly` for the standard matrix), optionally by status. Customers: the published versions that apply to them.',
    authScopes: readScope,
    args: {
      organizationId: t.arg.globalID({ required: false, for: OrganizationType }),
      standardOnly: t.arg.boolean({ required: false }),
      statuses: t.arg({ type: [ResponsibilityMatrixStatusEnum], required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = ctx.viewer!;
      let rows: ResponsibilityMatrixVersion[];
      if (isStaff(viewer)) {
        rows = await db().responsibilityMatrixVersion.findMany({
          where: {
            ...(args.organizationId ? { organizationId: args.organizationId.id } : {}),
            ...(args.standardOnly ? { organizationId: null } : {}),
            ...(args.statuses?.length ? { status: { in: args.statuses } } : {}),
          },
          orderBy: { version: 'desc' },
        });
      } else {
        rows = await db().responsibilityMatrixVersion.findMany({
          where: { status: 'PUBLISHED', OR: [{ organizationId: null }, { organizationId: viewer.organizationId }] },
          orderBy: { version: 'desc' },
        });
      }
      return rows.map((row) => matrixView(row));
    },
  }),
);

builder.queryField('responsibilityMatrixDiff', (t) =>
  t.field({
    type: MatrixDiffType,
    nullable: true,
    description: 'What changed from one version to another (any two the caller may read; null otherwise).',
    authScopes: readScope,
    args: { from: t.arg.int(), to: t.arg.int() },
    resolve: async (_root, args, ctx) => {
      const [from, to] = await Promise.all([
        readVersion(db(), ctx.viewer, args.from),
        readVersion(db(), ctx.viewer, args.to),
      ]);
      if (!from || !to) return null;
      const [diff, domains] = await Promise.all([diffVersions(db(), from, to), db().responsibilityDomain.findMany()]);
      return { from, to, ...diff, domains: new Map(domains.map((d) => [d.id, d])) };
    },
  }),
);

builder.queryField('responsibilityOwner', (t) =>
  t.field({
    type: ResponsibilityOwnerType,
    nullable: true,
    description:
      'Who owns `domain` (a domain key) under `serviceModel` in the matrix in effect for the caller’s organisation (staff: `organizationId`, else the standard matrix); null when no published matrix covers it.',
    authScopes: readScope,
    args: {
      domain: t.arg.string(),
      serviceModel: t.arg({ type: ServiceModelEnum }),
      organizationId: t.arg.globalID({ required: false, for: OrganizationType }),
    },
    resolve: async (_root, args, ctx) => {
      const version = await matrixInEffect(db(), scopeFor(ctx.viewer!, args.organizationId?.id), systemClock.now());
      const domain = await db().responsibilityDomain.findUnique({ where: { key: args.domain } });
      if (!version || !domain) return null;
      const cell = await db().responsibilityCell.findUnique({
        where: {
          versionId_domainId_serviceModel: {
            versionId: version.id,
            domainId: domain.id,
            serviceModel: args.serviceModel,
          },
        },
      });
      if (!cell) return null;
      const rows = await db().responsibilityRaci.findMany({ where: { versionId: version.id, domainId: domain.id } });
      return {
        domain,
        serviceModel: args.serviceModel,
        version,
        cell,
        raci: raciByDomain(rows).get(domain.id) ?? null,
        explanation: ownershipSentence(`${domain.name} under ${SERVICE_MODEL_LABEL[args.serviceModel]}`, cell, version),
      };
    },
  }),
);

builder.queryField('responsibilityDomains', (t) =>
  t.prismaField({
    type: ['ResponsibilityDomain'],
    description: 'The matrix’s domains in order (active ones unless `includeInactive`), with their ticket categories.',
    authScopes: readScope,
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: async (query, _root, args) => {
      await ensureResponsibilityDomains(db());
      return db().responsibilityDomain.findMany({
        ...query,
        where: args.includeInactive ? {} : { active: true },
        orderBy: { position: 'asc' },
      });
    },
  }),
);

builder.queryField('responsibilityRoles', (t) =>
  t.field({
    type: [RoleInfoType],
    description: 'The organisational roles and the resolver groups that act for them (staff only).',
    authScopes: staffRead,
    resolve: () => Promise.all(ROLE_ORDER.map(async (role) => ({ role, groups: await groupsOfRole(db(), role) }))),
  }),
);

builder.queryField('responsibilityViewerCanGovern', (t) =>
  t.boolean({
    description:
      'Whether the caller holds the governance role (member of a group mapped to GOVERNANCE_RISK, or an admin): drafts, approves and publishes the matrix.',
    resolve: (_root, _args, ctx) => isGovernor(db(), ctx.viewer),
  }),
);

interface ReviewStatus {
  organizationId: string | null;
  current: ResponsibilityMatrixVersion | null;
  openVersion: ResponsibilityMatrixVersion | null;
  openReasons: ResponsibilityReviewReason[];
}

const ReviewStatusType = builder.objectRef<ReviewStatus>('ResponsibilityReviewStatus').implement({
  description: 'Where the review of a matrix scope stands: its version in effect, the review date, open reasons.',
  fields: (t) => ({
    organization: t.field({
      type: OrganizationType,
      nullable: true,
      resolve: (s) => (s.organizationId ? db().organization.findUnique({ where: { id: s.organizationId } }) : null),
    }),
    current: t.field({
      type: ResponsibilityMatrixType,
      nullable: true,
      resolve: (s) => (s.current ? matrixView(s.current) : null),
    }),
    reviewDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.current?.reviewDueAt ?? null }),
    overdue: t.boolean({ resolve: (s) => !!s.current && s.current.reviewDueAt <= systemClock.now() }),
    openVersion: t.field({
      type: ResponsibilityMatrixType,
      nullable: true,
      description: 'The draft or approved version under way, if any.',
      resolve: (s) => (s.openVersion ? matrixView(s.openVersion) : null),
    }),
    openReasons: t.field({
      type: [ReviewReasonType],
      description: 'Reasons recorded that no draft addresses yet.',
      resolve: (s) => s.openReasons,
    }),
    reviewNeeded: t.boolean({
      description: 'Overdue, or reasons are waiting for a draft.',
      resolve: (s) => (!!s.current && s.current.reviewDueAt <= systemClock.now()) || s.openReasons.length > 0,
    }),
  }),
});

builder.queryField('responsibilityReviewStatus', (t) =>
  t.field({
    type: ReviewStatusType,
    description:
      'Review status of the standard matrix or of `organizationId`’s (staff only). Reading it flags overdue reviews (event responsibility.review_overdue, once per version).',
    authScopes: staffRead,
    args: { organizationId: t.arg.globalID({ required: false, for: OrganizationType }) },
    resolve: async (_root, args) => {
      await flagOverdueReviews(db());
      const organizationId = args.organizationId?.id ?? null;
      const [current, openVersion, openReasons] = await Promise.all([
        organizationId
          ? db().responsibilityMatrixVersion.findFirst({
              where: { organizationId, status: 'PUBLISHED', effectiveFrom: { lte: systemClock.now() } },
              orderBy: [{ effectiveFrom: 'desc' }, { version: 'desc' }],
            })
          : matrixInEffect(db(), null, systemClock.now()),
        db().responsibilityMatrixVersion.findFirst({
          where: { organizationId, status: { in: ['DRAFT', 'APPROVED'] } },
        }),
        db().responsibilityReviewReason.findMany({
          where: { organizationId, versionId: null },
          orderBy: { recordedAt: 'asc' },
        }),
      ]);
      return { organizationId, current, openVersion, openReasons };
    },
  }),
);

builder.queryField('responsibilityReviewsOverdue', (t) =>
  t.field({
    type: [ResponsibilityMatrixType],
    description:
      'Versions in effect whose review date has passed, one per scope (staff only). Reading it flags them (event responsibility.review_overdue, once per version).',
    authScopes: staffRead,
    resolve: async () => {
      await flagOverdueReviews(db());
      return (await overdueVersions(db(), systemClock.now())).map((row) => matrixView(row));
    },
  }),
);

builder.queryField('responsibilityReviewReasons', (t) =>
  t.prismaField({
    type: ['ResponsibilityReviewReason'],
    description:
      'Recorded reasons to review the matrix, newest first; `open` for those no draft addresses yet (staff).',
    authScopes: staffRead,
    args: { open: t.arg.boolean({ required: false }) },
    resolve: (query, _root, args) =>
      db().responsibilityReviewReason.findMany({
        ...query,
        where: args.open ? { versionId: null } : {},
        orderBy: { recordedAt: 'desc' },
        take: 500,
      }),
  }),
);
