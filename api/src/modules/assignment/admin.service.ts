/**
 * Managing assignment data: groups, members, skills, routing rules, skill requirements, on-call rotas, overrides and
 * out-of-office. Admins manage everything; a group's leads manage their group (not its name or the triage flag,
 * not who leads it); rules and skill requirements are installation-wide, so admins only. People record their own
 * out-of-office too.
 */
import { type FieldIssue, forbidden, NotFoundError, ValidationError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AssignmentMode, TicketClass } from '../../generated/prisma/enums.js';
import { isStaff, roleAtLeast } from '../auth/scopes.js';
import type { Actor } from '../ticket/mutate.js';
import { requireScope } from '../ticket/mutate.js';
import { rotaProblems } from './oncall.js';
import { normalizeSkill } from './selection.js';

const SKILL = /^[a-z0-9][a-z0-9+._-]{0,39}$/;
const KEY = /^[a-z0-9][a-z0-9-]{1,49}$/;

export function isAdmin(actor: Actor): boolean {
  return isStaff(actor.viewer) && roleAtLeast(actor.viewer.role, 'ADMIN');
}

function requireWriter(actor: Actor) {
  requireScope(actor, 'tickets:write');
  if (!isStaff(actor.viewer)) throw forbidden('Only service desk staff manage assignment');
}

export function requireAdmin(actor: Actor, what: string) {
  requireWriter(actor);
  if (!isAdmin(actor)) throw forbidden(`Only admins can ${what}`);
}

export async function isGroupLead(prisma: PrismaClient, actor: Actor, groupId: string) {
  const m = await prisma.resolverGroupMember.findUnique({
    where: { groupId_userId: { groupId, userId: actor.viewer.userId } },
  });
  return !!m?.isLead;
}

/** Admins, or a lead of this group. */
export async function requireGroupManager(prisma: PrismaClient, actor: Actor, groupId: string, what: string) {
  requireWriter(actor);
  const group = await prisma.resolverGroup.findUnique({ where: { id: groupId } });
  if (!group) throw new NotFoundError('ResolverGroup', groupId);
  if (!isAdmin(actor) && !(await isGroupLead(prisma, actor, groupId)))
    throw forbidden(`Only admins and the leads of ${group.name} can ${what}`);
  return group;
}

/** Admins, the person themself (when `self` allows it), or a lead of a group the person belongs to. */
async function requirePersonManager(prisma: PrismaClient, actor: Actor, userId: string, what: string, self: boolean) {
  requireWriter(actor);
  if (isAdmin(actor) || (self && userId === actor.viewer.userId)) return;
  const led = await prisma.resolverGroupMember.findMany({
    where: { userId: actor.viewer.userId, isLead: true },
    select: { groupId: true },
  });
  const shared = led.length
    ? await prisma.resolverGroupMember.count({ where: { userId, groupId: { in: led.map((l) => l.groupId) } } })
    : 0;
  if (shared === 0) throw forbidden(`Only admins and the person's group leads can ${what}`);
}

async function requireStaffUser(prisma: PrismaClient, userId: string, path: string) {
  const user = await prisma.user.findUnique({ where: { id: userId }, include: { organization: true } });
  if (!user) throw new NotFoundError('User', userId);
  if (!user.active || user.organization.kind !== 'PROVIDER' || user.role === 'CUSTOMER')
    throw ValidationError.of(path, `${user.name} is not active service desk staff`);
  return user;
}

export function normalizeSkills(skills: string[], path: string[]): { skills: string[]; issues: FieldIssue[] } {
  const out = [...new Set(skills.map(normalizeSkill))].sort();
  const bad = out.filter((s) => !SKILL.test(s));
  return {
    skills: out,
    issues: bad.length
      ? [{ path, message: `Use lower-case tags (letters, digits, + . _ -), up to 40 characters: ${bad.join(', ')}` }]
      : out.length > 50
        ? [{ path, message: 'At most 50 skills' }]
        : [],
  };
}

function capacityIssue(value: number | null | undefined, path: string[]): FieldIssue[] {
  if (value === null || value === undefined) return [];
  return Number.isInteger(value) && value >= 1 && value <= 1000 ? [] : [{ path, message: 'Use 1 to 1000, or null' }];
}

function textIssue(value: string | null | undefined, path: string[], min: number, max: number): FieldIssue[] {
  if (value === null || value === undefined) return [];
  const t = value.trim();
  return t.length < min || t.length > max ? [{ path, message: `Use ${min} to ${max} characters` }] : [];
}

function fail(issues: FieldIssue[]) {
  if (issues.length) throw new ValidationError(issues);
}

async function requireCalendar(prisma: PrismaClient, calendarId: string | null | undefined) {
  if (calendarId && !(await prisma.businessCalendar.findUnique({ where: { id: calendarId } })))
    throw new NotFoundError('BusinessCalendar', calendarId);
}

// ── groups and members ───────────────────────────────────────────────────────

export interface GroupInput {
  key?: string;
  name?: string | null;
  description?: string | null;
  mode?: AssignmentMode | null;
  skills?: string[] | null;
  agentCapacity?: number | null;
  calendarId?: string | null;
  isDefaultTriage?: boolean | null;
}

function groupIssues(input: GroupInput) {
  const issues: FieldIssue[] = [
    ...textIssue(input.name, ['input', 'name'], 2, 100),
    ...textIssue(input.description, ['input', 'description'], 0, 2000),
    ...capacityIssue(input.agentCapacity, ['input', 'agentCapacity']),
  ];
  const skills = input.skills ? normalizeSkills(input.skills, ['input', 'skills']) : null;
  issues.push(...(skills?.issues ?? []));
  return { issues, skills: skills?.skills };
}

export async function createGroup(
  prisma: PrismaClient,
  actor: Actor,
  input: GroupInput & { key: string; name: string },
) {
  requireAdmin(actor, 'create resolver groups');
  const { issues, skills } = groupIssues(input);
  if (!KEY.test(input.key)) issues.push({ path: ['input', 'key'], message: 'Use lower-case letters, digits and -' });
  fail(issues);
  if (await prisma.resolverGroup.findUnique({ where: { key: input.key } }))
    throw ValidationError.of('input.key', `A group with key ${input.key} exists`);
  await requireCalendar(prisma, input.calendarId);
  return prisma.$transaction(async (tx) => {
    if (input.isDefaultTriage) await tx.resolverGroup.updateMany({ data: { isDefaultTriage: false } });
    return tx.resolverGroup.create({
      data: {
        key: input.key,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        mode: input.mode ?? 'LOAD_BALANCED',
        skills: skills ?? [],
        agentCapacity: input.agentCapacity ?? null,
        calendarId: input.calendarId ?? null,
        isDefaultTriage: !!input.isDefaultTriage,
      },
    });
  });
}

export async function updateGroup(prisma: PrismaClient, actor: Actor, groupId: string, input: GroupInput) {
  await requireGroupManager(prisma, actor, groupId, 'change the group');
  if (!isAdmin(actor) && ((input.name ?? null) !== null || (input.isDefaultTriage ?? null) !== null))
    throw forbidden('Only admins rename groups or choose the default triage group');
  const { issues, skills } = groupIssues(input);
  fail(issues);
  await requireCalendar(prisma, input.calendarId);
  const data: Record<string, unknown> = {};
  if (input.name) data.name = input.name.trim();
  if (input.description !== undefined && input.description !== null) data.description = input.description.trim();
  if (input.mode) data.mode = input.mode;
  if (skills) data.skills = skills;
  if (input.agentCapacity !== undefined) data.agentCapacity = input.agentCapacity;
  if (input.calendarId !== undefined) data.calendarId = input.calendarId;
  if (input.isDefaultTriage !== undefined && input.isDefaultTriage !== null)
    data.isDefaultTriage = input.isDefaultTriage;
  if (Object.keys(data).length === 0) throw ValidationError.of('input', 'Nothing to change');
  return prisma.$transaction(async (tx) => {
    // One default triage group: choosing one clears the flag elsewhere.
    if (input.isDefaultTriage)
      await tx.resolverGroup.updateMany({ where: { id: { not: groupId } }, data: { isDefaultTriage: false } });
    return tx.resolverGroup.update({ where: { id: groupId }, data });
  });
}

export interface MemberInput {
  isLead?: boolean | null;
  autoAssign?: boolean | null;
  capacity?: number | null;
}

export async function setMember(
  prisma: PrismaClient,
  actor: Actor,
  groupId: string,
  userId: string,
  input: MemberInput,
) {
  await requireGroupManager(prisma, actor, groupId, 'manage members');
  if (input.isLead !== undefined && input.isLead !== null && !isAdmin(actor))
    throw forbidden('Only admins choose who leads a group');
  fail(capacityIssue(input.capacity, ['input', 'capacity']));
  await requireStaffUser(prisma, userId, 'input.userId');
  const data = {
    ...(input.isLead !== undefined && input.isLead !== null ? { isLead: input.isLead } : {}),
    ...(input.autoAssign !== undefined && input.autoAssign !== null ? { autoAssign: input.autoAssign } : {}),
    ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
  };
  return prisma.resolverGroupMember.upsert({
    where: { groupId_userId: { groupId, userId } },
    create: { groupId, userId, ...data },
    update: data,
  });
}

export async function removeMember(prisma: PrismaClient, actor: Actor, groupId: string, userId: string) {
  await requireGroupManager(prisma, actor, groupId, 'manage members');
  const existing = await prisma.resolverGroupMember.findUnique({ where: { groupId_userId: { groupId, userId } } });
  if (!existing) throw new NotFoundError('ResolverGroupMember', userId);
  if (existing.isLead && !isAdmin(actor)) throw forbidden('Only admins remove a group lead');
  await prisma.resolverGroupMember.delete({ where: { groupId_userId: { groupId, userId } } });
  return existing;
}

export async function setAgentSkills(prisma: PrismaClient, actor: Actor, userId: string, skills: string[]) {
  await requirePersonManager(prisma, actor, userId, "set an agent's skills", false);
  await requireStaffUser(prisma, userId, 'input.userId');
  const normalized = normalizeSkills(skills, ['input', 'skills']);
  fail(normalized.issues);
  return prisma.user.update({ where: { id: userId }, data: { skills: normalized.skills } });
}

// ── routing rules and skill requirements ─────────────────────────────────────

export interface RuleInput {
  name?: string | null;
  position?: number | null;
  active?: boolean | null;
  class?: TicketClass | null;
  serviceId?: string | null;
  category?: string | null;
  responsibilityDomain?: string | null;
  resolverGroupId?: string | null;
}

async function ruleChecks(prisma: PrismaClient, input: RuleInput) {
  const issues: FieldIssue[] = [
    ...textIssue(input.name, ['input', 'name'], 3, 100),
    ...textIssue(input.category, ['input', 'category'], 1, 100),
    ...textIssue(input.responsibilityDomain, ['input', 'responsibilityDomain'], 1, 100),
  ];
  if (input.position !== undefined && input.position !== null && !(input.position >= 0 && input.position <= 1_000_000))
    issues.push({ path: ['input', 'position'], message: 'Use 0 to 1,000,000' });
  fail(issues);
  if (input.resolverGroupId && !(await prisma.resolverGroup.findUnique({ where: { id: input.resolverGroupId } })))
    throw new NotFoundError('ResolverGroup', input.resolverGroupId);
  if (input.serviceId && !(await prisma.service.findUnique({ where: { id: input.serviceId } })))
    throw new NotFoundError('Service', input.serviceId);
}

export async function createRule(
  prisma: PrismaClient,
  actor: Actor,
  input: RuleInput & { name: string; resolverGroupId: string },
) {
  requireAdmin(actor, 'edit routing rules');
  await ruleChecks(prisma, input);
  const last = await prisma.routingRule.findFirst({ orderBy: { position: 'desc' } });
  return prisma.routingRule.create({
    data: {
      name: input.name.trim(),
      position: input.position ?? (last ? last.position + 10 : 10),
      active: input.active ?? true,
      class: input.class ?? null,
      serviceId: input.serviceId ?? null,
      category: input.category?.trim().toLowerCase() || null,
      responsibilityDomain: input.responsibilityDomain?.trim() || null,
      resolverGroupId: input.resolverGroupId,
      createdById: actor.viewer.userId,
    },
  });
}

export async function updateRule(prisma: PrismaClient, actor: Actor, ruleId: string, input: RuleInput) {
  requireAdmin(actor, 'edit routing rules');
  if (!(await prisma.routingRule.findUnique({ where: { id: ruleId } }))) throw new NotFoundError('RoutingRule', ruleId);
  await ruleChecks(prisma, input);
  const data: Record<string, unknown> = {};
  if (input.name) data.name = input.name.trim();
  if (input.position !== undefined && input.position !== null) data.position = input.position;
  if (input.active !== undefined && input.active !== null) data.active = input.active;
  if (input.class !== undefined) data.class = input.class;
  if (input.serviceId !== undefined) data.serviceId = input.serviceId;
  if (input.category !== undefined) data.category = input.category?.trim().toLowerCase() || null;
  if (input.responsibilityDomain !== undefined) data.responsibilityDomain = input.responsibilityDomain?.trim() || null;
  if (input.resolverGroupId) data.resolverGroupId = input.resolverGroupId;
  if (Object.keys(data).length === 0) throw ValidationError.of('input', 'Nothing to change');
  return prisma.routingRule.update({ where: { id: ruleId }, data });
}

export async function deleteRule(prisma: PrismaClient, actor: Actor, ruleId: string) {
  requireAdmin(actor, 'edit routing rules');
  const rule = await prisma.routingRule.findUnique({ where: { id: ruleId } });
  if (!rule) throw new NotFoundError('RoutingRule', ruleId);
  // Tickets keep the rule's name in their assignment log; their routingRule link becomes null.
  await prisma.routingRule.delete({ where: { id: ruleId } });
  return rule;
}

export async function setSkillRequirement(
  prisma: PrismaClient,
  actor: Actor,
  input: { serviceId?: string | null; category?: string | null; skills: string[] },
) {
  requireAdmin(actor, 'edit skill requirements');
  const category = input.category?.trim().toLowerCase() || null;
  const serviceId = input.serviceId ?? null;
  if (!serviceId && !category) throw ValidationError.of('input', 'Give a service, a category or both');
  const normalized = normalizeSkills(input.skills, ['input', 'skills']);
  fail([...normalized.issues, ...textIssue(category, ['input', 'category'], 1, 100)]);
  if (serviceId && !(await prisma.service.findUnique({ where: { id: serviceId } })))
    throw new NotFoundError('Service', serviceId);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.skillRequirement.findFirst({ where: { serviceId, category } });
    if (normalized.skills.length === 0) {
      if (existing) await tx.skillRequirement.delete({ where: { id: existing.id } });
      return null;
    }
    return existing
      ? tx.skillRequirement.update({ where: { id: existing.id }, data: { skills: normalized.skills } })
      : tx.skillRequirement.create({ data: { serviceId, category, skills: normalized.skills } });
  });
}

// ── on call ──────────────────────────────────────────────────────────────────

export interface RotaInput {
  timeZone: string;
  startDate: string;
  handoffTime?: string | null;
  periodDays?: number | null;
  memberIds: string[];
}

export async function setRota(prisma: PrismaClient, actor: Actor, groupId: string, input: RotaInput) {
  await requireGroupManager(prisma, actor, groupId, 'manage the on-call rota');
  const spec = {
    timeZone: input.timeZone,
    startDate: input.startDate,
    handoffTime: input.handoffTime ?? '09:00',
    periodDays: input.periodDays ?? 7,
    memberIds: input.memberIds,
  };
  fail(rotaProblems(spec).map((p) => ({ ...p, path: ['input', ...p.path] })));
  for (const id of spec.memberIds) await requireStaffUser(prisma, id, 'input.memberIds');
  return prisma.$transaction(async (tx) => {
    const { memberIds, ...fields } = spec;
    const rota = await tx.onCallRota.upsert({
      where: { groupId },
      create: { groupId, ...fields },
      update: fields,
    });
    await tx.onCallRotaMember.deleteMany({ where: { rotaId: rota.id } });
    await tx.onCallRotaMember.createMany({
      data: memberIds.map((userId, position) => ({ rotaId: rota.id, userId, position })),
    });
    return rota;
  });
}

function periodIssues(startsAt: Date, endsAt: Date, reason: string | null | undefined, minReason: number) {
  const issues: FieldIssue[] = [];
  if (endsAt.getTime() <= startsAt.getTime())
    issues.push({ path: ['input', 'endsAt'], message: 'End after the start' });
  if (endsAt.getTime() - startsAt.getTime() > 366 * 86_400_000)
    issues.push({ path: ['input', 'endsAt'], message: 'At most a year' });
  if ((reason?.trim().length ?? 0) < minReason)
    issues.push({ path: ['input', 'reason'], message: `Say why (at least ${minReason} characters)` });
  return issues;
}

export async function createOverride(
  prisma: PrismaClient,
  actor: Actor,
  groupId: string,
  input: { userId: string; startsAt: Date; endsAt: Date; reason: string },
) {
  await requireGroupManager(prisma, actor, groupId, 'change who is on call');
  fail(periodIssues(input.startsAt, input.endsAt, input.reason, 3));
  const rota = await prisma.onCallRota.findUnique({ where: { groupId } });
  if (!rota) throw ValidationError.of('input.groupId', 'The group has no on-call rota yet');
  await requireStaffUser(prisma, input.userId, 'input.userId');
  return prisma.onCallOverride.create({
    data: {
      rotaId: rota.id,
      userId: input.userId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      reason: input.reason.trim(),
      createdById: actor.viewer.userId,
    },
  });
}

export async function deleteOverride(prisma: PrismaClient, actor: Actor, overrideId: string) {
  requireWriter(actor);
  const override = await prisma.onCallOverride.findUnique({ where: { id: overrideId }, include: { rota: true } });
  if (!override) throw new NotFoundError('OnCallOverride', overrideId);
  await requireGroupManager(prisma, actor, override.rota.groupId, 'change who is on call');
  await prisma.onCallOverride.delete({ where: { id: overrideId } });
  return override;
}

export async function createOutOfOffice(
  prisma: PrismaClient,
  actor: Actor,
  input: { userId: string; startsAt: Date; endsAt: Date; reason?: string | null },
) {
  await requirePersonManager(prisma, actor, input.userId, 'record out-of-office', true);
  fail(periodIssues(input.startsAt, input.endsAt, input.reason, 0));
  await requireStaffUser(prisma, input.userId, 'input.userId');
  return prisma.outOfOffice.create({
    data: {
      userId: input.userId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      reason: input.reason?.trim() ?? '',
      createdById: actor.viewer.userId,
    },
  });
}

export async function deleteOutOfOffice(prisma: PrismaClient, actor: Actor, id: string) {
  requireWriter(actor);
  const entry = await prisma.outOfOffice.findUnique({ where: { id } });
  if (!entry) throw new NotFoundError('OutOfOffice', id);
  await requirePersonManager(prisma, actor, entry.userId, 'remove out-of-office', true);
  await prisma.outOfOffice.delete({ where: { id } });
  return entry;
}
