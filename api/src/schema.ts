import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './graphql/scalars.js';
import './graphql/errors.js';
import './modules/directory/types.js';
import './modules/directory/queries.js';
import './modules/auth/types.js';
import './modules/auth/queries.js';
import './modules/auth/mutations.js';
import './modules/system/subscriptions.js';
import './modules/catalog/types.js';
import './modules/ticket/types.js';
import './modules/ticket/queries.js';
import './modules/ticket/mutations.js';
import './modules/email/graphql.js';
import './modules/responsibility/register.js';
import './modules/sla/schema.js';
import './modules/assignment/mutations.js';
import './modules/events/subscriptions.js';
import './modules/kpi/types.js';
import './modules/kpi/wallboard.js';

// Default deny: every root field needs an authenticated caller unless it opts out with skipTypeScopes.
builder.queryType({ authScopes: { authenticated: true } });
builder.mutationType({ authScopes: { authenticated: true } });
builder.subscriptionType({ authScopes: { authenticated: true } });

export const schema = lexicographicSortSchema(builder.toSchema());
