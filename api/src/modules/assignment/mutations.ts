import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { ResolverGroupType, ServiceType } from '../catalog/types.js';
import { UserType } from '../directory/types.js';
import { channelOf } from '../ticket/access.js';
import type { Actor } from '../ticket/mutate.js';
import { TicketClassEnum, TicketType } from '../ticket/types.js';
import {
  createGroup,
  createOutOfOffice,
  createOverride,
  createRule,
  deleteOutOfOffice,
  deleteOverride,
  deleteRule,
  removeMember,
  setAgentSkills,
  setMember,
  setRota,
  setSkillRequirement,
  updateGroup,
  updateRule,
} from './admin.service.js';
import { autoAssignTicket } from './assignment.service.js';
import './hooks.js';
import './queries.js';
import { AssignmentModeEnum, OnCallOverrideType, OutOfOfficeType, RoutingRuleType } from './types.js';

const write = { $all: { staff: true, scope: 'tickets:write' } } as const;

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

/** A calendar is referenced by its global ID; the calendar module owns the type. */
function calendarIdOf(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  try {
    const { typename, id } = decodeGlobalID(value);
    if (typename === 'BusinessCalendar') return id;
  } catch {
    // fall through
  }
  throw ValidationError.of('input.calendarId', 'Give the global ID of a BusinessCalendar');
}

const DeletePayload = builder.objectRef<{ deletedId: string }>('DeletePayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId', { description: 'Global ID of what was deleted.' }) }),
});

// ── ticketAutoAssign ─────────────────────────────────────────────────────────

const TicketAutoAssignInput = builder.inputType('TicketAutoAssignInput', {
  fields: (t) => ({
    id: t.globalID({ for: TicketType }),
    version: t.int(),
    reroute: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Ask the routing rules again before choosing an agent (a ticket without a group is always routed).',
    }),
  }),
});

const TicketAutoAssignPayload = builder
  .objectRef<{ ticketId: string; decisionId: string }>('TicketAutoAssignPayload')
  .implement({
    fields: (t) => ({
      ticket: t.prismaField({
        type: 'Ticket',
        resolve: (query, p) => db().ticket.findUniqueOrThrow({ ...query, where: { id: p.ticketId } }),
      }),
      decision: t.prismaField({
        type: 'AssignmentDecision',
        description: 'What the engine decided and why.',
        resolve: (query, p) => db().assignmentDecision.findUniqueOrThrow({ ...query, where: { id: p.decisionId } }),
      }),
    }),
  });

builder.mutationField('ticketAutoAssign', (t) =>
  t.field({
    type: TicketAutoAssignPayload,
    description:
      "Runs the assignment engine now: an agent in the ticket's group by its mode (a MANUAL group gets a load-balanced pick), or the on-call person outside hours for P1/P2.",
    authScopes: write,
    args: { input: t.arg({ type: TicketAutoAssignInput }) },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const { ticket, result } = await autoAssignTicket(db(), actorOf(ctx), input.id.id, input.version, {
        reroute: input.reroute ?? false,
      });
      return { ticketId: ticket.id, decisionId: result! };
    },
  }),
);

// ── resolver groups and members ──────────────────────────────────────────────

const ResolverGroupCreateInput = builder.inputType('ResolverGroupCreateInput', {
  fields: (t) => ({
    key: t.string({ description: 'Lower-case letters, digits and -; unique.' }),
    name: t.string(),
    description: t.string({ required: false }),
    mode: t.field({ type: AssignmentModeEnum, required: false, description: 'Default LOAD_BALANCED.' }),
    skills: t.stringList({ required: false }),
    agentCapacity: t.int({ required: false }),
    calendarId: t.id({ required: false, description: 'Global ID of a BusinessCalendar (operational hours).' }),
    isDefaultTriage: t.boolean({ required: false }),
  }),
});

builder.mutationField('resolverGroupCreate', (t) =>
  t.field({
    type: ResolverGroupType,
    description: 'Creates a resolver group (admins).',
    authScopes: write,
    args: { input: t.arg({ type: ResolverGroupCreateInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) =>
      createGroup(db(), actorOf(ctx), { ...input, calendarId: calendarIdOf(input.calendarId as string | null) }),
  }),
);

const ResolverGroupUpdateInput = builder.inputType('ResolverGroupUpdateInput', {
  fields: (t) => ({
    id: t.globalID({ for: ResolverGroupType }),
    name: t.string({ required: false, description: 'Admins only.' }),
    description: t.string({ required: false }),
    mode: t.field({ type: AssignmentModeEnum, required: false }),
    skills: t.stringList({ required: false }),
    agentCapacity: t.int({ required: false, description: 'Null removes the cap.' }),
    calendarId: t.id({ required: false, description: 'Null: always on shift.' }),
    isDefaultTriage: t.boolean({ required: false, description: 'Admins only; clears the flag on the others.' }),
  }),
});

builder.mutationField('resolverGroupUpdate', (t) =>
  t.field({
    type: ResolverGroupType,
    description:
      'Changes a group: mode, skills, capacity, hours (its leads and admins); name and triage flag (admins).',
    authScopes: write,
    args: { input: t.arg({ type: ResolverGroupUpdateInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => {
      const raw = input as unknown as Record<string, unknown>;
      return updateGroup(db(), actorOf(ctx), input.id.id, {
        name: input.name,
        description: input.description,
        mode: input.mode,
        skills: input.skills,
        ...('agentCapacity' in raw ? { agentCapacity: input.agentCapacity ?? null } : {}),
        ...('calendarId' in raw ? { calendarId: calendarIdOf((input.calendarId as string | null) ?? null) } : {}),
        isDefaultTriage: input.isDefaultTriage,
      });
    },
  }),
);

const ResolverGroupMemberSetInput = builder.inputType('ResolverGroupMemberSetInput', {
  fields: (t) => ({
    groupId: t.globalID({ for: ResolverGroupType }),
    userId: t.globalID({ for: UserType }),
    isLead: t.boolean({ required: false, description: 'Admins only.' }),
    autoAssign: t.boolean({ required: false, description: 'Takes automatic assignments (default true).' }),
    capacity: t.int({ required: false, description: "Cap on the member's open tickets; null = the group's." }),
  }),
});

builder.mutationField('resolverGroupMemberSet', (t) =>
  t.field({
    type: ResolverGroupType,
    description: "Adds a member or changes their settings (the group's leads and admins).",
    authScopes: write,
    args: { input: t.arg({ type: ResolverGroupMemberSetInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const raw = input as unknown as Record<string, unknown>;
      await setMember(db(), actorOf(ctx), input.groupId.id, input.userId.id, {
        isLead: input.isLead,
        autoAssign: input.autoAssign,
        ...('capacity' in raw ? { capacity: input.capacity ?? null } : {}),
      });
      return db().resolverGroup.findUniqueOrThrow({ where: { id: input.groupId.id } });
    },
  }),
);

const ResolverGroupMemberRemoveInput = builder.inputType('ResolverGroupMemberRemoveInput', {
  fields: (t) => ({ groupId: t.globalID({ for: ResolverGroupType }), userId: t.globalID({ for: UserType }) }),
});

builder.mutationField('resolverGroupMemberRemove', (t) =>
  t.field({
    type: ResolverGroupType,
    description: "Removes a member (the group's leads and admins; a lead only by admins).",
    authScopes: write,
    args: { input: t.arg({ type: ResolverGroupMemberRemoveInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      await removeMember(db(), actorOf(ctx), input.groupId.id, input.userId.id);
      return db().resolverGroup.findUniqueOrThrow({ where: { id: input.groupId.id } });
    },
  }),
);

const AgentSkillsSetInput = builder.inputType('AgentSkillsSetInput', {
  fields: (t) => ({
    userId: t.globalID({ for: UserType }),
    skills: t.stringList({ description: 'Replaces the list; lower-case tags such as network, firewall.' }),
  }),
});

builder.mutationField('agentSkillsSet', (t) =>
  t.field({
    type: UserType,
    description: "Sets an agent's skills (admins, and leads of a group the agent belongs to).",
    authScopes: write,
    args: { input: t.arg({ type: AgentSkillsSetInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => setAgentSkills(db(), actorOf(ctx), input.userId.id, input.skills),
  }),
);

// ── routing rules and skill requirements ─────────────────────────────────────

const RoutingRuleCreateInput = builder.inputType('RoutingRuleCreateInput', {
  description: 'Conditions left empty match anything; a rule without conditions is a catch-all.',
  fields: (t) => ({
    name: t.string(),
    position: t.int({ required: false, description: 'Lower runs first; default after the last rule.' }),
    active: t.boolean({ required: false, defaultValue: true }),
    class: t.field({ type: TicketClassEnum, required: false }),
    serviceId: t.globalID({ required: false, for: ServiceType }),
    category: t.string({ required: false }),
    responsibilityDomain: t.string({ required: false, description: 'Key of a responsibility-matrix domain.' }),
    resolverGroupId: t.globalID({ for: ResolverGroupType }),
  }),
});

builder.mutationField('routingRuleCreate', (t) =>
  t.field({
    type: RoutingRuleType,
    description: 'Adds a routing rule (admins).',
    authScopes: write,
    args: { input: t.arg({ type: RoutingRuleCreateInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) =>
      createRule(db(), actorOf(ctx), {
        ...input,
        serviceId: input.serviceId?.id ?? null,
        resolverGroupId: input.resolverGroupId.id,
      }),
  }),
);

const RoutingRuleUpdateInput = builder.inputType('RoutingRuleUpdateInput', {
  description: 'Given fields change; a condition set to null stops constraining.',
  fields: (t) => ({
    id: t.globalID({ for: RoutingRuleType }),
    name: t.string({ required: false }),
    position: t.int({ required: false }),
    active: t.boolean({ required: false }),
    class: t.field({ type: TicketClassEnum, required: false }),
    serviceId: t.globalID({ required: false, for: ServiceType }),
    category: t.string({ required: false }),
    responsibilityDomain: t.string({ required: false }),
    resolverGroupId: t.globalID({ required: false, for: ResolverGroupType }),
  }),
});

builder.mutationField('routingRuleUpdate', (t) =>
  t.field({
    type: RoutingRuleType,
    description: 'Changes, reorders (position) or deactivates a routing rule (admins).',
    authScopes: write,
    args: { input: t.arg({ type: RoutingRuleUpdateInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => {
      const raw = input as unknown as Record<string, unknown>;
      const has = (k: string) => k in raw;
      return updateRule(db(), actorOf(ctx), input.id.id, {
        name: input.name,
        position: input.position,
        active: input.active,
        ...(has('class') ? { class: input.class ?? null } : {}),
        ...(has('serviceId') ? { serviceId: input.serviceId?.id ?? null } : {}),
        ...(has('category') ? { category: input.category ?? null } : {}),
        ...(has('responsibilityDomain') ? { responsibilityDomain: input.responsibilityDomain ?? null } : {}),
        resolverGroupId: input.resolverGroupId?.id ?? null,
      });
    },
  }),
);

const RoutingRuleDeleteInput = builder.inputType('RoutingRuleDeleteInput', {
  fields: (t) => ({ id: t.globalID({ for: RoutingRuleType }) }),
});

builder.mutationField('routingRuleDelete', (t) =>
  t.field({
    type: DeletePayload,
    description: 'Deletes a routing rule (admins); assignment logs keep its name.',
    authScopes: write,
    args: { input: t.arg({ type: RoutingRuleDeleteInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const rule = await deleteRule(db(), actorOf(ctx), input.id.id);
      return { deletedId: encodeGlobalID('RoutingRule', rule.id) };
    },
  }),
);

const SkillRequirementSetInput = builder.inputType('SkillRequirementSetInput', {
  fields: (t) => ({
    serviceId: t.globalID({ required: false, for: ServiceType }),
    category: t.string({ required: false }),
    skills: t.stringList({ description: 'Replaces the requirement; an empty list removes it.' }),
  }),
});

const SkillRequirementSetPayload = builder.objectRef<{ id: string | null }>('SkillRequirementSetPayload').implement({
  fields: (t) => ({
    skillRequirement: t.prismaField({
      type: 'SkillRequirement',
      nullable: true,
      description: 'Null when the requirement was removed.',
      resolve: (query, p) => (p.id ? db().skillRequirement.findUnique({ ...query, where: { id: p.id } }) : null),
    }),
  }),
});

builder.mutationField('skillRequirementSet', (t) =>
  t.field({
    type: SkillRequirementSetPayload,
    description: 'Sets the skills required for a service, a category, or the combination (admins).',
    authScopes: write,
    args: { input: t.arg({ type: SkillRequirementSetInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const saved = await setSkillRequirement(db(), actorOf(ctx), {
        serviceId: input.serviceId?.id ?? null,
        category: input.category ?? null,
        skills: input.skills,
      });
      return { id: saved?.id ?? null };
    },
  }),
);

// ── on call and out of office ────────────────────────────────────────────────

const OnCallRotaSetInput = builder.inputType('OnCallRotaSetInput', {
  fields: (t) => ({
    groupId: t.globalID({ for: ResolverGroupType }),
    timeZone: t.string({ description: 'IANA zone of the handovers, e.g. Europe/Rome.' }),
    startDate: t.string({
      description: 'Local date of the first handover (YYYY-MM-DD): the first member starts then.',
    }),
    handoffTime: t.string({ required: false, description: 'Local HH:MM, default 09:00.' }),
    periodDays: t.int({ required: false, description: 'Length of a turn, default 7 (weekly).' }),
    memberIds: t.globalIDList({ for: UserType, description: 'In turn order.' }),
  }),
});

builder.mutationField('onCallRotaSet', (t) =>
  t.field({
    type: ResolverGroupType,
    description: "Creates or replaces a group's on-call rota (the group's leads and admins).",
    authScopes: write,
    args: { input: t.arg({ type: OnCallRotaSetInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      await setRota(db(), actorOf(ctx), input.groupId.id, {
        timeZone: input.timeZone,
        startDate: input.startDate,
        handoffTime: input.handoffTime,
        periodDays: input.periodDays,
        memberIds: input.memberIds.map((m) => m.id),
      });
      return db().resolverGroup.findUniqueOrThrow({ where: { id: input.groupId.id } });
    },
  }),
);

const OnCallOverrideCreateInput = builder.inputType('OnCallOverrideCreateInput', {
  fields: (t) => ({
    groupId: t.globalID({ for: ResolverGroupType }),
    userId: t.globalID({ for: UserType }),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
    reason: t.string(),
  }),
});

builder.mutationField('onCallOverrideCreate', (t) =>
  t.field({
    type: OnCallOverrideType,
    description: "Someone covers the group's rota for a period (the group's leads and admins).",
    authScopes: write,
    args: { input: t.arg({ type: OnCallOverrideCreateInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) =>
      createOverride(db(), actorOf(ctx), input.groupId.id, {
        userId: input.userId.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        reason: input.reason,
      }),
  }),
);

const OnCallOverrideDeleteInput = builder.inputType('OnCallOverrideDeleteInput', {
  fields: (t) => ({ id: t.globalID({ for: OnCallOverrideType }) }),
});

builder.mutationField('onCallOverrideDelete', (t) =>
  t.field({
    type: DeletePayload,
    authScopes: write,
    args: { input: t.arg({ type: OnCallOverrideDeleteInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const o = await deleteOverride(db(), actorOf(ctx), input.id.id);
      return { deletedId: encodeGlobalID('OnCallOverride', o.id) };
    },
  }),
);

const OutOfOfficeCreateInput = builder.inputType('OutOfOfficeCreateInput', {
  fields: (t) => ({
    userId: t.globalID({ for: UserType }),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
    reason: t.string({ required: false }),
  }),
});

builder.mutationField('outOfOfficeCreate', (t) =>
  t.field({
    type: OutOfOfficeType,
    description: 'Records an absence: the person themself, a lead of one of their groups, or an admin.',
    authScopes: write,
    args: { input: t.arg({ type: OutOfOfficeCreateInput }) },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) =>
      createOutOfOffice(db(), actorOf(ctx), {
        userId: input.userId.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        reason: input.reason,
      }),
  }),
);

const OutOfOfficeDeleteInput = builder.inputType('OutOfOfficeDeleteInput', {
  fields: (t) => ({ id: t.globalID({ for: OutOfOfficeType }) }),
});

builder.mutationField('outOfOfficeDelete', (t) =>
  t.field({
    type: DeletePayload,
    authScopes: write,
    args: { input: t.arg({ type: OutOfOfficeDeleteInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const entry = await deleteOutOfOffice(db(), actorOf(ctx), input.id.id);
      return { deletedId: encodeGlobalID('OutOfOffice', entry.id) };
    },
  }),
);
