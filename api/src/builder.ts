import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { Context } from './context.js';
import { db } from './db.js';
import { forbidden, unauthenticated, ValidationError } from './errors.js';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { Role } from './generated/prisma/enums.js';
import { isStaff, roleAtLeast, type Scope } from './modules/auth/scopes.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** Any valid session or token. */
    authenticated: boolean;
    /** Provider staff (agents, leads, managers, admins). */
    staff: boolean;
    /** Provider staff with at least this role. */
    role: Role;
    /** The credential carries this scope (sessions carry all their role allows). */
    scope: Scope;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    ID: { Input: string; Output: string | number };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
}>({
  // Relay before scope-auth so authScopes see decoded global IDs; errors before validation so bad input
  // becomes a typed ValidationError result.
  plugins: [RelayPlugin, ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      authenticated: !!ctx.viewer,
      staff: isStaff(ctx.viewer),
      role: (minimum) => !!ctx.viewer && isStaff(ctx.viewer) && roleAtLeast(ctx.viewer.role, minimum),
      scope: (scope) => !!ctx.viewer && ctx.viewer.scopes.has(scope),
    }),
    unauthorizedError: (_parent, ctx) => {
      if (!ctx.viewer) return unauthenticated(ctx.authFailure ?? undefined);
      return forbidden();
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    nodeQueryOptions: { nullable: true },
  },
  errors: {
    defaultTypes: [ValidationError],
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName[0]?.toUpperCase()}${fieldName.slice(1)}Result` },
    // Input validation runs before field auth; bad input only ever learns that it is bad input.
    unsafelyHandleInputErrors: true,
  },
  validation: {
    validationError: (result) =>
      new ValidationError(
        result.issues.map((issue) => ({
          path: (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)),
          message: issue.message,
        })),
      ),
  },
  prisma: {
    client: () => db(),
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
});
