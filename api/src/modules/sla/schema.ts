// The SLA, calendar and escalation GraphQL surface and the SLA ticket hook, imported once by api/src/schema.ts.
import '../calendar/types.js';
import './hooks.js';
import './types.js';
import './queries.js';
import './mutations.js';
import '../escalation/types.js';
import '../escalation/queries.js';
import '../escalation/mutations.js';
