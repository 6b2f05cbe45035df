import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { Priority, TicketClass } from '../../generated/prisma/enums.js';

/**
 * KPI formulas (published in docs/kpis.md and the schema). Every figure is computed from the Ticket rows the ticket
 * lists read, with the same filter semantics, so a KPI card and the list it opens always agree.
 */

export type KpiDimension = 'NONE' | 'GROUP' | 'PRIORITY' | 'CLASS' | 'ORGANIZATION' | 'SERVICE';

export interface KpiFilter {
  resolverGroupId?: string | null;
  priority?: Priority[] | null;
  class?: TicketClass[] | null;
  organizationId?: string | null;
  serviceId?: string | null;
}

export const OPEN_STATUSES = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'PENDING_VENDOR'] as const;
/** Compares the enum column itself (no cast), so the (status, …) indexes are usable. */
export const OPEN_STATUS_SQL = Prisma.raw(
  `t.status IN ('NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'PENDING_VENDOR')`,
);

export const AGING_BUCKETS = [
  { key: 'LT_1D', label: '< 1 d', fromDays: 0, toDays: 1 },
  { key: 'D1_3', label: '1–3 d', fromDays: 1, toDays: 3 },
  { key: 'D3_7', label: '3–7 d', fromDays: 3, toDays: 7 },
  { key: 'D7_30', label: '7–30 d', fromDays: 7, toDays: 30 },
  { key: 'GT_30D', label: '> 30 d', fromDays: 30, toDays: null },
] as const;

const DIMENSION_COLUMN: Record<KpiDimension, Prisma.Sql> = {
  NONE: Prisma.sql`NULL::text`,
  GROUP: Prisma.sql`t."resolverGroupId"::text`,
  PRIORITY: Prisma.sql`t.priority::text`,
  CLASS: Prisma.sql`t.class::text`,
  ORGANIZATION: Prisma.sql`t."organizationId"::text`,
  SERVICE: Prisma.sql`t."serviceId"::text`,
};

function where(filter: KpiFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter.resolverGroupId) parts.push(Prisma.sql`t."resolverGroupId" = ${filter.resolverGroupId}::uuid`);
  if (filter.organizationId) parts.push(Prisma.sql`t."organizationId" = ${filter.organizationId}::uuid`);
  if (filter.serviceId) parts.push(Prisma.sql`t."serviceId" = ${filter.serviceId}::uuid`);
  if (filter.priority?.length) parts.push(Prisma.sql`t.priority = ANY(${filter.priority}::text[]::"Priority"[])`);
  if (filter.class?.length) parts.push(Prisma.sql`t.class = ANY(${filter.class}::text[]::"TicketClass"[])`);
  return Prisma.join(parts, ' AND ');
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface ResolutionStats {
  key: string | null;
  resolved: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** First contact resolution: resolved by the first assigned group, never reopened, at most one agent reply. */
  firstContactResolved: number;
}

/** Tickets resolved in [from, to): wall-clock resolution time = resolvedAt − createdAt, and FCR. */
export async function resolutionStats(
  prisma: PrismaClient,
  from: Date,
  to: Date,
  filter: KpiFilter,
  dimension: KpiDimension,
): Promise<ResolutionStats[]> {
  const key = DIMENSION_COLUMN[dimension];
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT ${key} AS key,
           count(*)::int AS resolved,
           avg(extract(epoch FROM t."resolvedAt" - t."createdAt"))::float8 AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t."resolvedAt" - t."createdAt"))::float8 AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t."resolvedAt" - t."createdAt"))::float8 AS p90,
           count(*) FILTER (WHERE t."groupChangeCount" = 0 AND t."reopenCount" = 0 AND t."agentReplyCount" <= 1
                              AND coalesce(t."resolutionCode", '') <> 'DUPLICATE')::int AS fcr
      FROM "Ticket" t
     WHERE t."resolvedAt" >= ${from} AND t."resolvedAt" < ${to} AND ${where(filter)}
     GROUP BY 1 ORDER BY 1 NULLS FIRST`;
  return rows.map((r) => ({
    key: (r.key as string | null) ?? null,
    resolved: Number(r.resolved),
    meanSeconds: num(r.mean),
    medianSeconds: num(r.median),
    p90Seconds: num(r.p90),
    firstContactResolved: Number(r.fcr),
  }));
}

export interface BacklogRow {
  key: string | null;
  open: number;
  buckets: number[];
}

/** Open tickets now (statuses NEW … PENDING_VENDOR), with age buckets by createdAt; bucket edges are half-open [from, to). */
export async function backlog(
  prisma: PrismaClient,
  now: Date,
  filter: KpiFilter,
  dimension: KpiDimension,
): Promise<BacklogRow[]> {
  const key = DIMENSION_COLUMN[dimension];
  const day = 86_400_000;
  const edges = [1, 3, 7, 30].map((d) => new Date(now.getTime() - d * day));
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT ${key} AS key,
           count(*)::int AS open,
           count(*) FILTER (WHERE t."createdAt" > ${edges[0]})::int AS b0,
           count(*) FILTER (WHERE t."createdAt" <= ${edges[0]} AND t."createdAt" > ${edges[1]})::int AS b1,
           count(*) FILTER (WHERE t."createdAt" <= ${edges[1]} AND t."createdAt" > ${edges[2]})::int AS b2,
           count(*) FILTER (WHERE t."createdAt" <= ${edges[2]} AND t."createdAt" > ${edges[3]})::int AS b3,
           count(*) FILTER (WHERE t."createdAt" <= ${edges[3]})::int AS b4
      FROM "Ticket" t
     WHERE ${OPEN_STATUS_SQL} AND ${where(filter)}
     GROUP BY 1 ORDER BY 1 NULLS FIRST`;
  return rows.map((r) => ({
    key: (r.key as string | null) ?? null,
    open: Number(r.open),
    buckets: [r.b0, r.b1, r.b2, r.b3, r.b4].map(Number),
  }));
}

export interface TrendPoint {
  day: string;
  created: number;
  resolved: number;
}

/** Created and resolved per calendar day of `timeZone` in [from, to) (at most 366 days). */
export async function trend(
  prisma: PrismaClient,
  from: Date,
  to: Date,
  timeZone: string,
  filter: KpiFilter,
): Promise<TrendPoint[]> {
  // Days that ended more than a minute ago rarely change (only a reopen moves a resolution), so their counts are
  // cached for a minute; the current day is always read fresh.
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const today = fmt.format(new Date());
  const cacheKey = `${timeZone}|${JSON.stringify(filter)}|${from.toISOString()}|${to.toISOString()}`;
  const cached = trendCache.get(cacheKey);
  const fresh = cached && Date.now() - cached.at < 60_000;
  const sinceFresh = fresh ? new Date(Math.max(from.getTime(), Date.now() - 2 * 86_400_000)) : from;
  const rows = await prisma.$queryRaw<{ day: string; created: number; resolved: number }[]>`
    WITH created AS (
      SELECT to_char(t."createdAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, count(*)::int AS n
        FROM "Ticket" t WHERE t."createdAt" >= ${sinceFresh} AND t."createdAt" < ${to} AND ${where(filter)} GROUP BY 1
    ), resolved AS (
      SELECT to_char(t."resolvedAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, count(*)::int AS n
        FROM "Ticket" t WHERE t."resolvedAt" >= ${sinceFresh} AND t."resolvedAt" < ${to} AND ${where(filter)} GROUP BY 1
    )
    SELECT coalesce(c.day, r.day) AS day, coalesce(c.n, 0)::int AS created, coalesce(r.n, 0)::int AS resolved
      FROM created c FULL JOIN resolved r ON r.day = c.day ORDER BY 1`;
  const byDay = new Map<string, { created: number; resolved: number }>();
  const recentDays = new Set<string>();
  for (let at = sinceFresh.getTime(); at < to.getTime(); at += 3_600_000) recentDays.add(fmt.format(new Date(at)));
  if (fresh) for (const [day, v] of cached.days) if (!recentDays.has(day) && day !== today) byDay.set(day, v);
  for (const r of rows) byDay.set(r.day, { created: Number(r.created), resolved: Number(r.resolved) });
  const out: TrendPoint[] = [];
  const seen = new Set<string>();
  for (let at = from.getTime(); at < to.getTime(); at += 3_600_000) {
    const day = fmt.format(new Date(at));
    if (seen.has(day)) continue;
    seen.add(day);
    const row = byDay.get(day);
    out.push({ day, created: row?.created ?? 0, resolved: row?.resolved ?? 0 });
  }
  if (!fresh) {
    trendCache.set(cacheKey, {
      at: Date.now(),
      days: new Map(out.map((p) => [p.day, { created: p.created, resolved: p.resolved }])),
    });
    if (trendCache.size > 500) trendCache.delete(trendCache.keys().next().value!);
  }
  return out;
}

const trendCache = new Map<string, { at: number; days: Map<string, { created: number; resolved: number }> }>();

export interface CsatRow {
  key: string | null;
  sent: number;
  responded: number;
  averageRating: number | null;
}

/** Surveys sent in [from, to): response rate = responded / sent; average over the ratings given. */
export async function csat(
  prisma: PrismaClient,
  from: Date,
  to: Date,
  filter: KpiFilter,
  dimension: KpiDimension,
): Promise<CsatRow[]> {
  const key = DIMENSION_COLUMN[dimension];
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT ${key} AS key, count(*)::int AS sent, count(s."respondedAt")::int AS responded, avg(s.rating)::float8 AS average
      FROM "SatisfactionSurvey" s JOIN "Ticket" t ON t.id = s."ticketId"
     WHERE s."sentAt" >= ${from} AND s."sentAt" < ${to} AND ${where(filter)}
     GROUP BY 1 ORDER BY 1 NULLS FIRST`;
  return rows.map((r) => ({
    key: (r.key as string | null) ?? null,
    sent: Number(r.sent),
    responded: Number(r.responded),
    averageRating: num(r.average),
  }));
}

export interface SlaComplianceRow {
  key: string | null;
  kind: string;
  met: number;
  breached: number;
}

/**
 * SLA targets that reached an outcome in [from, to): met = completed before the due time, breached = passed it.
 * Read from the SLA clocks when the SLA engine is installed; empty otherwise.
 */
export async function slaCompliance(
  prisma: PrismaClient,
  from: Date,
  to: Date,
  filter: KpiFilter,
  dimension: KpiDimension,
): Promise<SlaComplianceRow[]> {
  const exists = await prisma.$queryRaw<{ ok: boolean }[]>`SELECT to_regclass('"SlaClock"') IS NOT NULL AS ok`;
  if (!exists[0]?.ok) return [];
  const key = DIMENSION_COLUMN[dimension];
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT ${key} AS key, c.kind::text AS kind,
           count(*) FILTER (WHERE c."metAt" IS NOT NULL AND (c."breachedAt" IS NULL OR c."metAt" <= c."breachedAt"))::int AS met,
           count(*) FILTER (WHERE c."breachedAt" IS NOT NULL AND (c."metAt" IS NULL OR c."metAt" > c."breachedAt"))::int AS breached
      FROM "SlaClock" c JOIN "Ticket" t ON t.id = c."ticketId"
     WHERE least(c."metAt", c."breachedAt") >= ${from} AND least(c."metAt", c."breachedAt") < ${to}
       AND c.kind::text IN ('FIRST_RESPONSE', 'RESOLUTION') AND ${where(filter)}
     GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2`;
  return rows.map((r) => ({
    key: (r.key as string | null) ?? null,
    kind: String(r.kind),
    met: Number(r.met),
    breached: Number(r.breached),
  }));
}
