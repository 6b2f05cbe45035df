// The email module's GraphQL surface (one import in api/src/schema.ts) and its ticket hook.
import './notify.js';
import './types.js';
import './queries.js';
import './mutations.js';
