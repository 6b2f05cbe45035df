import { encodeGlobalID } from '@pothos/plugin-relay';
import { Repeater } from 'graphql-yoga';
import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';
import { db } from '../../db.js';
import { forbidden, unauthenticated } from '../../errors.js';
import { credentialStillValid } from '../auth/authenticate.js';
import { isStaff, type Viewer } from '../auth/scopes.js';
import { ResolverGroupType } from '../catalog/types.js';
import { OrganizationType } from '../directory/types.js';
import { eventBus } from '../events/bus.js';
import { PriorityEnum } from '../ticket/types.js';
import { type WallboardData, type WallboardScope, type WallboardTicket, wallboardData } from './wallboard.service.js';

const WallboardScopeInput = builder.inputType('WallboardScope', {
  description: 'What the board covers: everything (empty), one resolver group, or one customer organisation.',
  fields: (t) => ({
    resolverGroupId: t.globalID({ required: false, for: ResolverGroupType }),
    organizationId: t.globalID({ required: false, for: OrganizationType }),
  }),
});

const WallboardTicketType = builder.objectRef<WallboardTicket>('WallboardTicket').implement({
  description: 'A ticket on the board with the SLA target that put it there and its due time (for a countdown).',
  fields: (t) => ({
    ticketId: t.id({ resolve: (r) => encodeGlobalID('Ticket', r.ticketId) }),
    number: t.exposeString('number'),
    title: t.exposeString('title'),
    priority: t.field({ type: PriorityEnum, resolve: (r) => r.priority }),
    status: t.exposeString('status'),
    groupName: t.exposeString('groupName', { nullable: true }),
    organizationName: t.exposeString('organizationName'),
    target: t.exposeString('target', { description: 'FIRST_RESPONSE, NEXT_UPDATE or RESOLUTION.' }),
    dueAt: t.field({ type: 'DateTime', resolve: (r) => r.dueAt }),
    breachedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.breachedAt }),
  }),
});

const WallboardEscalationType = builder
  .objectRef<WallboardData['unacknowledgedEscalations'][number]>('WallboardEscalation')
  .implement({
    fields: (t) => ({
      escalationId: t.exposeString('id'),
      ticketId: t.id({ resolve: (r) => encodeGlobalID('Ticket', r.ticketId) }),
      number: t.exposeString('number'),
      kind: t.exposeString('kind'),
      level: t.exposeInt('level'),
      target: t.exposeString('target', { nullable: true }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    }),
  });

const CountByPriority = builder.objectRef<WallboardData['byPriority'][number]>('BacklogByPriority').implement({
  fields: (t) => ({
    priority: t.field({ type: PriorityEnum, resolve: (r) => r.priority }),
    count: t.exposeInt('count'),
  }),
});
const CountByGroup = builder.objectRef<WallboardData['byGroup'][number]>('BacklogByGroup').implement({
  fields: (t) => ({
    groupId: t.id({ nullable: true, resolve: (r) => (r.groupId ? encodeGlobalID('ResolverGroup', r.groupId) : null) }),
    name: t.exposeString('name'),
    count: t.exposeInt('count'),
  }),
});
const AgingCount = builder.objectRef<WallboardData['aging'][number]>('WallboardAging').implement({
  fields: (t) => ({ key: t.exposeString('key'), label: t.exposeString('label'), count: t.exposeInt('count') }),
});
const TodayKpis = builder.objectRef<WallboardData['today']>('WallboardToday').implement({
  description: 'Today (UTC day so far); formulas as in KpiReport. CSAT covers the last 30 days.',
  fields: (t) => ({
    created: t.exposeInt('created'),
    resolved: t.exposeInt('resolved'),
    meanResolutionSeconds: t.exposeFloat('meanResolutionSeconds', { nullable: true }),
    firstContactResolutionRate: t.exposeFloat('firstContactResolutionRate', { nullable: true }),
    firstResponseCompliance: t.exposeFloat('firstResponseCompliance', { nullable: true }),
    resolutionCompliance: t.exposeFloat('resolutionCompliance', { nullable: true }),
    csatAverage: t.exposeFloat('csatAverage', { nullable: true }),
    csatResponseRate: t.exposeFloat('csatResponseRate', { nullable: true }),
  }),
});
const TrendDay = builder.objectRef<WallboardData['trend'][number]>('WallboardTrendDay').implement({
  fields: (t) => ({ day: t.exposeString('day'), created: t.exposeInt('created'), resolved: t.exposeInt('resolved') }),
});

export const WallboardType = builder.objectRef<WallboardData>('Wallboard').implement({
  description: 'Everything a NOC wallboard shows, in one round trip.',
  fields: (t) => ({
    generatedAt: t.field({ type: 'DateTime', resolve: (w) => w.generatedAt }),
    openTotal: t.exposeInt('openTotal'),
    backlogByPriority: t.field({ type: [CountByPriority], resolve: (w) => w.byPriority }),
    backlogByGroup: t.field({ type: [CountByGroup], resolve: (w) => w.byGroup }),
    aging: t.field({ type: [AgingCount], resolve: (w) => w.aging }),
    atRisk: t.field({
      type: [WallboardTicketType],
      description: 'Running SLA targets due within 2 h, soonest first.',
      resolve: (w) => w.atRisk,
    }),
    breached: t.field({
      type: [WallboardTicketType],
      description: 'Open tickets past an SLA due time.',
      resolve: (w) => w.breached,
    }),
    unacknowledgedEscalations: t.field({
      type: [WallboardEscalationType],
      resolve: (w) => w.unacknowledgedEscalations,
    }),
    today: t.field({ type: TodayKpis, resolve: (w) => w.today }),
    trend: t.field({ type: [TrendDay], description: 'Created vs resolved, last 14 days.', resolve: (w) => w.trend }),
  }),
});

function scopeFor(viewer: Viewer, input: typeof WallboardScopeInput.$inferInput | null | undefined): WallboardScope {
  const scope = {
    resolverGroupId: input?.resolverGroupId?.id ?? null,
    organizationId: input?.organizationId?.id ?? null,
  };
  if (!isStaff(viewer)) {
    if (scope.organizationId && scope.organizationId !== viewer.organizationId)
      throw forbidden('A customer board shows its own organisation only');
    scope.organizationId = viewer.organizationId;
  }
  return scope;
}

/** Shared per scope: many boards on one scope cost one computation per second. */
const cache = new Map<string, { at: number; data: Promise<WallboardData> }>();
function cachedWallboard(scope: WallboardScope, maxAgeMs: number): Promise<WallboardData> {
  const key = `${scope.resolverGroupId ?? '*'}|${scope.organizationId ?? '*'}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.data;
  const data = wallboardData(db(), scope, appClock.now());
  cache.set(key, { at: Date.now(), data });
  data.catch(() => cache.delete(key));
  return data;
}

builder.queryField('wallboard', (t) =>
  t.field({
    type: WallboardType,
    authScopes: { scope: 'wallboard:read' },
    args: { scope: t.arg({ type: WallboardScopeInput, required: false }) },
    resolve: (_root, args, ctx) => wallboardData(db(), scopeFor(ctx.viewer!, args.scope), appClock.now()),
  }),
);

const MIN_INTERVAL_MS = 1000;
const REFRESH_MS = 15_000;

builder.subscriptionField('wallboardUpdated', (t) =>
  t.field({
    type: WallboardType,
    description:
      'The wallboard, pushed at once and then whenever it changes — at most once per second per board — and refreshed every 15 s for countdowns and ageing.',
    authScopes: { scope: 'wallboard:read' },
    args: { scope: t.arg({ type: WallboardScopeInput, required: false }) },
    subscribe: (_root, args, ctx) => {
      const viewer = ctx.viewer!;
      const scope = scopeFor(viewer, args.scope);
      return new Repeater<WallboardData>(async (push, stop) => {
        let lastJson = '';
        let lastPush = 0;
        let timer: NodeJS.Timeout | undefined;
        let computing = false;
        let dirty = false;
        const publish = async () => {
          timer = undefined;
          if (computing) {
            dirty = true;
            return;
          }
          computing = true;
          try {
            if (!(await credentialStillValid(db(), viewer))) {
              stop(unauthenticated('The credential of this board was revoked or has expired'));
              return;
            }
            const data = await cachedWallboard(scope, MIN_INTERVAL_MS / 2);
            const json = JSON.stringify({ ...data, generatedAt: null });
            if (json !== lastJson || Date.now() - lastPush >= REFRESH_MS) {
              lastJson = json;
              lastPush = Date.now();
              await push(data);
            }
          } finally {
            computing = false;
            if (dirty) {
              dirty = false;
              schedule();
            }
          }
        };
        const schedule = () => {
          if (timer) return;
          timer = setTimeout(() => void publish(), Math.max(0, lastPush + MIN_INTERVAL_MS - Date.now()));
        };
        const unsubscribe = eventBus().onEvents(() => schedule());
        const refresh = setInterval(schedule, REFRESH_MS);
        await publish();
        await stop;
        unsubscribe();
        clearInterval(refresh);
        if (timer) clearTimeout(timer);
      });
    },
    resolve: (data) => data,
  }),
);
