import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { ValidationError } from '../../errors.js';
import { TicketType } from '../ticket/types.js';
import type { StoredEvent } from './bus.js';
import { eventStream } from './stream.js';

export const TicketEventType = builder.objectRef<StoredEvent>('TicketEvent').implement({
  description: 'One committed change from the durable event log, in commit order.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Opaque position in the log: pass it as `after` to resume after a disconnect without gaps.',
      resolve: (e) => e.id.toString(),
    }),
    type: t.exposeString('type', { description: 'ticket.created, ticket.status_changed, sla.breached …' }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
    ticketId: t.id({ nullable: true, resolve: (e) => (e.ticketId ? encodeGlobalID('Ticket', e.ticketId) : null) }),
    payload: t.string({
      description: 'Small facts about the change, as JSON (ids, old/new status …).',
      resolve: (e) => JSON.stringify(e.payload),
    }),
    ticket: t.prismaField({
      type: 'Ticket',
      nullable: true,
      description: 'The ticket as it is now, re-read and re-authorised for the subscriber.',
      resolve: (query, e) => (e.ticketId ? db().ticket.findUnique({ ...query, where: { id: e.ticketId } }) : null),
    }),
  }),
});

const TicketEventFilter = builder.inputType('TicketEventFilter', {
  fields: (t) => ({
    ticketId: t.globalID({ required: false, for: TicketType, description: 'Only this ticket.' }),
    types: t.stringList({
      required: false,
      description: 'Only these event types (exact, or a prefix ending in ".", e.g. "sla.").',
    }),
  }),
});

function parseCursor(after: string | null | undefined): bigint | null {
  if (after === null || after === undefined) return null;
  if (!/^\d{1,19}$/.test(after)) throw ValidationError.of('after', 'Not a cursor from this API');
  return BigInt(after);
}

function typeMatcher(types: readonly string[] | null | undefined) {
  if (!types?.length) return () => true;
  return (type: string) => types.some((t) => (t.endsWith('.') ? type.startsWith(t) : type === t));
}

builder.subscriptionField('ticketEvents', (t) =>
  t.field({
    type: TicketEventType,
    description:
      'Ticket events the caller may see, live. With `after` it first replays everything after that cursor, then goes live: no gap, no duplicate. Customers never receive internal events.',
    authScopes: { scope: 'events:subscribe' },
    args: {
      filter: t.arg({ type: TicketEventFilter, required: false }),
      after: t.arg.string({ required: false }),
    },
    subscribe: (_root, args, ctx) => {
      const ticketId = args.filter?.ticketId?.id ?? null;
      const matches = typeMatcher(args.filter?.types);
      return eventStream(db(), ctx.viewer!, {
        after: parseCursor(args.after),
        accept: (e) => (!ticketId || e.ticketId === ticketId) && matches(e.type),
      });
    },
    resolve: (event) => event,
  }),
);

builder.subscriptionField('slaAlerts', (t) =>
  t.field({
    type: TicketEventType,
    description: 'SLA warnings, breaches and escalations as they happen (sla.* and escalation.* events).',
    authScopes: { $any: { scope: 'events:subscribe', staff: true } },
    args: { after: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) =>
      eventStream(db(), ctx.viewer!, {
        after: parseCursor(args.after),
        accept: (e) => e.type.startsWith('sla.') || e.type.startsWith('escalation.'),
      }),
    resolve: (event) => event,
  }),
);
