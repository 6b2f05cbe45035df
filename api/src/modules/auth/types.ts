import { builder } from '../../builder.js';
import { SCOPES, type Scope } from './scopes.js';

const scopeValues = Object.fromEntries(
  SCOPES.map((s) => [s.replace(':', '_').toUpperCase(), { value: s, description: `The \`${s}\` scope.` }]),
) as Record<string, { value: Scope; description: string }>;

export const ApiTokenScopeEnum = builder.enumType('ApiTokenScope', {
  description:
    'What a token may do. A token never exceeds its principal: scopes its role lacks are refused at creation.',
  values: scopeValues,
});

export const ApiTokenType = builder.prismaNode('ApiToken', {
  id: { field: 'id' },
  description: 'A bearer credential for a third party, partner or wallboard. The secret is shown once, at creation.',
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell tokens apart.' }),
    scopes: t.field({ type: [ApiTokenScopeEnum], resolve: (token) => token.scopes as Scope[] }),
    organization: t.relation('organization'),
    user: t.relation('user', { description: 'The principal the token acts as.' }),
    createdBy: t.relation('createdBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});
