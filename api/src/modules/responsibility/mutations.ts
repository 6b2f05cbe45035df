import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../../errors.js';
import { ResolverGroupType, ServiceModelEnum } from '../catalog/types.js';
import { OrganizationType } from '../directory/types.js';
import { channelOf } from '../ticket/access.js';
import type { Actor } from '../ticket/mutate.js';
import { TicketClassEnum, TicketType } from '../ticket/types.js';
import { groupsOfRole } from './governance.js';
import {
  approveVersion,
  createDomain,
  createDraft,
  publishVersion,
  recordReviewReason,
  rejectVersion,
  setRoleGroups,
  updateDomain,
  updateDraft,
} from './matrix.service.js';
import { setTicketDomain } from './ownership.service.js';
import {
  matrixView,
  OrganizationalRoleEnum,
  ResponsibilityDomainType,
  ResponsibilityMatrixType,
  ResponsibilityPartyEnum,
  ReviewReasonKindEnum,
  ReviewReasonType,
  RoleInfoType,
} from './types.js';

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

/** Governance work: provider staff whose credential may write; the services check the governance role itself. */
const governanceScopes = { $all: { staff: true, scope: 'tickets:write' } } as const;
const ERRORS = [NotFoundError, ConflictError];

// ── domains ─────────────────────────────────────────────────────────────────

const DomainCreateInput = builder.inputType('ResponsibilityDomainCreateInput', {
  fields: (t) => ({
    key: t.string({ description: 'Stable identifier, lower-case with hyphens (e.g. "key-management").' }),
    name: t.string(),
    description: t.string({ required: false }),
    categories: t.stringList({ required: false, description: 'Ticket categories that concern the domain.' }),
    ticketClasses: t.field({ type: [TicketClassEnum], required: false }),
    position: t.int({ required: false }),
  }),
});

builder.mutationField('responsibilityDomainCreate', (t) =>
  t.field({
    type: ResponsibilityDomainType,
    description:
      'Adds a domain to the matrix (governance or admin). Versions drafted from now on must cover it before approval.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: DomainCreateInput }) },
    errors: { types: ERRORS },
    resolve: (_root, { input }, ctx) => createDomain(db(), actorOf(ctx), input),
  }),
);

const DomainUpdateInput = builder.inputType('ResponsibilityDomainUpdateInput', {
  fields: (t) => ({
    key: t.string(),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    categories: t.stringList({ required: false, description: 'Replaces the list.' }),
    ticketClasses: t.field({ type: [TicketClassEnum], required: false, description: 'Replaces the list.' }),
    position: t.int({ required: false }),
    active: t.boolean({ required: false, description: 'Inactive domains leave new drafts and ticket mapping.' }),
  }),
});

builder.mutationField('responsibilityDomainUpdate', (t) =>
  t.field({
    type: ResponsibilityDomainType,
    description: 'Renames, re-maps (categories, classes), reorders or retires a domain (governance or admin).',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: DomainUpdateInput }) },
    errors: { types: ERRORS },
    resolve: (_root, { input }, ctx) => updateDomain(db(), actorOf(ctx), input),
  }),
);

// ── roles ───────────────────────────────────────────────────────────────────

const RoleGroupsSetInput = builder.inputType('ResponsibilityRoleGroupsSetInput', {
  fields: (t) => ({
    role: t.field({ type: OrganizationalRoleEnum }),
    groupIds: t.globalIDList({ for: ResolverGroupType, description: 'Replaces the groups; empty unmaps the role.' }),
    primaryGroupId: t.globalID({
      for: ResolverGroupType,
      required: false,
      description: 'Receives routed tickets and approvals; defaults to the first group.',
    }),
  }),
});

builder.mutationField('responsibilityRoleGroupsSet', (t) =>
  t.field({
    type: RoleInfoType,
    description:
      'Maps an organisational role to resolver groups (admin only: mapping GOVERNANCE_RISK grants the governance role).',
    authScopes: { $all: { role: 'ADMIN', scope: 'tickets:write' } },
    args: { input: t.arg({ type: RoleGroupsSetInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      await setRoleGroups(db(), actorOf(ctx), {
        role: input.role,
        groupIds: input.groupIds.map((g) => g.id),
        primaryGroupId: input.primaryGroupId?.id ?? null,
      });
      return { role: input.role, groups: await groupsOfRole(db(), input.role) };
    },
  }),
);

// ── versions ────────────────────────────────────────────────────────────────

const ReasonInput = builder.inputType('ResponsibilityReviewReasonInput', {
  fields: (t) => ({
    kind: t.field({ type: ReviewReasonKindEnum }),
    detail: t.string(),
  }),
});

const DraftCreateInput = builder.inputType('ResponsibilityMatrixDraftCreateInput', {
  fields: (t) => ({
    organizationId: t.globalID({
      for: OrganizationType,
      required: false,
      description: 'A customer organisation for an agreed matrix of its own; omit for the standard matrix.',
    }),
    basedOnVersion: t.int({ required: false, description: 'Copy this version; default: the one in effect.' }),
    summary: t.string({ description: 'What the new version changes.' }),
    providerName: t.string({ required: false, description: 'Default: the base version’s.' }),
    reviewDueAt: t.field({ type: 'DateTime', required: false, description: 'Default: a year from now.' }),
    reasons: t.field({
      type: [ReasonInput],
      required: false,
      description: 'Why the matrix is reviewed; reasons recorded earlier for the scope join the draft too.',
    }),
  }),
});

builder.mutationField('responsibilityMatrixDraftCreate', (t) =>
  t.field({
    type: ResponsibilityMatrixType,
    description:
      'Starts a draft version (governance): a copy of the version in effect, with the reasons for the review.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: DraftCreateInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) =>
      matrixView(
        await createDraft(db(), actorOf(ctx), {
          ...input,
          organizationId: input.organizationId?.id ?? null,
        }),
      ),
  }),
);

const CellInput = builder.inputType('ResponsibilityCellInput', {
  fields: (t) => ({
    domain: t.string({ description: 'Domain key.' }),
    serviceModel: t.field({ type: ServiceModelEnum }),
    owner: t.field({ type: ResponsibilityPartyEnum }),
    providerDuties: t.string({ required: false, description: 'Required when the provider carries the domain.' }),
    customerDuties: t.string({ required: false, description: 'Required when the customer carries the domain.' }),
  }),
});

const RaciInput = builder.inputType('ResponsibilityRaciInput', {
  fields: (t) => ({
    domain: t.string({ description: 'Domain key.' }),
    accountable: t.field({ type: OrganizationalRoleEnum }),
    responsible: t.field({ type: [OrganizationalRoleEnum] }),
    consulted: t.field({ type: [OrganizationalRoleEnum], required: false }),
    informed: t.field({ type: [OrganizationalRoleEnum], required: false }),
  }),
});

const DraftUpdateInput = builder.inputType('ResponsibilityMatrixDraftUpdateInput', {
  fields: (t) => ({
    version: t.int(),
    summary: t.string({ required: false }),
    providerName: t.string({ required: false }),
    reviewDueAt: t.field({ type: 'DateTime', required: false }),
    cells: t.field({ type: [CellInput], required: false, description: 'Cells to add or replace.' }),
    raci: t.field({ type: [RaciInput], required: false, description: 'Replaces the RACI of each domain given.' }),
  }),
});

builder.mutationField('responsibilityMatrixDraftUpdate', (t) =>
  t.field({
    type: ResponsibilityMatrixType,
    description:
      'Edits a draft (governance): cells, RACI, summary, provider, review date. Approved versions are frozen.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: DraftUpdateInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => matrixView(await updateDraft(db(), actorOf(ctx), input)),
  }),
);

const ApproveInput = builder.inputType('ResponsibilityMatrixApproveInput', {
  fields: (t) => ({ version: t.int(), comment: t.string() }),
});

builder.mutationField('responsibilityMatrixApprove', (t) =>
  t.field({
    type: ResponsibilityMatrixType,
    description:
      'Governance approves a complete draft (not its own author: four-eyes). A ValidationError lists what is missing.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: ApproveInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => matrixView(await approveVersion(db(), actorOf(ctx), input)),
  }),
);

const RejectInput = builder.inputType('ResponsibilityMatrixRejectInput', {
  fields: (t) => ({ version: t.int(), comment: t.string() }),
});

builder.mutationField('responsibilityMatrixReject', (t) =>
  t.field({
    type: ResponsibilityMatrixType,
    description: 'Governance rejects a draft with a comment; a later draft can be based on it.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: RejectInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => matrixView(await rejectVersion(db(), actorOf(ctx), input)),
  }),
);

const PublishInput = builder.inputType('ResponsibilityMatrixPublishInput', {
  fields: (t) => ({
    version: t.int(),
    effectiveFrom: t.field({
      type: 'DateTime',
      required: false,
      description: 'Default: now. A future date schedules it.',
    }),
    reviewDueAt: t.field({ type: 'DateTime', required: false, description: 'Overrides the draft’s review date.' }),
  }),
});

builder.mutationField('responsibilityMatrixPublish', (t) =>
  t.field({
    type: ResponsibilityMatrixType,
    description:
      'Publishes an approved version (governance): it takes effect at `effectiveFrom` for its scope; earlier versions stay readable.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: PublishInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => matrixView(await publishVersion(db(), actorOf(ctx), input)),
  }),
);

const ReasonRecordInput = builder.inputType('ResponsibilityReviewReasonRecordInput', {
  fields: (t) => ({
    kind: t.field({ type: ReviewReasonKindEnum }),
    detail: t.string(),
    organizationId: t.globalID({
      for: OrganizationType,
      required: false,
      description: 'Omit for the standard matrix.',
    }),
  }),
});

builder.mutationField('responsibilityReviewReasonRecord', (t) =>
  t.field({
    type: ReviewReasonType,
    description:
      'Records a reason to review the matrix (governance): it joins the open draft of its scope, or the next one.',
    authScopes: governanceScopes,
    args: { input: t.arg({ type: ReasonRecordInput }) },
    errors: { types: ERRORS },
    resolve: (_root, { input }, ctx) =>
      recordReviewReason(db(), actorOf(ctx), { ...input, organizationId: input.organizationId?.id ?? null }),
  }),
);

// ── the domain of a ticket ─────────────────────────────────────────────────

const TicketDomainSetInput = builder.inputType('TicketResponsibilityDomainSetInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    domain: t.string({ required: false, description: 'Domain key; null returns the ticket to its category mapping.' }),
    reason: t.string(),
  }),
});

const TicketDomainSetPayload = builder
  .objectRef<{ ticketId: string }>('TicketResponsibilityDomainSetPayload')
  .implement({
    fields: (t) => ({
      ticket: t.prismaField({
        type: 'Ticket',
        resolve: (query, p) => db().ticket.findUniqueOrThrow({ ...query, where: { id: p.ticketId } }),
      }),
    }),
  });

builder.mutationField('ticketResponsibilityDomainSet', (t) =>
  t.field({
    type: TicketDomainSetPayload,
    description:
      'Sets the responsibility domain a ticket concerns (staff; audited); ownership and routing are decided again.',
    authScopes: { scope: 'tickets:write' },
    args: { input: t.arg({ type: TicketDomainSetInput }) },
    errors: { types: [...ERRORS, InvalidTransitionError] },
    resolve: async (_root, { input }, ctx) => {
      const { ticket } = await setTicketDomain(
        db(),
        actorOf(ctx),
        input.id.id,
        input.version,
        input.domain ?? null,
        input.reason,
      );
      return { ticketId: ticket.id };
    },
  }),
);
