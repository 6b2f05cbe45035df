import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { visibleTokensWhere } from './apiToken.service.js';

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The user behind the session or token of this request.',
    resolve: (query, _root, _args, ctx) => db().user.findUnique({ ...query, where: { id: ctx.viewer?.userId ?? '' } }),
  }),
);

builder.queryField('apiTokens', (t) =>
  t.prismaConnection({
    type: 'ApiToken',
    cursor: 'id',
    maxSize: 100,
    description: 'Tokens the caller owns or created; admins see every token.',
    args: { includeRevoked: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args, ctx) => {
      if (!ctx.viewer) return [];
      return db().apiToken.findMany({
        ...query,
        where: { ...visibleTokensWhere(ctx.viewer), ...(args.includeRevoked ? {} : { revokedAt: null }) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);
