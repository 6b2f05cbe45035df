import type { Tx } from '../../db/tx.js';
import { ConflictError, type FieldIssue, forbidden, NotFoundError, ValidationError } from '../../errors.js';
import type {
  PrismaClient,
  ResponsibilityDomain,
  ResponsibilityMatrixVersion,
  ResponsibilityReviewReason,
} from '../../generated/prisma/client.js';
import type {
  OrganizationalRole,
  ResponsibilityParty,
  ResponsibilityReviewReasonKind,
  ServiceModel,
  TicketClass,
} from '../../generated/prisma/enums.js';
import { isStaff, type Viewer } from '../auth/scopes.js';
import { notifyEventsCommitted } from '../events/bus.js';
import { appendEvents } from '../events/eventLog.js';
import { type Actor, type Clock, requireScope, systemClock } from '../ticket/mutate.js';
import { requireAdmin, requireGovernance } from './governance.js';
import {
  type CellData,
  cellProblems,
  completenessProblems,
  type DomainRaci,
  diffMatrices,
  normaliseCategory,
  type RaciRow,
  raciProblems,
  raciRows,
} from './matrix.js';
import { ensureResponsibilityDomains } from './reference.js';

type Db = PrismaClient | Tx;
type Version = ResponsibilityMatrixVersion;

const VERSION_LOCK = 7_311_042_052;
const DAY_MS = 86_400_000;
/** Reviews fall due a year after a version is drafted unless governance says otherwise. */
export const DEFAULT_REVIEW_DAYS = 365;
/** Publishing may name an effective date in the past by at most this much (clock skew between client and server). */
const BACKDATE_TOLERANCE_MS = 5 * 60_000;

// ── reading ─────────────────────────────────────────────────────────────────

/**
 * The version in effect for an organisation at `at`: its own published version with the latest effective date
 * not after `at`, else the standard matrix's. Null before anything is published.
 */
export async function matrixInEffect(db: Db, organizationId: string | null, at: Date): Promise<Version | null> {
  const latest = (orgId: string | null) =>
    db.responsibilityMatrixVersion.findFirst({
      where: { organizationId: orgId, status: 'PUBLISHED', effectiveFrom: { lte: at } },
      orderBy: [{ effectiveFrom: 'desc' }, { version: 'desc' }],
    });
  if (organizationId) {
    const own = await latest(organizationId);
    if (own) return own;
  }
  return latest(null);
}

/** Versions a viewer may read: staff all; customers only published ones of the standard matrix or their own. */
export function canReadVersion(viewer: Viewer | null, version: Version): boolean {
  if (!viewer) return false;
  if (isStaff(viewer)) return true;
  return (
    version.status === 'PUBLISHED' &&
    (version.organizationId === null || version.organizationId === viewer.organizationId)
  );
}

export async function readVersion(db: Db, viewer: Viewer | null, version: number): Promise<Version | null> {
  const row = await db.responsibilityMatrixVersion.findUnique({ where: { version } });
  return row && canReadVersion(viewer, row) ? row : null;
}

/** The scope a viewer asks about: customers always their own organisation; staff the one they name (or standard). */
export function scopeFor(viewer: Viewer, organizationId: string | null | undefined): string | null {
  return isStaff(viewer) ? (organizationId ?? null) : viewer.organizationId;
}

export async function versionContent(db: Db, versionId: string): Promise<{ cells: CellData[]; raci: RaciRow[] }> {
  const [cells, raci] = await Promise.all([
    db.responsibilityCell.findMany({ where: { versionId } }),
    db.responsibilityRaci.findMany({ where: { versionId } }),
  ]);
  return { cells, raci };
}

export async function diffVersions(db: Db, from: Version, to: Version) {
  const [a, b, domains] = await Promise.all([
    versionContent(db, from.id),
    versionContent(db, to.id),
    db.responsibilityDomain.findMany({ orderBy: { position: 'asc' }, select: { id: true } }),
  ]);
  return diffMatrices(
    a,
    b,
    domains.map((d) => d.id),
  );
}

export function isInEffect(version: Version, current: Version | null): boolean {
  return !!current && current.id === version.id;
}

// ── domains ─────────────────────────────────────────────────────────────────

export interface DomainInput {
  key: string;
  name: string;
  description?: string | null;
  categories?: string[] | null;
  ticketClasses?: TicketClass[] | null;
  active?: boolean | null;
  position?: number | null;
}

async function categoryClashes(db: Db, categories: string[], exceptDomainId: string | null): Promise<FieldIssue[]> {
  if (categories.length === 0) return [];
  const others = await db.responsibilityDomain.findMany({
    where: {
      active: true,
      categories: { hasSome: categories },
      ...(exceptDomainId ? { NOT: { id: exceptDomainId } } : {}),
    },
  });
  return others.map((o) => ({
    path: ['input', 'categories'],
    message: `${categories.filter((c) => o.categories.includes(c)).join(', ')} already map to ${o.key}`,
  }));
}

type DomainPatch = { [K in keyof DomainInput]?: DomainInput[K] | null };

function domainTextProblems(input: DomainPatch): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.key !== undefined && input.key !== null && !/^[a-z][a-z0-9-]{1,49}$/.test(input.key))
    issues.push({ path: ['input', 'key'], message: 'Use 2 to 50 lower-case letters, digits or hyphens' });
  if (input.name !== undefined && input.name !== null && (input.name.trim().length < 3 || input.name.length > 120))
    issues.push({ path: ['input', 'name'], message: 'Use 3 to 120 characters' });
  for (const c of input.categories ?? [])
    if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(normaliseCategory(c) ?? ''))
      issues.push({
        path: ['input', 'categories'],
        message: `"${c}" is not a category (lower-case words and hyphens)`,
      });
  return issues;
}

export async function createDomain(prisma: PrismaClient, actor: Actor, input: DomainInput, clock: Clock = systemClock) {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, 'add responsibility domains');
  const issues = domainTextProblems(input);
  if (issues.length) throw new ValidationError(issues);
  await ensureResponsibilityDomains(prisma);
  const categories = [...new Set((input.categories ?? []).map((c) => normaliseCategory(c)!))];
  const domain = await prisma.$transaction(async (tx) => {
    if (await tx.responsibilityDomain.findUnique({ where: { key: input.key } }))
      throw new ConflictError(`A domain with key ${input.key} exists`);
    const clashes = await categoryClashes(tx, categories, null);
    if (clashes.length) throw new ValidationError(clashes);
    const last = await tx.responsibilityDomain.aggregate({ _max: { position: true } });
    const created = await tx.responsibilityDomain.create({
      data: {
        key: input.key,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        categories,
        ticketClasses: input.ticketClasses ?? [],
        position: input.position ?? (last._max.position ?? 0) + 10,
        createdAt: clock.now(),
        createdById: actor.viewer.userId,
      },
    });
    await appendEvents(
      tx,
      [
        {
          type: 'responsibility.domain_created',
          ticketId: null,
          organizationId: null,
          internal: true,
          payload: { domain: created.key },
        },
      ],
      clock.now(),
    );
    return created;
  });
  notifyEventsCommitted();
  return domain;
}

export async function updateDomain(
  prisma: PrismaClient,
  actor: Actor,
  input: DomainPatch & { key: string },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, 'change responsibility domains');
  const { key, ...rest } = input;
  const issues = domainTextProblems({ ...rest, key: undefined });
  if (issues.length) throw new ValidationError(issues);
  const domain = await prisma.$transaction(async (tx) => {
    const existing = await tx.responsibilityDomain.findUnique({ where: { key } });
    if (!existing) throw new NotFoundError('ResponsibilityDomain', key);
    const categories =
      rest.categories === undefined || rest.categories === null
        ? existing.categories
        : [...new Set(rest.categories.map((c) => normaliseCategory(c)!))];
    const active = rest.active ?? existing.active;
    if (active) {
      const clashes = await categoryClashes(tx, categories, existing.id);
      if (clashes.length) throw new ValidationError(clashes);
    }
    const updated = await tx.responsibilityDomain.update({
      where: { id: existing.id },
      data: {
        name: rest.name?.trim() ?? existing.name,
        description: rest.description?.trim() ?? existing.description,
        categories,
        ticketClasses: rest.ticketClasses ?? existing.ticketClasses,
        position: rest.position ?? existing.position,
        active,
      },
    });
    await appendEvents(
      tx,
      [
        {
          type: 'responsibility.domain_updated',
          ticketId: null,
          organizationId: null,
          internal: true,
          payload: { domain: key },
        },
      ],
      clock.now(),
    );
    return updated;
  });
  notifyEventsCommitted();
  return domain;
}

export async function domainsByKey(db: Db): Promise<Map<string, ResponsibilityDomain>> {
  const all = await db.responsibilityDomain.findMany();
  return new Map(all.map((d) => [d.key, d]));
}

// ── roles → resolver groups ─────────────────────────────────────────────────

/**
 * Maps an organisational role to resolver groups (admin only: the GOVERNANCE_RISK mapping grants the governance
 * role, and every mapping decides who approves changes).
 */
export async function setRoleGroups(
  prisma: PrismaClient,
  actor: Actor,
  input: { role: OrganizationalRole; groupIds: string[]; primaryGroupId?: string | null },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireAdmin(actor.viewer, 'map organisational roles to resolver groups');
  const groupIds = [...new Set(input.groupIds)];
  const primary = input.primaryGroupId ?? groupIds[0] ?? null;
  if (primary && !groupIds.includes(primary))
    throw ValidationError.of('input.primaryGroupId', 'The primary group must be one of the groups');
  const at = clock.now();
  await prisma.$transaction(async (tx) => {
    const found = await tx.resolverGroup.findMany({ where: { id: { in: groupIds } }, select: { id: true } });
    const missing = groupIds.find((id) => !found.some((g) => g.id === id));
    if (missing) throw new NotFoundError('ResolverGroup', missing);
    const before = await tx.responsibilityRoleGroup.findMany({ where: { role: input.role } });
    await tx.responsibilityRoleGroup.deleteMany({ where: { role: input.role } });
    if (groupIds.length)
      await tx.responsibilityRoleGroup.createMany({
        data: groupIds.map((groupId) => ({ role: input.role, groupId, primary: groupId === primary, createdAt: at })),
      });
    await appendEvents(
      tx,
      [
        {
          type: 'responsibility.role_mapped',
          ticketId: null,
          organizationId: null,
          internal: true,
          payload: { role: input.role, from: before.map((b) => b.groupId), to: groupIds, primaryGroupId: primary },
        },
      ],
      at,
    );
  });
  notifyEventsCommitted();
}

// ── versions: draft → approve → publish ─────────────────────────────────────

export interface ReasonInput {
  kind: ResponsibilityReviewReasonKind;
  detail: string;
}

function reasonProblems(reasons: readonly ReasonInput[], path: string[]): FieldIssue[] {
  return reasons.flatMap((r, i) =>
    r.detail.trim().length < 5 || r.detail.length > 2000
      ? [{ path: [...path, String(i), 'detail'], message: 'Describe the reason (5 to 2,000 characters)' }]
      : [],
  );
}

export interface DraftCreateInput {
  organizationId?: string | null;
  basedOnVersion?: number | null;
  summary: string;
  providerName?: string | null;
  reviewDueAt?: Date | null;
  reasons?: ReasonInput[] | null;
}

async function lockVersions(tx: Tx) {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${VERSION_LOCK}::bigint)`;
}

/**
 * Starts a draft for the standard matrix or a customer's: a copy of the base (by default the version in effect for
 * that scope), with the reasons for the review (given here, or recorded earlier and still open). One open draft or
 * approved version per scope at a time.
 */
export async function createDraft(
  prisma: PrismaClient,
  actor: Actor,
  input: DraftCreateInput,
  clock: Clock = systemClock,
): Promise<Version> {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, 'draft the responsibility matrix');
  const at = clock.now();
  const issues: FieldIssue[] = [];
  const summary = input.summary.trim();
  if (summary.length < 5 || summary.length > 500)
    issues.push({ path: ['input', 'summary'], message: 'Summarise the change in 5 to 500 characters' });
  issues.push(...reasonProblems(input.reasons ?? [], ['input', 'reasons']));
  if (input.reviewDueAt && input.reviewDueAt <= at)
    issues.push({ path: ['input', 'reviewDueAt'], message: 'The review date must be in the future' });
  if (input.providerName !== undefined && input.providerName !== null && input.providerName.trim().length < 2)
    issues.push({ path: ['input', 'providerName'], message: 'Name the cloud provider' });
  if (issues.length) throw new ValidationError(issues);
  await ensureResponsibilityDomains(prisma);
  const organizationId = input.organizationId ?? null;
  if (organizationId) {
    const org = await prisma.organization.findUnique({ where: { id: organizationId } });
    if (org?.kind !== 'CUSTOMER') throw new NotFoundError('Organization', organizationId);
  }
  const draft = await prisma.$transaction(
    async (tx) => {
      await lockVersions(tx);
      const open = await tx.responsibilityMatrixVersion.findFirst({
        where: { organizationId, status: { in: ['DRAFT', 'APPROVED'] } },
      });
      if (open)
        throw new ConflictError(
          `Version ${open.version} of this matrix is still ${open.status}: publish or reject it before starting another`,
        );
      let base: Version | null;
      if (input.basedOnVersion) {
        base = await tx.responsibilityMatrixVersion.findUnique({ where: { version: input.basedOnVersion } });
        if (!base) throw new NotFoundError('ResponsibilityMatrix', String(input.basedOnVersion));
        if (base.organizationId && base.organizationId !== organizationId)
          throw ValidationError.of(
            'input.basedOnVersion',
            `Version ${base.version} is another organisation's matrix; base this draft on the standard matrix or on its own`,
          );
      } else {
        base = await matrixInEffect(tx, organizationId, at);
      }
      const providerName = input.providerName?.trim() || base?.providerName;
      if (!providerName) throw ValidationError.of('input.providerName', 'Name the cloud provider the matrix describes');
      const openReasons = await tx.responsibilityReviewReason.findMany({ where: { organizationId, versionId: null } });
      if (!input.reasons?.length && openReasons.length === 0)
        throw ValidationError.of(
          'input.reasons',
          'Say why the matrix is reviewed (new service, role change, regulation …)',
        );
      const last = await tx.responsibilityMatrixVersion.aggregate({ _max: { version: true } });
      const created = await tx.responsibilityMatrixVersion.create({
        data: {
          version: (last._max.version ?? 0) + 1,
          organizationId,
          status: 'DRAFT',
          summary,
          providerName,
          basedOnVersion: base?.version ?? null,
          reviewDueAt: input.reviewDueAt ?? new Date(at.getTime() + DEFAULT_REVIEW_DAYS * DAY_MS),
          createdById: actor.viewer.userId,
          createdAt: at,
          updatedAt: at,
        },
      });
      if (base) {
        const active = await tx.responsibilityDomain.findMany({ where: { active: true }, select: { id: true } });
        const activeIds = new Set(active.map((d) => d.id));
        const content = await versionContent(tx, base.id);
        const cells = content.cells.filter((c) => activeIds.has(c.domainId));
        const raci = content.raci.filter((r) => activeIds.has(r.domainId));
        if (cells.length)
          await tx.responsibilityCell.createMany({
            data: cells.map((c) => ({
              versionId: created.id,
              domainId: c.domainId,
              serviceModel: c.serviceModel,
              owner: c.owner,
              providerDuties: c.providerDuties,
              customerDuties: c.customerDuties,
            })),
          });
        if (raci.length)
          await tx.responsibilityRaci.createMany({
            data: raci.map((r) => ({ versionId: created.id, domainId: r.domainId, role: r.role, letter: r.letter })),
          });
      }
      if (openReasons.length)
        await tx.responsibilityReviewReason.updateMany({
          where: { id: { in: openReasons.map((r) => r.id) } },
          data: { versionId: created.id },
        });
      if (input.reasons?.length)
        await tx.responsibilityReviewReason.createMany({
          data: input.reasons.map((r) => ({
            kind: r.kind,
            detail: r.detail.trim(),
            organizationId,
            versionId: created.id,
            recordedById: actor.viewer.userId,
            recordedAt: at,
          })),
        });
      await appendEvents(
        tx,
        [
          {
            type: 'responsibility.draft_created',
            ticketId: null,
            organizationId,
            internal: true,
            payload: { version: created.version, basedOnVersion: created.basedOnVersion },
          },
        ],
        at,
      );
      return created;
    },
    { timeout: 20_000 },
  );
  notifyEventsCommitted();
  return draft;
}

export interface CellInput {
  domain: string;
  serviceModel: ServiceModel;
  owner: ResponsibilityParty;
  providerDuties?: string | null;
  customerDuties?: string | null;
}

export interface RaciInput {
  domain: string;
  accountable: OrganizationalRole;
  responsible: OrganizationalRole[];
  consulted?: OrganizationalRole[] | null;
  informed?: OrganizationalRole[] | null;
}

export interface DraftUpdateInput {
  version: number;
  summary?: string | null;
  providerName?: string | null;
  reviewDueAt?: Date | null;
  cells?: CellInput[] | null;
  raci?: RaciInput[] | null;
}

/** Edits a draft: cells (upserted), whole-domain RACI, summary, provider and review date. Only drafts change. */
export async function updateDraft(
  prisma: PrismaClient,
  actor: Actor,
  input: DraftUpdateInput,
  clock: Clock = systemClock,
): Promise<Version> {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, 'edit the responsibility matrix');
  const at = clock.now();
  const issues: FieldIssue[] = [];
  if (input.summary !== undefined && input.summary !== null && input.summary.trim().length < 5)
    issues.push({ path: ['input', 'summary'], message: 'Summarise the change in 5 to 500 characters' });
  if (input.providerName !== undefined && input.providerName !== null && input.providerName.trim().length < 2)
    issues.push({ path: ['input', 'providerName'], message: 'Name the cloud provider' });
  if (input.reviewDueAt && input.reviewDueAt <= at)
    issues.push({ path: ['input', 'reviewDueAt'], message: 'The review date must be in the future' });
  const domains = await domainsByKey(prisma);
  const cells: CellData[] = [];
  (input.cells ?? []).forEach((c, i) => {
    const domain = domains.get(c.domain);
    if (!domain) {
      issues.push({ path: ['input', 'cells', String(i), 'domain'], message: `No domain ${c.domain}` });
      return;
    }
    const cell = {
      domainId: domain.id,
      serviceModel: c.serviceModel,
      owner: c.owner,
      providerDuties: c.providerDuties?.trim() ?? '',
      customerDuties: c.customerDuties?.trim() ?? '',
    };
    for (const message of cellProblems(cell)) issues.push({ path: ['input', 'cells', String(i)], message });
    if (cells.some((x) => x.domainId === cell.domainId && x.serviceModel === cell.serviceModel))
      issues.push({ path: ['input', 'cells', String(i)], message: `${c.domain} × ${c.serviceModel} is given twice` });
    cells.push(cell);
  });
  const raci: { domainId: string; raci: DomainRaci }[] = [];
  (input.raci ?? []).forEach((r, i) => {
    const domain = domains.get(r.domain);
    if (!domain) {
      issues.push({ path: ['input', 'raci', String(i), 'domain'], message: `No domain ${r.domain}` });
      return;
    }
    const value: DomainRaci = {
      accountable: r.accountable,
      responsible: [...new Set(r.responsible)],
      consulted: [...new Set(r.consulted ?? [])],
      informed: [...new Set(r.informed ?? [])],
    };
    for (const message of raciProblems(value)) issues.push({ path: ['input', 'raci', String(i)], message });
    if (raci.some((x) => x.domainId === domain.id))
      issues.push({ path: ['input', 'raci', String(i)], message: `${r.domain} is given twice` });
    raci.push({ domainId: domain.id, raci: value });
  });
  if (issues.length) throw new ValidationError(issues);
  const updated = await prisma.$transaction(
    async (tx) => {
      const version = await tx.responsibilityMatrixVersion.findUnique({ where: { version: input.version } });
      if (!version) throw new NotFoundError('ResponsibilityMatrix', String(input.version));
      const locked = await tx.responsibilityMatrixVersion.updateMany({
        where: { id: version.id, status: 'DRAFT' },
        data: {
          updatedAt: at,
          ...(input.summary ? { summary: input.summary.trim() } : {}),
          ...(input.providerName ? { providerName: input.providerName.trim() } : {}),
          ...(input.reviewDueAt ? { reviewDueAt: input.reviewDueAt } : {}),
        },
      });
      if (locked.count === 0)
        throw new ConflictError(`Version ${version.version} is ${version.status}; only drafts are edited`);
      for (const cell of cells) {
        const data = { owner: cell.owner, providerDuties: cell.providerDuties, customerDuties: cell.customerDuties };
        await tx.responsibilityCell.upsert({
          where: {
            versionId_domainId_serviceModel: {
              versionId: version.id,
              domainId: cell.domainId,
              serviceModel: cell.serviceModel,
            },
          },
          create: { versionId: version.id, domainId: cell.domainId, serviceModel: cell.serviceModel, ...data },
          update: data,
        });
      }
      for (const r of raci) {
        await tx.responsibilityRaci.deleteMany({ where: { versionId: version.id, domainId: r.domainId } });
        await tx.responsibilityRaci.createMany({
          data: raciRows(r.domainId, r.raci).map((row) => ({ ...row, versionId: version.id })),
        });
      }
      return tx.responsibilityMatrixVersion.findUniqueOrThrow({ where: { id: version.id } });
    },
    { timeout: 20_000 },
  );
  return updated;
}

/** Whether a version is complete enough to approve or publish (the problems, empty when it is). */
export async function versionProblems(db: Db, version: Version): Promise<FieldIssue[]> {
  const domains = await db.responsibilityDomain.findMany({ where: { active: true }, orderBy: { position: 'asc' } });
  const content = await versionContent(db, version.id);
  return completenessProblems(domains, content.cells, content.raci);
}

async function decide(
  prisma: PrismaClient,
  actor: Actor,
  input: { version: number; comment: string },
  approve: boolean,
  clock: Clock,
): Promise<Version> {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, `${approve ? 'approve' : 'reject'} the responsibility matrix`);
  const comment = input.comment.trim();
  if (comment.length < 3 || comment.length > 2000)
    throw ValidationError.of('input.comment', 'Comment on the decision (3 to 2,000 characters)');
  const at = clock.now();
  const decided = await prisma.$transaction(
    async (tx) => {
      const version = await tx.responsibilityMatrixVersion.findUnique({ where: { version: input.version } });
      if (!version) throw new NotFoundError('ResponsibilityMatrix', String(input.version));
      if (version.status !== 'DRAFT')
        throw new ConflictError(
          `Version ${version.version} is ${version.status}; only drafts are approved or rejected`,
        );
      if (approve && version.createdById === actor.viewer.userId)
        throw forbidden('The author of a draft cannot approve it: another governance member must (four-eyes)');
      if (approve) {
        const problems = await versionProblems(tx, version);
        if (problems.length) throw new ValidationError(problems.map((p) => ({ ...p, path: ['input', ...p.path] })));
      }
      const changed = await tx.responsibilityMatrixVersion.updateMany({
        where: { id: version.id, status: 'DRAFT' },
        data: {
          status: approve ? 'APPROVED' : 'REJECTED',
          decidedById: actor.viewer.userId,
          decidedAt: at,
          decisionComment: comment,
          updatedAt: at,
        },
      });
      if (changed.count === 0) throw new ConflictError(`Version ${version.version} was decided by someone else`);
      await appendEvents(
        tx,
        [
          {
            type: approve ? 'responsibility.matrix_approved' : 'responsibility.matrix_rejected',
            ticketId: null,
            organizationId: version.organizationId,
            internal: true,
            payload: { version: version.version },
          },
        ],
        at,
      );
      return tx.responsibilityMatrixVersion.findUniqueOrThrow({ where: { id: version.id } });
    },
    { timeout: 20_000 },
  );
  notifyEventsCommitted();
  return decided;
}

/** Governance approves a complete draft; its author cannot (four-eyes). The approved version is frozen. */
export const approveVersion = (
  prisma: PrismaClient,
  actor: Actor,
  input: { version: number; comment: string },
  clock: Clock = systemClock,
) => decide(prisma, actor, input, true, clock);

/** Governance rejects a draft (its author may withdraw it this way); a new draft can be based on it. */
export const rejectVersion = (
  prisma: PrismaClient,
  actor: Actor,
  input: { version: number; comment: string },
  clock: Clock = systemClock,
) => decide(prisma, actor, input, false, clock);

/**
 * Publishes an approved version: it takes effect at `effectiveFrom` (now by default; a future date schedules it)
 * and replaces the scope's previous version from then on. Published versions never change.
 */
export async function publishVersion(
  prisma: PrismaClient,
  actor: Actor,
  input: { version: number; effectiveFrom?: Date | null; reviewDueAt?: Date | null },
  clock: Clock = systemClock,
): Promise<Version> {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, 'publish the responsibility matrix');
  const at = clock.now();
  const effectiveFrom = input.effectiveFrom ?? at;
  if (effectiveFrom.getTime() < at.getTime() - BACKDATE_TOLERANCE_MS)
    throw ValidationError.of('input.effectiveFrom', 'A version cannot take effect in the past');
  const published = await prisma.$transaction(
    async (tx) => {
      await lockVersions(tx);
      const version = await tx.responsibilityMatrixVersion.findUnique({ where: { version: input.version } });
      if (!version) throw new NotFoundError('ResponsibilityMatrix', String(input.version));
      if (version.status !== 'APPROVED')
        throw new ConflictError(
          `Version ${version.version} is ${version.status}; only versions approved by governance are published`,
        );
      const reviewDueAt = input.reviewDueAt ?? version.reviewDueAt;
      if (reviewDueAt <= effectiveFrom)
        throw ValidationError.of('input.reviewDueAt', 'The review must fall due after the version takes effect');
      const later = await tx.responsibilityMatrixVersion.findFirst({
        where: { organizationId: version.organizationId, status: 'PUBLISHED', effectiveFrom: { gt: effectiveFrom } },
      });
      if (later)
        throw new ConflictError(
          `Version ${later.version} takes effect later (${later.effectiveFrom!.toISOString()}); publish with a later date`,
        );
      await tx.responsibilityMatrixVersion.update({
        where: { id: version.id },
        data: {
          status: 'PUBLISHED',
          publishedById: actor.viewer.userId,
          publishedAt: at,
          effectiveFrom,
          reviewDueAt,
          updatedAt: at,
        },
      });
      await appendEvents(
        tx,
        [
          {
            type: 'responsibility.matrix_published',
            ticketId: null,
            organizationId: version.organizationId,
            internal: false,
            payload: { version: version.version, effectiveFrom: effectiveFrom.toISOString() },
          },
        ],
        at,
      );
      return tx.responsibilityMatrixVersion.findUniqueOrThrow({ where: { id: version.id } });
    },
    { timeout: 20_000 },
  );
  notifyEventsCommitted();
  return published;
}

// ── reviews ─────────────────────────────────────────────────────────────────

/** The versions in effect (one per scope) whose review date has passed. */
export async function overdueVersions(db: Db, at: Date): Promise<Version[]> {
  const published = await db.responsibilityMatrixVersion.findMany({
    where: { status: 'PUBLISHED', effectiveFrom: { lte: at } },
    orderBy: [{ effectiveFrom: 'desc' }, { version: 'desc' }],
  });
  const current = new Map<string, Version>();
  for (const v of published) if (!current.has(v.organizationId ?? '')) current.set(v.organizationId ?? '', v);
  return [...current.values()].filter((v) => v.reviewDueAt <= at).sort((a, b) => a.version - b.version);
}

/**
 * Flags each overdue review once: sets `reviewOverdueFlaggedAt` and appends `responsibility.review_overdue`. Runs
 * when the review status is read and at seeding; a scheduler can call it periodically. Returns how many it flagged.
 */
export async function flagOverdueReviews(prisma: PrismaClient, clock: Clock = systemClock): Promise<number> {
  const at = clock.now();
  const due = (await overdueVersions(prisma, at)).filter((v) => !v.reviewOverdueFlaggedAt);
  let flagged = 0;
  for (const v of due) {
    const done = await prisma.$transaction(async (tx) => {
      const changed = await tx.responsibilityMatrixVersion.updateMany({
        where: { id: v.id, reviewOverdueFlaggedAt: null },
        data: { reviewOverdueFlaggedAt: at },
      });
      if (changed.count === 0) return false;
      await appendEvents(
        tx,
        [
          {
            type: 'responsibility.review_overdue',
            ticketId: null,
            organizationId: v.organizationId,
            internal: true,
            payload: { version: v.version, reviewDueAt: v.reviewDueAt.toISOString() },
          },
        ],
        at,
      );
      return true;
    });
    if (done) flagged += 1;
  }
  if (flagged) notifyEventsCommitted();
  return flagged;
}

/**
 * Records why the matrix needs a review (new service, role change, regulation, audit lesson …). It joins the open
 * draft of its scope if there is one, else waits for the next draft.
 */
export async function recordReviewReason(
  prisma: PrismaClient,
  actor: Actor,
  input: ReasonInput & { organizationId?: string | null },
  clock: Clock = systemClock,
): Promise<ResponsibilityReviewReason> {
  requireScope(actor, 'tickets:write');
  await requireGovernance(prisma, actor.viewer, 'record reasons to review the responsibility matrix');
  const issues = reasonProblems([input], ['input']);
  if (issues.length) throw new ValidationError(issues.map((i) => ({ ...i, path: ['input', 'detail'] })));
  const organizationId = input.organizationId ?? null;
  if (organizationId) {
    const org = await prisma.organization.findUnique({ where: { id: organizationId } });
    if (org?.kind !== 'CUSTOMER') throw new NotFoundError('Organization', organizationId);
  }
  const at = clock.now();
  const reason = await prisma.$transaction(async (tx) => {
    const draft = await tx.responsibilityMatrixVersion.findFirst({ where: { organizationId, status: 'DRAFT' } });
    const created = await tx.responsibilityReviewReason.create({
      data: {
        kind: input.kind,
        detail: input.detail.trim(),
        organizationId,
        versionId: draft?.id ?? null,
        recordedById: actor.viewer.userId,
        recordedAt: at,
      },
    });
    await appendEvents(
      tx,
      [
        {
          type: 'responsibility.review_requested',
          ticketId: null,
          organizationId,
          internal: true,
          payload: { reasonId: created.id, kind: created.kind, draftVersion: draft?.version ?? null },
        },
      ],
      at,
    );
    return created;
  });
  notifyEventsCommitted();
  return reason;
}
