// The shared-responsibility matrix and change control: their GraphQL schema and ticket hooks, loaded by one import
// in schema.ts. Change control builds on the matrix (a change's scope comes from its domain's RACI).
import './types.js';
import './queries.js';
import './mutations.js';
import './hooks.js';
import '../change/types.js';
import '../change/queries.js';
import '../change/mutations.js';
import '../change/hooks.js';
