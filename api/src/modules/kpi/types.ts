import { builder } from '../../builder.js';
import { db } from '../../db.js';
import { badInput } from '../../errors.js';
import { isStaff } from '../auth/scopes.js';
import { ResolverGroupType, ServiceType } from '../catalog/types.js';
import { OrganizationType } from '../directory/types.js';
import { PriorityEnum, TicketClassEnum } from '../ticket/types.js';
import {
  AGING_BUCKETS,
  backlog,
  csat,
  type KpiDimension,
  type KpiFilter,
  resolutionStats,
  slaCompliance,
  trend,
} from './kpi.service.js';

export const KpiDimensionEnum = builder.enumType('KpiDimension', {
  values: ['NONE', 'GROUP', 'PRIORITY', 'CLASS', 'ORGANIZATION', 'SERVICE'] as const,
  description: 'How to break a KPI down. GROUP keys are resolver group ids, ORGANIZATION and SERVICE keys their ids.',
});

export const KpiFilterInput = builder.inputType('KpiFilter', {
  description: 'Same semantics as TicketFilter: every given condition must hold.',
  fields: (t) => ({
    resolverGroupId: t.globalID({ required: false, for: ResolverGroupType }),
    priority: t.field({ type: [PriorityEnum], required: false }),
    class: t.field({ type: [TicketClassEnum], required: false }),
    organizationId: t.globalID({ required: false, for: OrganizationType }),
    serviceId: t.globalID({ required: false, for: ServiceType }),
  }),
});

export function toKpiFilter(input: typeof KpiFilterInput.$inferInput | null | undefined): KpiFilter {
  return {
    resolverGroupId: input?.resolverGroupId?.id ?? null,
    priority: input?.priority ?? null,
    class: input?.class ?? null,
    organizationId: input?.organizationId?.id ?? null,
    serviceId: input?.serviceId?.id ?? null,
  };
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

const ResolutionKpi = builder
  .objectRef<Awaited<ReturnType<typeof resolutionStats>>[number]>('ResolutionKpi')
  .implement({
    description:
      'Tickets resolved in the window. Resolution time = resolvedAt − createdAt (wall clock, seconds). First contact resolution (FCR): resolved by the first assigned resolver group (no group change), never reopened, with at most one public agent reply, and not closed as a duplicate; FCR rate = FCR tickets / resolved tickets.',
    fields: (t) => ({
      key: t.exposeString('key', { nullable: true }),
      resolved: t.exposeInt('resolved'),
      meanSeconds: t.exposeFloat('meanSeconds', { nullable: true }),
      medianSeconds: t.exposeFloat('medianSeconds', { nullable: true }),
      p90Seconds: t.exposeFloat('p90Seconds', { nullable: true }),
      firstContactResolved: t.exposeInt('firstContactResolved'),
      firstContactResolutionRate: t.float({ nullable: true, resolve: (r) => rate(r.firstContactResolved, r.resolved) }),
    }),
  });

const AgingBucket = builder.objectRef<{ key: string; label: string; count: number }>('AgingBucket').implement({
  description: 'Open tickets by age (now − createdAt): [0,1 d), [1,3 d), [3,7 d), [7,30 d), [30 d, ∞).',
  fields: (t) => ({ key: t.exposeString('key'), label: t.exposeString('label'), count: t.exposeInt('count') }),
});

const BacklogKpi = builder.objectRef<Awaited<ReturnType<typeof backlog>>[number]>('BacklogKpi').implement({
  description: 'Open tickets now: statuses NEW, ASSIGNED, IN_PROGRESS, PENDING_CUSTOMER, PENDING_VENDOR.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true }),
    open: t.exposeInt('open'),
    aging: t.field({
      type: [AgingBucket],
      resolve: (r) => AGING_BUCKETS.map((b, i) => ({ key: b.key, label: b.label, count: r.buckets[i] ?? 0 })),
    }),
  }),
});

const SlaComplianceKpi = builder
  .objectRef<Awaited<ReturnType<typeof slaCompliance>>[number]>('SlaComplianceKpi')
  .implement({
    description:
      'SLA targets (FIRST_RESPONSE, RESOLUTION) whose outcome fell in the window: met = completed before breaching, breached = due time passed first. Compliance rate = met / (met + breached).',
    fields: (t) => ({
      key: t.exposeString('key', { nullable: true }),
      target: t.exposeString('kind'),
      met: t.exposeInt('met'),
      breached: t.exposeInt('breached'),
      complianceRate: t.float({ nullable: true, resolve: (r) => rate(r.met, r.met + r.breached) }),
    }),
  });

const CsatKpi = builder.objectRef<Awaited<ReturnType<typeof csat>>[number]>('CsatKpi').implement({
  description:
    'Satisfaction surveys sent in the window: response rate = responded / sent; average of the 1–5 ratings given.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true }),
    sent: t.exposeInt('sent'),
    responded: t.exposeInt('responded'),
    responseRate: t.float({ nullable: true, resolve: (r) => rate(r.responded, r.sent) }),
    averageRating: t.exposeFloat('averageRating', { nullable: true }),
  }),
});

const TrendPointType = builder.objectRef<Awaited<ReturnType<typeof trend>>[number]>('TrendPoint').implement({
  description: 'Tickets created and resolved on one calendar day (in the requested time zone).',
  fields: (t) => ({ day: t.exposeString('day'), created: t.exposeInt('created'), resolved: t.exposeInt('resolved') }),
});

interface Report {
  from: Date;
  to: Date;
  dimension: KpiDimension;
  filter: KpiFilter;
  timeZone: string;
}

const KpiReport = builder.objectRef<Report>('KpiReport').implement({
  description:
    'KPIs for a window, broken down by a dimension. Formulas are in each type’s description and docs/kpis.md.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', resolve: (r) => r.from }),
    to: t.field({ type: 'DateTime', resolve: (r) => r.to }),
    dimension: t.field({ type: KpiDimensionEnum, resolve: (r) => r.dimension }),
    resolution: t.field({
      type: [ResolutionKpi],
      resolve: (r) => resolutionStats(db(), r.from, r.to, r.filter, r.dimension),
    }),
    slaCompliance: t.field({
      type: [SlaComplianceKpi],
      resolve: (r) => slaCompliance(db(), r.from, r.to, r.filter, r.dimension),
    }),
    backlog: t.field({
      type: [BacklogKpi],
      description: 'As of now, whatever the window.',
      resolve: (r) => backlog(db(), new Date(), r.filter, r.dimension),
    }),
    csat: t.field({ type: [CsatKpi], resolve: (r) => csat(db(), r.from, r.to, r.filter, r.dimension) }),
    trend: t.field({ type: [TrendPointType], resolve: (r) => trend(db(), r.from, r.to, r.timeZone, r.filter) }),
  }),
});

const MAX_WINDOW_MS = 366 * 86_400_000;

builder.queryField('kpis', (t) =>
  t.field({
    type: KpiReport,
    description: 'KPIs over [from, to). Customers get their own organisation’s figures only.',
    authScopes: { scope: 'tickets:read' },
    args: {
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      dimension: t.arg({ type: KpiDimensionEnum, required: false, defaultValue: 'NONE' }),
      filter: t.arg({ type: KpiFilterInput, required: false }),
      timeZone: t.arg.string({ required: false, defaultValue: 'UTC', description: 'IANA zone for the daily trend.' }),
    },
    resolve: (_root, args, ctx) => {
      if (args.to <= args.from || args.to.getTime() - args.from.getTime() > MAX_WINDOW_MS) {
        throw badInput('The window must be positive and at most 366 days', 'to');
      }
      const timeZone = args.timeZone ?? 'UTC';
      try {
        new Intl.DateTimeFormat('en', { timeZone });
      } catch {
        throw badInput(`Unknown time zone ${timeZone}`, 'timeZone');
      }
      const filter = toKpiFilter(args.filter);
      if (!isStaff(ctx.viewer)) filter.organizationId = ctx.viewer!.organizationId;
      return { from: args.from, to: args.to, dimension: (args.dimension ?? 'NONE') as KpiDimension, filter, timeZone };
    },
  }),
);
