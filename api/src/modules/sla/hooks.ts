import { registerTicketHooks } from '../ticket/hooks.js';
import { onTicketChanged, onTicketCreated } from './sla.service.js';

// SLA clocks follow every ticket change in the same transaction (routing runs first at 100, responsibility after).
registerTicketHooks({
  order: 200,
  name: 'sla',
  afterCreate: onTicketCreated,
  afterChange: onTicketChanged,
});
