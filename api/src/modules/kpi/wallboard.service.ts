import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { Priority } from '../../generated/prisma/enums.js';
import {
  AGING_BUCKETS,
  csat,
  type KpiFilter,
  OPEN_STATUS_SQL,
  resolutionStats,
  slaCompliance,
  trend,
} from './kpi.service.js';

export interface WallboardScope {
  resolverGroupId: string | null;
  organizationId: string | null;
}

export interface WallboardTicket {
  ticketId: string;
  number: string;
  title: string;
  priority: Priority;
  status: string;
  groupName: string | null;
  organizationName: string;
  target: string;
  dueAt: Date;
  breachedAt: Date | null;
}

export interface WallboardEscalation {
  id: string;
  ticketId: string;
  number: string;
  kind: string;
  level: number;
  target: string | null;
  createdAt: Date;
}

export interface WallboardData {
  generatedAt: Date;
  scope: WallboardScope;
  openTotal: number;
  byPriority: { priority: Priority; count: number }[];
  byGroup: { groupId: string | null; name: string; count: number }[];
  aging: { key: string; label: string; count: number }[];
  atRisk: WallboardTicket[];
  breached: WallboardTicket[];
  unacknowledgedEscalations: WallboardEscalation[];
  today: {
    created: number;
    resolved: number;
    meanResolutionSeconds: number | null;
    firstContactResolutionRate: number | null;
    firstResponseCompliance: number | null;
    resolutionCompliance: number | null;
    csatAverage: number | null;
    csatResponseRate: number | null;
  };
  trend: { day: string; created: number; resolved: number }[];
}

const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];
const DAY = 86_400_000;
const ageEdge = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

async function tableExists(prisma: PrismaClient, name: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ ok: boolean }[]>`SELECT to_regclass(${`"${name}"`}) IS NOT NULL AS ok`;
  return !!rows[0]?.ok;
}

function scopeSql(scope: WallboardScope): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (scope.resolverGroupId) parts.push(Prisma.sql`t."resolverGroupId" = ${scope.resolverGroupId}::uuid`);
  if (scope.organizationId) parts.push(Prisma.sql`t."organizationId" = ${scope.organizationId}::uuid`);
  return Prisma.join(parts, ' AND ');
}

/**
 * Open tickets whose SLA clocks are at risk (running, due within the next `horizonMs` or past 75 % of their target)
 * or already breached, most urgent first. Reads the SLA engine's clocks; empty when it is not installed.
 */
async function slaWatchlist(
  prisma: PrismaClient,
  scope: WallboardScope,
  now: Date,
): Promise<{ atRisk: WallboardTicket[]; breached: WallboardTicket[] }> {
  if (!(await tableExists(prisma, 'SlaClock'))) return { atRisk: [], breached: [] };
  const horizon = new Date(now.getTime() + 2 * 3_600_000);
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT t.id AS "ticketId", t.number, t.title, t.priority::text AS priority, t.status::text AS status,
           g.name AS "groupName", o.name AS "organizationName", c.kind::text AS target, c."dueAt", c."breachedAt"
      FROM "SlaClock" c
      JOIN "Ticket" t ON t.id = c."ticketId"
      JOIN "Organization" o ON o.id = t."organizationId"
      LEFT JOIN "ResolverGroup" g ON g.id = t."resolverGroupId"
     WHERE c."completedAt" IS NULL AND c."metAt" IS NULL AND c."dueAt" IS NOT NULL AND c."dueAt" <= ${horizon}
       AND c.state IN ('RUNNING', 'BREACHED')
       AND ${OPEN_STATUS_SQL}
       AND ${scopeSql(scope)}
     ORDER BY c."dueAt" ASC
     LIMIT 60`;
  const items = rows.map((r) => ({
    ticketId: String(r.ticketId),
    number: String(r.number),
    title: String(r.title),
    priority: r.priority as Priority,
    status: String(r.status),
    groupName: (r.groupName as string | null) ?? null,
    organizationName: String(r.organizationName),
    target: String(r.target),
    dueAt: r.dueAt as Date,
    breachedAt: (r.breachedAt as Date | null) ?? null,
  }));
  return {
    breached: items.filter((i) => i.breachedAt || i.dueAt <= now).slice(0, 30),
    atRisk: items.filter((i) => !i.breachedAt && i.dueAt > now).slice(0, 30),
  };
}

async function openEscalations(prisma: PrismaClient, scope: WallboardScope): Promise<WallboardEscalation[]> {
  if (!(await tableExists(prisma, 'Escalation'))) return [];
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT e.id, t.id AS "ticketId", t.number, e.kind::text AS kind, e.level,
           coalesce(g.name, u.name, e."vendorName") AS target, e."createdAt"
      FROM "Escalation" e
      JOIN "Ticket" t ON t.id = e."ticketId"
      LEFT JOIN "ResolverGroup" g ON g.id = e."targetGroupId"
      LEFT JOIN "User" u ON u.id = e."targetUserId"
     WHERE e."acknowledgedAt" IS NULL AND e."resolvedAt" IS NULL AND ${scopeSql(scope)}
     ORDER BY e."createdAt" ASC
     LIMIT 30`;
  return rows.map((r) => ({
    id: String(r.id),
    ticketId: String(r.ticketId),
    number: String(r.number),
    kind: String(r.kind),
    level: Number(r.level),
    target: (r.target as string | null) ?? null,
    createdAt: r.createdAt as Date,
  }));
}

/** Everything a NOC board shows, in one call (a handful of indexed queries). */
export async function wallboardData(
  prisma: PrismaClient,
  scope: WallboardScope,
  now: Date,
  timeZone = 'UTC',
): Promise<WallboardData> {
  const filter: KpiFilter = { resolverGroupId: scope.resolverGroupId, organizationId: scope.organizationId };
  const startOfDay = new Date(now.getTime() - (now.getTime() % DAY));
  const [cells, watch, escalations, todayRes, todaySla, todayCsat, trendRows, createdToday] = await Promise.all([
    // One pass over the open part of the (status, priority, group, createdAt) index gives priority, group and age.
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT t.priority::text AS priority, t."resolverGroupId"::text AS "groupId", count(*)::int AS n,
             count(*) FILTER (WHERE t."createdAt" > ${ageEdge(now, 1)})::int AS b0,
             count(*) FILTER (WHERE t."createdAt" <= ${ageEdge(now, 1)} AND t."createdAt" > ${ageEdge(now, 3)})::int AS b1,
             count(*) FILTER (WHERE t."createdAt" <= ${ageEdge(now, 3)} AND t."createdAt" > ${ageEdge(now, 7)})::int AS b2,
             count(*) FILTER (WHERE t."createdAt" <= ${ageEdge(now, 7)} AND t."createdAt" > ${ageEdge(now, 30)})::int AS b3,
             count(*) FILTER (WHERE t."createdAt" <= ${ageEdge(now, 30)})::int AS b4
        FROM "Ticket" t
       WHERE ${OPEN_STATUS_SQL} AND ${scopeSql(scope)}
       GROUP BY 1, 2`,
    slaWatchlist(prisma, scope, now),
    openEscalations(prisma, scope),
    resolutionStats(prisma, startOfDay, now, filter, 'NONE'),
    slaCompliance(prisma, startOfDay, now, filter, 'NONE'),
    csat(prisma, new Date(now.getTime() - 30 * DAY), now, filter, 'NONE'),
    trend(prisma, new Date(startOfDay.getTime() - 13 * DAY), new Date(startOfDay.getTime() + DAY), timeZone, filter),
    prisma.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM "Ticket" t WHERE t."createdAt" >= ${startOfDay} AND ${scopeSql(scope)}`,
  ]);
  const groupNames = new Map(
    (await prisma.resolverGroup.findMany({ select: { id: true, name: true } })).map((g) => [g.id, g.name]),
  );
  const byPriority = PRIORITIES.map((priority) => ({
    priority,
    count: cells.filter((c) => c.priority === priority).reduce((sum, c) => sum + Number(c.n), 0),
  }));
  const groupCounts = new Map<string | null, number>();
  for (const c of cells) {
    const key = (c.groupId as string | null) ?? null;
    groupCounts.set(key, (groupCounts.get(key) ?? 0) + Number(c.n));
  }
  const byGroup = [...groupCounts.entries()]
    .map(([groupId, count]) => ({
      groupId,
      name: groupId ? (groupNames.get(groupId) ?? 'Unknown group') : 'Unrouted',
      count,
    }))
    .sort((a, b) => b.count - a.count);
  const aging = AGING_BUCKETS.map((b, i) => ({
    key: b.key,
    label: b.label,
    count: cells.reduce((sum, c) => sum + Number(c[`b${i}`]), 0),
  }));
  const res = todayRes[0];
  const compliance = (kind: string) => {
    const row = todaySla.find((r) => r.kind === kind);
    return row && row.met + row.breached > 0 ? row.met / (row.met + row.breached) : null;
  };
  const c = todayCsat[0];
  return {
    generatedAt: now,
    scope,
    openTotal: byPriority.reduce((s, p) => s + p.count, 0),
    byPriority,
    byGroup,
    aging,
    atRisk: watch.atRisk,
    breached: watch.breached,
    unacknowledgedEscalations: escalations,
    today: {
      created: Number(createdToday[0]?.n ?? 0),
      resolved: res?.resolved ?? 0,
      meanResolutionSeconds: res?.meanSeconds ?? null,
      firstContactResolutionRate: res && res.resolved > 0 ? res.firstContactResolved / res.resolved : null,
      firstResponseCompliance: compliance('FIRST_RESPONSE'),
      resolutionCompliance: compliance('RESOLUTION'),
      csatAverage: c?.averageRating ?? null,
      csatResponseRate: c && c.sent > 0 ? c.responded / c.sent : null,
    },
    trend: trendRows,
  };
}
