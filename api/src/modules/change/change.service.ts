import type { Tx } from '../../db/tx.js';
import { ConflictError, forbidden, InvalidTransitionError, NotFoundError, ValidationError } from '../../errors.js';
import type {
  ChangeApproval,
  ChangeApprovalStep,
  PrismaClient,
  ResolverGroup,
  Ticket,
} from '../../generated/prisma/client.js';
import type { ChangeApprovalStepKind, ChangeScope, TicketStatus } from '../../generated/prisma/enums.js';
import type { AuditChange } from '../audit/audit.service.js';
import { isStaff, roleAtLeast, type Viewer } from '../auth/scopes.js';
import { groupsOfRole, primaryGroupOf } from '../responsibility/governance.js';
import { ROLE_INFO, raciByDomain } from '../responsibility/matrix.js';
import { matrixInEffect } from '../responsibility/matrix.service.js';
import { ownershipInputsChanged, resolveTicketDomain } from '../responsibility/ownership.service.js';
import { viewerGroupIds } from '../ticket/access.js';
import type { TicketHookContext, TicketHookOutput } from '../ticket/hooks.js';
import { type Actor, type Clock, mutateTicket, requireScope, requireStaff, systemClock } from '../ticket/mutate.js';
import { allowedTransitions } from '../ticket/workflow.js';
import { approvalStatus, SCOPE_LABEL, STEP_INFO, scopeFromRaci, stepsFor } from './scope.js';

type Db = PrismaClient | Tx;
type Events = NonNullable<TicketHookOutput['events']>;

export interface ChangePlan {
  scope: ChangeScope | null;
  /** EXPLICIT (set by staff), DOMAIN (derived from the matrix RACI) or NONE. */
  source: 'EXPLICIT' | 'DOMAIN' | 'NONE';
  reason: string;
  domainId: string | null;
  matrixVersion: number | null;
}

/** The scope of a change ticket, derived from the domain it concerns and the RACI of the matrix in effect. */
export async function derivePlan(db: Db, ticket: Ticket, at: Date): Promise<ChangePlan> {
  const resolution = await resolveTicketDomain(db, ticket);
  if (!resolution)
    return {
      scope: null,
      source: 'NONE',
      reason: 'No responsibility domain applies (give the ticket a category that maps to one, or set the scope)',
      domainId: null,
      matrixVersion: null,
    };
  const version = await matrixInEffect(db, ticket.organizationId, at);
  const domainText = `${resolution.domain.name} (${resolution.detail})`;
  if (!version)
    return {
      scope: null,
      source: 'NONE',
      reason: `${domainText}: no responsibility matrix is in effect; set the scope`,
      domainId: resolution.domain.id,
      matrixVersion: null,
    };
  const rows = await db.responsibilityRaci.findMany({
    where: { versionId: version.id, domainId: resolution.domain.id },
  });
  const raci = raciByDomain(rows).get(resolution.domain.id) ?? null;
  const { scope, basis } = scopeFromRaci(raci);
  return {
    scope,
    source: scope ? 'DOMAIN' : 'NONE',
    reason: scope
      ? `${domainText}: in matrix version ${version.version} the ${scopeTeams(scope)} ${
          basis === 'Responsible' ? 'is Responsible' : 'takes part (Accountable or Consulted)'
        }, so the change is ${SCOPE_LABEL[scope]}`
      : `${domainText}: ${basis}; set the scope`,
    domainId: resolution.domain.id,
    matrixVersion: version.version,
  };
}

function scopeTeams(scope: ChangeScope): string {
  if (scope === 'PLATFORM') return ROLE_INFO.PLATFORM_CLOUD.name;
  if (scope === 'WORKLOAD') return ROLE_INFO.WORKLOAD_APPLICATION.name;
  return `${ROLE_INFO.PLATFORM_CLOUD.name} and ${ROLE_INFO.WORKLOAD_APPLICATION.name}`;
}

/** The team that decides a step: the owning application team for workload approvals, else the role's primary group. */
async function approverGroupFor(db: Db, ticket: Ticket, kind: ChangeApprovalStepKind): Promise<ResolverGroup | null> {
  const role = STEP_INFO[kind].role;
  if (kind === 'WORKLOAD_APPROVAL' && ticket.resolverGroupId) {
    const workloadGroups = await groupsOfRole(db, role);
    const owning = workloadGroups.find((g) => g.id === ticket.resolverGroupId);
    if (owning) return owning;
  }
  return primaryGroupOf(db, role);
}

export interface PlannedRound {
  audit: AuditChange[];
  events: Events;
  write(tx: Tx): Promise<void>;
}

/**
 * A new round of approvals for `plan` (steps still pending in the previous round are superseded; decided ones stay
 * as history). The writes are returned separately so a ticket mutation can run them after its version check.
 */
export async function planRound(
  db: Db,
  ticket: Ticket,
  approval: (ChangeApproval & { steps: ChangeApprovalStep[] }) | null,
  plan: ChangePlan,
  at: Date,
  why: string,
): Promise<PlannedRound> {
  const round = approval ? approval.round + 1 : 1;
  const kinds = stepsFor(plan.scope);
  const steps = await Promise.all(
    kinds.map(async (kind) => ({ kind, group: await approverGroupFor(db, ticket, kind) })),
  );
  const status = approvalStatus(
    plan.scope,
    kinds.map((kind) => ({ kind, status: 'PENDING' as const })),
  );
  const summary = {
    round,
    scope: plan.scope,
    status,
    steps: steps.map((s) => ({ kind: s.kind, approverGroupId: s.group?.id ?? null })),
  };
  return {
    audit: [
      {
        action: 'change_approval_requested',
        field: 'changeApproval',
        oldValue: approval ? { round: approval.round, scope: approval.scope, status: approval.status } : null,
        newValue: summary,
        reason: `${why}. ${plan.reason}`,
      },
    ],
    events: [
      {
        type: 'change.approval_requested',
        internal: false,
        payload: { round, scope: plan.scope, status, steps: kinds },
      },
    ],
    write: async (tx) => {
      const data = {
        status,
        scope: plan.scope,
        scopeSource: plan.source,
        scopeReason: plan.reason,
        round,
        domainId: plan.domainId,
        matrixVersion: plan.matrixVersion,
        updatedAt: at,
        decidedAt: null,
      };
      const saved = approval
        ? await tx.changeApproval.update({ where: { id: approval.id }, data })
        : await tx.changeApproval.create({ data: { ...data, ticketId: ticket.id, createdAt: at } });
      if (approval)
        await tx.changeApprovalStep.updateMany({
          where: { approvalId: approval.id, status: 'PENDING' },
          data: { status: 'SUPERSEDED' },
        });
      await tx.changeApprovalStep.createMany({
        data: steps.map((s) => ({
          approvalId: saved.id,
          round,
          kind: s.kind,
          role: STEP_INFO[s.kind].role,
          approverGroupId: s.group?.id ?? null,
          createdAt: at,
        })),
      });
    },
  };
}

export async function approvalOf(db: Db, ticketId: string) {
  return db.changeApproval.findUnique({ where: { ticketId }, include: { steps: true } });
}

function currentSteps(approval: ChangeApproval & { steps: ChangeApprovalStep[] }) {
  return approval.steps.filter((s) => s.round === approval.round);
}

/** "Platform team's approval, security and governance policy check" — what the current round still waits for. */
export function pendingText(approval: (ChangeApproval & { steps: ChangeApprovalStep[] }) | null): string {
  if (!approval) return 'no approval has been requested';
  if (approval.status === 'REJECTED') return 'the change was rejected';
  if (approval.status === 'AWAITING_SCOPE') return 'its scope is not set yet';
  const pending = currentSteps(approval).filter((s) => s.status === 'PENDING');
  return pending.length ? `waiting for the ${pending.map((s) => STEP_INFO[s.kind].label).join(', ')}` : 'pending';
}

// ── the ticket hook ─────────────────────────────────────────────────────────

/** A customer (portal, API or their e-mail) moved the ticket, e.g. by replying to a request for information. */
function customerDriven(actor: Actor): boolean {
  return !isStaff(actor.viewer) || actor.channel === 'EMAIL';
}

export async function onChangeCreated(ctx: TicketHookContext, ticket: Ticket): Promise<TicketHookOutput | undefined> {
  if (ticket.class !== 'CHANGE_INQUIRY') return undefined;
  const plan = await derivePlan(ctx.tx, ticket, ctx.at);
  const round = await planRound(ctx.tx, ticket, null, plan, ctx.at, 'Change logged');
  await round.write(ctx.tx);
  return { audit: round.audit, events: round.events };
}

/**
 * Keeps change control in step with the ticket, and gates implementation: a change ticket cannot enter IN_PROGRESS
 * until its approval is APPROVED. A staff transition fails with InvalidTransitionError (thrown here, it rolls the
 * whole change back). A customer's action that would resume work (a reply to a request for information, a reopen,
 * rejecting a resolution, by portal or e-mail) is not refused — the reply must not be lost — the ticket is held at
 * ASSIGNED (NEW without a group) until the change is approved.
 */
export async function onChangeChanged(
  ctx: TicketHookContext,
  before: Ticket,
  after: Ticket,
): Promise<TicketHookOutput | undefined> {
  const { tx, actor, at } = ctx;
  const audit: AuditChange[] = [];
  const events: Events = [];
  const isChange = after.class === 'CHANGE_INQUIRY';
  if (isChange && before.class !== 'CHANGE_INQUIRY') {
    const approval = await approvalOf(tx, after.id);
    const plan = await derivePlan(tx, after, at);
    const round = await planRound(tx, after, approval, plan, at, 'Reclassified as a change');
    await round.write(tx);
    audit.push(...round.audit);
    events.push(...round.events);
  } else if (!isChange && before.class === 'CHANGE_INQUIRY') {
    const approval = await approvalOf(tx, after.id);
    if (approval && approval.status !== 'WITHDRAWN') {
      await tx.changeApprovalStep.updateMany({
        where: { approvalId: approval.id, status: 'PENDING' },
        data: { status: 'SUPERSEDED' },
      });
      await tx.changeApproval.update({ where: { id: approval.id }, data: { status: 'WITHDRAWN', updatedAt: at } });
      audit.push({
        action: 'change_approval_status',
        field: 'changeApproval',
        oldValue: approval.status,
        newValue: 'WITHDRAWN',
        reason: `reclassified as ${after.class}`,
      });
      events.push({ type: 'change.withdrawn', internal: false, payload: { round: approval.round } });
    }
  } else if (isChange && ownershipInputsChanged(tx, before, after)) {
    const approval = await approvalOf(tx, after.id);
    if (approval && approval.scopeSource !== 'EXPLICIT' && approval.status !== 'APPROVED') {
      const plan = await derivePlan(tx, after, at);
      const decided = currentSteps(approval).filter((s) => s.status !== 'PENDING' && s.status !== 'SUPERSEDED');
      if (plan.scope !== approval.scope && decided.length === 0) {
        const round = await planRound(tx, after, approval, plan, at, 'The change now concerns another domain');
        await round.write(tx);
        audit.push(...round.audit);
        events.push(...round.events);
      }
    }
  }

  if (isChange && after.status === 'IN_PROGRESS' && before.status !== 'IN_PROGRESS') {
    const approval = await approvalOf(tx, after.id);
    if (approval?.status !== 'APPROVED') {
      const why = `${after.number} is a change and ${pendingText(approval)}: it can move to IN_PROGRESS (implementation) once every approval step is approved`;
      if (!customerDriven(actor))
        throw new InvalidTransitionError(
          before.status,
          'IN_PROGRESS',
          allowedTransitions(before.status).filter((s) => s !== 'IN_PROGRESS'),
          why,
        );
      const held: TicketStatus = after.resolverGroupId || after.assigneeId ? 'ASSIGNED' : 'NEW';
      await tx.ticket.update({ where: { id: after.id }, data: { status: held } });
      audit.push({ action: 'status_changed', field: 'status', oldValue: 'IN_PROGRESS', newValue: held, reason: why });
      events.push({ type: 'ticket.status_changed', internal: false, payload: { from: 'IN_PROGRESS', to: held } });
    }
  }
  return audit.length || events.length ? { audit, events } : undefined;
}

// ── deciding ────────────────────────────────────────────────────────────────

/**
 * Who may decide a step: members of any group mapped to the Platform/Cloud role for the Platform approval; members
 * of the owning application team (the step's group) for the workload approval; members of groups mapped to Security
 * and compliance or to Governance and risk for the policy check; admins for any.
 */
export async function mayDecide(db: Db, viewer: Viewer | null, step: ChangeApprovalStep): Promise<boolean> {
  if (!viewer || !isStaff(viewer)) return false;
  if (roleAtLeast(viewer.role, 'ADMIN')) return true;
  const mine = await viewerGroupIds(db, viewer);
  if (mine.length === 0) return false;
  if (step.kind === 'WORKLOAD_APPROVAL') return !!step.approverGroupId && mine.includes(step.approverGroupId);
  const roles = step.kind === 'PLATFORM_APPROVAL' ? ['PLATFORM_CLOUD'] : ['SECURITY_COMPLIANCE', 'GOVERNANCE_RISK'];
  const mapped = await db.responsibilityRoleGroup.findMany({
    where: { role: { in: roles as never }, groupId: { in: mine } },
    select: { groupId: true },
  });
  return mapped.length > 0;
}

export interface DecideInput {
  stepId: string;
  decision: 'APPROVE' | 'REJECT';
  comment: string;
  /** The ticket version the approver read; null skips the check (the step's own state is checked regardless). */
  ticketVersion?: number | null;
}

/**
 * Approves or rejects one step with a comment. Recorded on the step and, through mutateTicket, in the ticket's audit
 * trail and event log. An approver may not otherwise see the ticket (an agent of another group): the decision then
 * acts with a lead's visibility, for this change only, after the approver's authority was checked here.
 */
export async function decideStep(prisma: PrismaClient, actor: Actor, input: DecideInput, clock: Clock = systemClock) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'decide change approvals');
  const comment = input.comment.trim();
  if (comment.length < 3 || comment.length > 2000)
    throw ValidationError.of('input.comment', 'Comment on the decision (3 to 2,000 characters)');
  const step = await prisma.changeApprovalStep.findUnique({
    where: { id: input.stepId },
    include: { approval: { include: { ticket: true } }, approverGroup: true },
  });
  if (!step) throw new NotFoundError('ChangeApprovalStep', input.stepId);
  if (!(await mayDecide(prisma, actor.viewer, step))) {
    const who =
      step.kind === 'WORKLOAD_APPROVAL'
        ? `members of ${step.approverGroup?.name ?? 'the owning application team'}`
        : step.kind === 'PLATFORM_APPROVAL'
          ? `members of a group mapped to the ${ROLE_INFO.PLATFORM_CLOUD.name}`
          : `members of a group mapped to the ${ROLE_INFO.SECURITY_COMPLIANCE.name} or ${ROLE_INFO.GOVERNANCE_RISK.name}`;
    throw forbidden(`Only ${who} (or an admin) can decide the ${STEP_INFO[step.kind].label}`);
  }
  const ticket = step.approval.ticket;
  if (ticket.requesterId === actor.viewer.userId || ticket.createdById === actor.viewer.userId)
    throw forbidden('Whoever requested or logged a change cannot approve it');
  const viewer = roleAtLeast(actor.viewer.role, 'LEAD') ? actor.viewer : { ...actor.viewer, role: 'LEAD' as const };
  return mutateTicket(
    prisma,
    { ...actor, viewer },
    ticket.id,
    input.ticketVersion ?? null,
    async (_t, tx, at) => {
      const approval = await approvalOf(tx, ticket.id);
      const fresh = approval?.steps.find((s) => s.id === step.id);
      if (!approval || !fresh) throw new NotFoundError('ChangeApprovalStep', input.stepId);
      if (approval.status === 'WITHDRAWN' || approval.status === 'REJECTED')
        throw new ConflictError(
          `The change is ${approval.status === 'WITHDRAWN' ? 'no longer a change' : 'rejected'}; request approval again first`,
        );
      if (fresh.status !== 'PENDING' || fresh.round !== approval.round)
        throw new ConflictError(
          `The ${STEP_INFO[fresh.kind].label} is ${fresh.round !== approval.round ? 'from an earlier round' : fresh.status}; reload the change`,
        );
      const decided = input.decision === 'APPROVE' ? ('APPROVED' as const) : ('REJECTED' as const);
      const next = approvalStatus(
        approval.scope,
        currentSteps(approval).map((s) => (s.id === fresh.id ? { ...s, status: decided } : s)),
      );
      const audit: AuditChange[] = [
        {
          action: 'change_approval_decided',
          field: 'changeApproval',
          oldValue: { stepId: fresh.id, kind: fresh.kind, status: 'PENDING' },
          newValue: { stepId: fresh.id, kind: fresh.kind, status: decided, round: approval.round },
          reason: comment,
        },
      ];
      const events: Events = [
        {
          type: 'change.approval_decided',
          internal: true,
          payload: { stepId: fresh.id, kind: fresh.kind, decision: decided, round: approval.round },
        },
      ];
      if (next !== approval.status) {
        audit.push({
          action: 'change_approval_status',
          field: 'changeApproval',
          oldValue: approval.status,
          newValue: next,
          reason: decided === 'REJECTED' ? `${STEP_INFO[fresh.kind].label} rejected: ${comment}` : null,
        });
        if (next === 'APPROVED' || next === 'REJECTED')
          events.push({ type: `change.${next.toLowerCase()}`, internal: false, payload: { round: approval.round } });
      }
      return {
        audit,
        events,
        after: async (t) => {
          const updated = await t.changeApprovalStep.updateMany({
            where: { id: fresh.id, status: 'PENDING' },
            data: { status: decided, decidedById: actor.viewer.userId, decidedAt: at, comment },
          });
          if (updated.count === 0) throw new ConflictError('The step was decided by someone else; reload the change');
          await t.changeApproval.update({
            where: { id: approval.id },
            data: {
              status: next,
              updatedAt: at,
              decidedAt: next === 'APPROVED' || next === 'REJECTED' ? at : null,
            },
          });
        },
      };
    },
    clock,
  );
}

/**
 * Requests approval again (after a rejection, or for another scope): staff give the scope, or leave it to be
 * derived from the matrix. Steps still pending are superseded; the new round starts with every step pending.
 */
export async function requestApproval(
  prisma: PrismaClient,
  actor: Actor,
  input: { ticketId: string; version: number; scope?: ChangeScope | null; reason: string },
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'request change approvals');
  const why = input.reason.trim();
  if (why.length < 5 || why.length > 500) throw ValidationError.of('input.reason', 'Say why (5 to 500 characters)');
  let round: PlannedRound | undefined;
  return mutateTicket(
    prisma,
    actor,
    input.ticketId,
    input.version,
    async (ticket, tx, at) => {
      if (ticket.class !== 'CHANGE_INQUIRY')
        throw ValidationError.of('input.id', `${ticket.number} is not a change-related ticket`);
      if (['IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED'].includes(ticket.status))
        throw ValidationError.of(
          'input.id',
          `${ticket.number} is ${ticket.status}: approval is requested before implementation starts`,
        );
      const approval = await approvalOf(tx, ticket.id);
      const plan: ChangePlan = input.scope
        ? {
            scope: input.scope,
            source: 'EXPLICIT',
            reason: `Scope set by staff: ${SCOPE_LABEL[input.scope]}`,
            domainId: approval?.domainId ?? null,
            matrixVersion: approval?.matrixVersion ?? null,
          }
        : await derivePlan(tx, ticket, at);
      round = await planRound(tx, ticket, approval, plan, at, why);
      return {
        audit: round.audit,
        events: round.events,
        after: async (t) => round!.write(t),
      };
    },
    clock,
  );
}

/** Pending steps of current rounds that the viewer may decide, oldest first (an approver's inbox). */
export async function stepsAwaiting(prisma: PrismaClient, viewer: Viewer) {
  const steps = await prisma.changeApprovalStep.findMany({
    where: { status: 'PENDING', approval: { status: { in: ['PENDING', 'AWAITING_SCOPE'] } } },
    include: { approval: true },
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  const mine: ChangeApprovalStep[] = [];
  for (const s of steps) if (s.round === s.approval.round && (await mayDecide(prisma, viewer, s))) mine.push(s);
  return mine;
}
