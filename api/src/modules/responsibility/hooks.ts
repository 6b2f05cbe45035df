import { registerTicketHooks } from '../ticket/hooks.js';
import { ownershipInputsChanged, routeByOwnership } from './ownership.service.js';

// Routing by ownership runs after routing rules (100) and SLA (200): a group chosen by a routing rule stands, and a
// vendor escalation finds the ticket's SLA clocks for its acknowledgement window.
registerTicketHooks({
  order: 300,
  name: 'responsibility',
  afterCreate: (ctx, ticket) => routeByOwnership(ctx, ticket, 'CREATE'),
  afterChange: async (ctx, before, after) =>
    ownershipInputsChanged(ctx.tx, before, after)
      ? routeByOwnership(ctx, after, 'CHANGE', before.class !== after.class)
      : undefined,
});
