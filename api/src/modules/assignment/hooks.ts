import { ticketDomainKeys } from '../responsibility/ownership.service.js';
import { registerTicketHooks } from '../ticket/hooks.js';
import {
  type DomainResolver,
  rerouteOnReclassification,
  routeAtIntake,
  setResponsibilityDomainResolver,
} from './assignment.service.js';

/** Rules keyed on a responsibility domain match the domain the responsibility module resolves for the ticket. */
export const responsibilityDomains: DomainResolver = (tx, ticket) => ticketDomainKeys(tx, ticket);
setResponsibilityDomainResolver(responsibilityDomains);

/**
 * Routing runs inside the ticket's transaction, first among the hooks (SLA and responsibility see the group it
 * chose): at intake, and on reclassification of an open ticket that nobody pinned by hand.
 */
registerTicketHooks({
  order: 100,
  name: 'assignment',
  afterCreate: (ctx, ticket) => routeAtIntake(ctx.tx, ctx.actor, ticket, ctx.at),
  afterChange: (ctx, before, after) => rerouteOnReclassification(ctx.tx, ctx.actor, before, after, ctx.at),
});
