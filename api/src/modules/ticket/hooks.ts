import type { Tx } from '../../db/tx.js';
import type { Ticket } from '../../generated/prisma/client.js';
import type { AuditChange } from '../audit/audit.service.js';
import type { EventInput } from '../events/eventLog.js';
import type { Actor } from './mutate.js';

/**
 * Other domains (SLA clocks, routing, responsibility) react to ticket changes inside the same transaction, so a
 * ticket is never committed without its clocks or its routing. Hooks may write other tables and may update the
 * ticket row (without touching `version`: it is one logical change); what they return joins the change's audit
 * entries and events.
 */
export interface TicketHookContext {
  tx: Tx;
  actor: Actor;
  at: Date;
}

export interface TicketHookOutput {
  audit?: AuditChange[];
  events?: Omit<EventInput, 'ticketId' | 'organizationId'>[];
}

export interface TicketHooks {
  /** Lower runs first: routing (100) before SLA (200) before responsibility (300). */
  order: number;
  name: string;
  afterCreate?: (ctx: TicketHookContext, ticket: Ticket) => Promise<TicketHookOutput | undefined>;
  afterChange?: (ctx: TicketHookContext, before: Ticket, after: Ticket) => Promise<TicketHookOutput | undefined>;
}

const registry: TicketHooks[] = [];

export function registerTicketHooks(hooks: TicketHooks): void {
  const existing = registry.findIndex((h) => h.name === hooks.name);
  if (existing >= 0) registry.splice(existing, 1);
  registry.push(hooks);
  registry.sort((a, b) => a.order - b.order);
}

export async function runAfterCreate(ctx: TicketHookContext, ticket: Ticket): Promise<Required<TicketHookOutput>> {
  const out: Required<TicketHookOutput> = { audit: [], events: [] };
  for (const hook of registry) {
    if (!hook.afterCreate) continue;
    const current = await ctx.tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    const result = await hook.afterCreate(ctx, current);
    out.audit.push(...(result?.audit ?? []));
    out.events.push(...(result?.events ?? []));
  }
  return out;
}

export async function runAfterChange(
  ctx: TicketHookContext,
  before: Ticket,
  after: Ticket,
): Promise<Required<TicketHookOutput>> {
  const out: Required<TicketHookOutput> = { audit: [], events: [] };
  for (const hook of registry) {
    if (!hook.afterChange) continue;
    const current = await ctx.tx.ticket.findUniqueOrThrow({ where: { id: after.id } });
    const result = await hook.afterChange(ctx, before, current);
    out.audit.push(...(result?.audit ?? []));
    out.events.push(...(result?.events ?? []));
  }
  return out;
}
