import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { ServiceCriticality, ServiceModel } from '../../generated/prisma/enums.js';

export const ServiceCriticalityEnum = builder.enumType(ServiceCriticality, {
  name: 'ServiceCriticality',
  description: 'Business relevance of a service; it adjusts ticket priority (see PriorityMatrix.criticality).',
});
export const ServiceModelEnum = builder.enumType(ServiceModel, { name: 'ServiceModel' });

export const ServiceType = builder.prismaNode('Service', {
  id: { field: 'id' },
  description: 'A service in the catalogue.',
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    criticality: t.expose('criticality', { type: ServiceCriticalityEnum }),
    serviceModel: t.expose('serviceModel', { type: ServiceModelEnum }),
    active: t.exposeBoolean('active'),
  }),
});

export const ResolverGroupType = builder.prismaNode('ResolverGroup', {
  id: { field: 'id' },
  description: 'A resolver group: it owns the tickets routed to it until they are resolved.',
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
  }),
});

builder.queryField('services', (t) =>
  t.prismaField({
    type: ['Service'],
    description: 'The service catalogue (active services unless `includeInactive`).',
    authScopes: { scope: 'tickets:read' },
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args) =>
      db().service.findMany({
        ...query,
        where: args.includeInactive ? {} : { active: true },
        orderBy: { name: 'asc' },
      }),
  }),
);

builder.queryField('resolverGroups', (t) =>
  t.prismaField({
    type: ['ResolverGroup'],
    authScopes: { scope: 'tickets:read' },
    resolve: (query) => db().resolverGroup.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
);
