import { registerTicketHooks } from '../ticket/hooks.js';
import { onChangeChanged, onChangeCreated } from './change.service.js';

// After responsibility (300): the change's scope comes from the domain the ticket concerns. The gate in
// onChangeChanged throws InvalidTransitionError, which rolls the ticket change back and reaches the client typed.
registerTicketHooks({
  order: 310,
  name: 'change-control',
  afterCreate: onChangeCreated,
  afterChange: onChangeChanged,
});
