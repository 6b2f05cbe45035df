import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/tx.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type {
  PrismaClient,
  ResponsibilityDomain,
  ResponsibilityMatrixVersion,
  Ticket,
  TicketOwnershipDecision,
} from '../../generated/prisma/client.js';
import type {
  OrganizationalRole,
  OwnershipRoutingAction,
  ResponsibilityParty,
  ServiceModel,
} from '../../generated/prisma/enums.js';
import type { AuditChange } from '../audit/audit.service.js';
import { createEscalation } from '../escalation/escalation.service.js';
import type { TicketHookContext, TicketHookOutput } from '../ticket/hooks.js';
import { type Actor, type Clock, mutateTicket, requireScope, requireStaff, systemClock } from '../ticket/mutate.js';
import { OPEN_STATUSES } from '../ticket/workflow.js';
import { primaryGroupOf } from './governance.js';
import {
  type DomainRaci,
  normaliseCategory,
  ownerPhrase,
  ROLE_INFO,
  raciByDomain,
  SERVICE_MODEL_LABEL,
} from './matrix.js';
import { matrixInEffect } from './matrix.service.js';

type Db = PrismaClient | Tx;

/**
 * Which domain a ticket concerns, in this order: the domain staff set on it (`ticketResponsibilityDomainSet`), the
 * active domain whose categories include the ticket's category, the active domain that lists the ticket's class
 * (ACCESS_REQUEST → identity and access). Otherwise none, and ownership is undetermined.
 */
export type DomainSource = 'EXPLICIT' | 'CATEGORY' | 'TICKET_CLASS';

export interface DomainResolution {
  domain: ResponsibilityDomain;
  source: DomainSource;
  detail: string;
}

export async function resolveTicketDomain(
  db: Db,
  ticket: Pick<Ticket, 'id' | 'category' | 'class'>,
): Promise<DomainResolution | null> {
  const explicit = await db.ticketResponsibility.findUnique({
    where: { ticketId: ticket.id },
    include: { domain: true },
  });
  if (explicit) return { domain: explicit.domain, source: 'EXPLICIT', detail: `set by staff: ${explicit.reason}` };
  const domains = await db.responsibilityDomain.findMany({ where: { active: true }, orderBy: { position: 'asc' } });
  const category = normaliseCategory(ticket.category);
  const byCategory = category ? domains.find((d) => d.categories.includes(category)) : undefined;
  if (byCategory) return { domain: byCategory, source: 'CATEGORY', detail: `category "${category}"` };
  const byClass = domains.find((d) => d.ticketClasses.includes(ticket.class));
  if (byClass)
    return {
      domain: byClass,
      source: 'TICKET_CLASS',
      detail: `${ticket.class.toLowerCase().replace(/_/g, ' ')} tickets`,
    };
  return null;
}

/** The keys of the domains a ticket concerns (at most one today), for routing rules keyed on a domain. */
export async function ticketDomainKeys(db: Db, ticket: Pick<Ticket, 'id' | 'category' | 'class'>): Promise<string[]> {
  const resolution = await resolveTicketDomain(db, ticket);
  return resolution ? [resolution.domain.key] : [];
}

export interface OwnershipView {
  determined: boolean;
  domain: ResponsibilityDomain | null;
  domainSource: DomainSource | null;
  serviceModel: ServiceModel | null;
  serviceName: string | null;
  version: ResponsibilityMatrixVersion | null;
  owner: ResponsibilityParty | null;
  providerDuties: string | null;
  customerDuties: string | null;
  raci: DomainRaci | null;
  explanation: string;
  /** The routing decision this view comes from; null when computed live (no decision recorded). */
  decision: TicketOwnershipDecision | null;
}

async function cellAndRaci(db: Db, versionId: string, domainId: string, serviceModel: ServiceModel) {
  const [cell, rows] = await Promise.all([
    db.responsibilityCell.findUnique({
      where: { versionId_domainId_serviceModel: { versionId, domainId, serviceModel } },
    }),
    db.responsibilityRaci.findMany({ where: { versionId, domainId } }),
  ]);
  return { cell, raci: raciByDomain(rows).get(domainId) ?? null };
}

/** Who owns the ticket's domain under the matrix in effect now, and why. */
export async function evaluateOwnership(
  db: Db,
  ticket: Pick<Ticket, 'id' | 'category' | 'class' | 'serviceId' | 'organizationId'>,
  at: Date,
): Promise<OwnershipView> {
  const [resolution, service, version] = await Promise.all([
    resolveTicketDomain(db, ticket),
    ticket.serviceId ? db.service.findUnique({ where: { id: ticket.serviceId } }) : Promise.resolve(null),
    matrixInEffect(db, ticket.organizationId, at),
  ]);
  const view: OwnershipView = {
    determined: false,
    domain: resolution?.domain ?? null,
    domainSource: resolution?.source ?? null,
    serviceModel: service?.serviceModel ?? null,
    serviceName: service?.name ?? null,
    version,
    owner: null,
    providerDuties: null,
    customerDuties: null,
    raci: null,
    explanation: '',
    decision: null,
  };
  if (!resolution) {
    const category = normaliseCategory(ticket.category);
    view.explanation = `No responsibility domain applies: ${
      category ? `the category "${category}" belongs to no domain` : 'the ticket has no category'
    } and no domain covers ${ticket.class.toLowerCase().replace(/_/g, ' ')} tickets; staff can set the domain.`;
    return view;
  }
  const domainText = `${resolution.domain.name} (${resolution.detail})`;
  if (!service) {
    view.explanation = `${domainText}: the ticket names no service, so its service model (IaaS, PaaS or SaaS) and the owner are unknown.`;
    return view;
  }
  const on = `${domainText} on ${service.name} (${SERVICE_MODEL_LABEL[service.serviceModel]})`;
  if (!version) {
    view.explanation = `${on}: no responsibility matrix is in effect yet.`;
    return view;
  }
  const { cell, raci } = await cellAndRaci(db, version.id, resolution.domain.id, service.serviceModel);
  if (!cell) {
    view.explanation = `${on}: matrix version ${version.version} has no cell for it.`;
    return view;
  }
  Object.assign(view, {
    determined: true,
    owner: cell.owner,
    providerDuties: cell.providerDuties,
    customerDuties: cell.customerDuties,
    raci,
  });
  view.explanation = ownershipSentence(on, cell, version);
  return view;
}

export function ownershipSentence(
  on: string,
  cell: { owner: ResponsibilityParty; providerDuties: string; customerDuties: string },
  version: { version: number; providerName: string },
): string {
  const duties = [
    cell.providerDuties ? `${version.providerName}: ${cell.providerDuties}` : null,
    cell.customerDuties ? `Customer organisation: ${cell.customerDuties}` : null,
  ].filter(Boolean);
  return `${on} is ${ownerPhrase(cell.owner, version.providerName)} (matrix version ${version.version}).${
    duties.length ? ` ${duties.join(' ')}` : ''
  }`;
}

/**
 * What a ticket shows: the latest routing decision (made with the matrix version in effect at the time), or, when
 * none was recorded (ownership undetermined at intake, or tickets older than the matrix), the live evaluation.
 */
export async function ticketOwnership(db: Db, ticket: Ticket, at: Date): Promise<OwnershipView> {
  const decision = await db.ticketOwnershipDecision.findFirst({
    where: { ticketId: ticket.id },
    orderBy: [{ decidedAt: 'desc' }, { id: 'desc' }],
    include: { domain: true, version: true },
  });
  if (!decision?.domain || !decision.version || !decision.serviceModel || !decision.owner) {
    const live = await evaluateOwnership(db, ticket, at);
    return { ...live, decision };
  }
  const { cell, raci } = await cellAndRaci(db, decision.version.id, decision.domain.id, decision.serviceModel);
  const service = decision.serviceId ? await db.service.findUnique({ where: { id: decision.serviceId } }) : null;
  return {
    determined: true,
    domain: decision.domain,
    domainSource: decision.domainSource as DomainSource,
    serviceModel: decision.serviceModel,
    serviceName: service?.name ?? null,
    version: decision.version,
    owner: decision.owner,
    providerDuties: cell?.providerDuties ?? null,
    customerDuties: cell?.customerDuties ?? null,
    raci,
    explanation: decision.explanation,
    decision,
  };
}

// ── routing by ownership (the ticket hook) ──────────────────────────────────

/** Tickets whose explicit domain changed in this transaction (set by setTicketDomain, read by the hook). */
const explicitDomainChanges = new WeakMap<Tx, Set<string>>();

export function explicitDomainChanged(tx: Tx, ticketId: string): boolean {
  return explicitDomainChanges.get(tx)?.has(ticketId) ?? false;
}

/** Whether a ticket change can change its ownership: class, category, service, or its explicit domain. */
export function ownershipInputsChanged(tx: Tx, before: Ticket, after: Ticket): boolean {
  return (
    before.class !== after.class ||
    before.category !== after.category ||
    before.serviceId !== after.serviceId ||
    explicitDomainChanged(tx, after.id)
  );
}

/**
 * Decides who owns the ticket's domain and acts on it inside the ticket's transaction. For an open incident:
 * PROVIDER → vendor escalation to the matrix's provider; CUSTOMER → the primary group of the first role the RACI
 * names Responsible (unless routing already chose a group: that choice stands and the decision says so); SHARED →
 * both. Other tickets get their ownership recorded without routing. On a change, nothing happens unless the class
 * changed or the domain or service model differs from the last decision.
 */
export async function routeByOwnership(
  ctx: TicketHookContext,
  ticket: Ticket,
  trigger: 'CREATE' | 'CHANGE',
  classChanged = false,
): Promise<TicketHookOutput> {
  const { tx, actor, at } = ctx;
  const view = await evaluateOwnership(tx, ticket, at);
  const last =
    trigger === 'CHANGE'
      ? await tx.ticketOwnershipDecision.findFirst({
          where: { ticketId: ticket.id },
          orderBy: [{ decidedAt: 'desc' }, { id: 'desc' }],
        })
      : null;
  if (!last && !view.determined) return {};
  if (!classChanged && last && last.domainId === (view.domain?.id ?? null) && last.serviceModel === view.serviceModel)
    return {};

  const audit: AuditChange[] = [];
  const events: NonNullable<TicketHookOutput['events']> = [];
  const notes: string[] = [];
  const decisionId = randomUUID();
  let internalGroupId: string | null = null;
  let groupApplied = false;
  let vendorName: string | null = null;
  let vendorEscalationId: string | null = null;
  let action: OwnershipRoutingAction = 'NONE';
  const responsible: OrganizationalRole[] = view.raci?.responsible ?? [];

  const routable = view.determined && ticket.class === 'INCIDENT' && OPEN_STATUSES.includes(ticket.status);
  if (view.determined && !routable)
    notes.push(
      ticket.class !== 'INCIDENT'
        ? 'Ownership routing applies to incidents; recorded only.'
        : `Not routed: the ticket is ${ticket.status}.`,
    );
  if (routable && view.owner && view.version) {
    const needInternal = view.owner === 'CUSTOMER' || view.owner === 'SHARED';
    const needVendor = view.owner === 'PROVIDER' || view.owner === 'SHARED';
    if (needInternal) {
      let role: OrganizationalRole | null = null;
      let group: Awaited<ReturnType<typeof primaryGroupOf>> = null;
      for (const r of responsible) {
        group = await primaryGroupOf(tx, r);
        if (group) {
          role = r;
          break;
        }
      }
      if (group && role) {
        internalGroupId = group.id;
        const teamWhy = `${ROLE_INFO[role].name} is Responsible for ${view.domain!.name}`;
        if (!ticket.resolverGroupId) {
          groupApplied = true;
          const data: { resolverGroupId: string; status?: 'ASSIGNED' } = { resolverGroupId: group.id };
          audit.push({
            action: 'assigned',
            field: 'resolverGroupId',
            oldValue: null,
            newValue: group.id,
            reason: `ownership: ${teamWhy}`,
          });
          events.push({
            type: 'ticket.assigned',
            internal: false,
            payload: { resolverGroupId: group.id, assigneeId: ticket.assigneeId },
          });
          if (ticket.status === 'NEW') {
            data.status = 'ASSIGNED';
            audit.push({
              action: 'status_changed',
              field: 'status',
              oldValue: 'NEW',
              newValue: 'ASSIGNED',
              reason: 'assigned',
            });
            events.push({ type: 'ticket.status_changed', internal: false, payload: { from: 'NEW', to: 'ASSIGNED' } });
          }
          await tx.ticket.update({ where: { id: ticket.id }, data });
          notes.push(`Routed to ${group.name}: ${teamWhy}.`);
        } else if (ticket.resolverGroupId === group.id) {
          notes.push(`Already with ${group.name}: ${teamWhy}.`);
        } else {
          const current = await tx.resolverGroup.findUnique({ where: { id: ticket.resolverGroupId } });
          notes.push(
            `${teamWhy} (${group.name}), but routing had already assigned ${current?.name ?? 'another group'}; that stands.`,
          );
        }
      } else {
        notes.push(
          responsible.length
            ? `No resolver group is mapped to the Responsible role (${responsible.map((r) => ROLE_INFO[r].name).join(', ')}).`
            : `The matrix names no Responsible role for ${view.domain!.name}.`,
        );
      }
    }
    if (needVendor) {
      vendorName = view.version.providerName;
      const open = await tx.escalation.findFirst({
        where: { ticketId: ticket.id, kind: 'VENDOR', resolvedAt: null },
        orderBy: { createdAt: 'asc' },
      });
      if (open) {
        vendorEscalationId = open.id;
        notes.push(`A vendor escalation to ${open.vendorName ?? vendorName} is already open.`);
      } else {
        const record = await createEscalation(tx, {
          ticketId: ticket.id,
          kind: 'VENDOR',
          level: 1,
          reason: 'OWNERSHIP',
          detail: `${view.domain!.name} under ${SERVICE_MODEL_LABEL[view.serviceModel!]} is ${ownerPhrase(view.owner, vendorName)} (matrix version ${view.version.version})`,
          vendorName,
          dedupeKey: `ownership:${decisionId}`,
          actor,
          at,
        });
        if (record) {
          vendorEscalationId = record.escalation.id;
          audit.push(...record.audit);
          events.push(...record.events);
          notes.push(`Escalated to the vendor, ${vendorName}.`);
        }
      }
    }
    action =
      needVendor && needInternal ? 'VENDOR_AND_INTERNAL_TEAM' : needVendor ? 'VENDOR_ESCALATION' : 'INTERNAL_TEAM';
  }
  const explanation = [view.explanation, ...notes].join(' ');
  await tx.ticketOwnershipDecision.create({
    data: {
      id: decisionId,
      ticketId: ticket.id,
      domainId: view.domain?.id ?? null,
      domainSource: view.domainSource,
      serviceId: ticket.serviceId,
      serviceModel: view.serviceModel,
      versionId: view.determined ? view.version!.id : null,
      owner: view.owner,
      responsibleRoles: responsible,
      action,
      internalGroupId,
      groupApplied,
      vendorName,
      vendorEscalationId,
      explanation,
      actorId: actor.viewer.userId,
      decidedAt: at,
    },
  });
  const summary = {
    domain: view.domain?.key ?? null,
    serviceModel: view.serviceModel,
    owner: view.owner,
    matrixVersion: view.determined ? view.version!.version : null,
  };
  audit.unshift({
    action: 'ownership_determined',
    field: 'ownership',
    oldValue: last ? { domainId: last.domainId, serviceModel: last.serviceModel, owner: last.owner } : null,
    newValue: { ...summary, action, internalGroupId, vendorEscalationId },
    reason: explanation,
  });
  events.unshift({ type: 'ticket.ownership_determined', internal: false, payload: summary });
  if (action !== 'NONE')
    events.push({
      type: 'responsibility.routed',
      internal: true,
      payload: { decisionId, action, internalGroupId, groupApplied, vendorEscalationId },
    });
  return { audit, events };
}

// ── explicit domain ─────────────────────────────────────────────────────────

/** Staff set (or with `domain: null` clear) the domain a ticket concerns; ownership is re-decided in the same change. */
export async function setTicketDomain(
  prisma: PrismaClient,
  actor: Actor,
  ticketId: string,
  version: number,
  domainKey: string | null,
  reason: string,
  clock: Clock = systemClock,
) {
  requireScope(actor, 'tickets:write');
  requireStaff(actor, 'set the responsibility domain of tickets');
  const why = reason.trim();
  if (why.length < 5 || why.length > 500) throw ValidationError.of('input.reason', 'Say why (5 to 500 characters)');
  return mutateTicket(
    prisma,
    actor,
    ticketId,
    version,
    async (ticket, tx, at) => {
      const domain = domainKey ? await tx.responsibilityDomain.findUnique({ where: { key: domainKey } }) : null;
      if (domainKey && !domain?.active) throw new NotFoundError('ResponsibilityDomain', domainKey);
      const existing = await tx.ticketResponsibility.findUnique({
        where: { ticketId: ticket.id },
        include: { domain: true },
      });
      if ((existing?.domainId ?? null) === (domain?.id ?? null))
        throw ValidationError.of('input.domain', `${ticket.number} already has that domain`);
      return {
        audit: [
          {
            action: 'responsibility_domain_set',
            field: 'responsibilityDomain',
            oldValue: existing?.domain.key ?? null,
            newValue: domain?.key ?? null,
            reason: why,
          },
        ],
        events: [{ type: 'ticket.updated', internal: false, payload: { fields: ['responsibilityDomain'] } }],
        after: async (t) => {
          if (domain)
            await t.ticketResponsibility.upsert({
              where: { ticketId: ticket.id },
              create: {
                ticketId: ticket.id,
                domainId: domain.id,
                setById: actor.viewer.userId,
                setAt: at,
                reason: why,
              },
              update: { domainId: domain.id, setById: actor.viewer.userId, setAt: at, reason: why },
            });
          else await t.ticketResponsibility.delete({ where: { ticketId: ticket.id } });
          const changed = explicitDomainChanges.get(t) ?? new Set<string>();
          changed.add(ticket.id);
          explicitDomainChanges.set(t, changed);
        },
      };
    },
    clock,
  );
}
