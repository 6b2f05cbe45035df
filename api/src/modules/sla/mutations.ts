import { builder } from '../../builder.js';
import { appClock, appClockOffsetMs, shiftAppClock, testClockEnabled } from '../../clock.js';
import type { Context } from '../../context.js';
import { db } from '../../db.js';
import { forbidden, NotFoundError, ValidationError } from '../../errors.js';
import type { SlaPolicy } from '../../generated/prisma/client.js';
import { BusinessCalendarType } from '../calendar/types.js';
import { OrganizationType } from '../directory/types.js';
import { channelOf } from '../ticket/access.js';
import type { Actor } from '../ticket/mutate.js';
import { PriorityEnum, TicketClassEnum } from '../ticket/types.js';
import { saveSlaPolicy } from './policy.service.js';
import { activeScheduler, runDueTimers } from './scheduler.js';
import { SlaPolicyType } from './types.js';

function actorOf(ctx: Context): Actor {
  return { viewer: ctx.viewer!, channel: channelOf(ctx.viewer!) };
}

const SlaPolicySaveInput = builder.inputType('SlaPolicySaveInput', {
  description:
    'A new policy, or (same key) a new version of one: the previous version is retired, never edited; open tickets ' +
    're-select and are recomputed from their ledgers.',
  fields: (t) => ({
    key: t.string(),
    name: t.string(),
    priority: t.field({ type: PriorityEnum, required: false }),
    ticketClass: t.field({ type: TicketClassEnum, required: false }),
    organizationId: t.globalID({ required: false, for: OrganizationType }),
    calendarId: t.globalID({ for: BusinessCalendarType }),
    firstResponseSeconds: t.int({ required: false, description: 'Business seconds; empty = no such target.' }),
    nextUpdateSeconds: t.int({ required: false }),
    resolutionSeconds: t.int({ required: false }),
    pauseOnPendingVendor: t.boolean({ required: false, defaultValue: false }),
    warningPercents: t.intList({ required: false, description: 'Default 50, 75, 90.' }),
  }),
});

const SlaPolicySavePayload = builder
  .objectRef<{ policy: SlaPolicy; recomputedTickets: number }>('SlaPolicySavePayload')
  .implement({
    fields: (t) => ({
      policy: t.field({ type: SlaPolicyType, resolve: (p) => p.policy }),
      recomputedTickets: t.exposeInt('recomputedTickets'),
    }),
  });

builder.mutationField('slaPolicySave', (t) =>
  t.field({
    type: SlaPolicySavePayload,
    description: 'Creates an SLA policy or its next version (admin).',
    authScopes: { role: 'ADMIN', scope: 'admin' },
    args: { input: t.arg({ type: SlaPolicySaveInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) =>
      saveSlaPolicy(db(), actorOf(ctx), {
        ...input,
        organizationId: input.organizationId?.id ?? null,
        calendarId: input.calendarId.id,
      }),
  }),
);

const TestClockAdvanceInput = builder.inputType('TestClockAdvanceInput', {
  fields: (t) => ({ seconds: t.int({ description: 'How far to move the app clock forward.' }) }),
});

const TestClockPayload = builder
  .objectRef<{ offsetSeconds: number; now: Date; fired: number }>('TestClockPayload')
  .implement({
    fields: (t) => ({
      offsetSeconds: t.exposeInt('offsetSeconds', { description: 'Total shift of this instance’s clock.' }),
      now: t.expose('now', { type: 'DateTime' }),
      fired: t.exposeInt('fired', { description: 'SLA timers fired by the scheduler run that followed.' }),
    }),
  });

builder.mutationField('testClockAdvance', (t) =>
  t.field({
    type: TestClockPayload,
    description:
      'End-to-end tests only: moves this instance’s clock forward and runs the SLA scheduler once. Refused ' +
      '(FORBIDDEN) unless the server runs with ENABLE_TEST_CLOCK=true; admin only.',
    authScopes: { role: 'ADMIN' },
    args: { input: t.arg({ type: TestClockAdvanceInput }) },
    errors: { types: [] },
    resolve: async (_root, { input }) => {
      if (!testClockEnabled()) throw forbidden('The test clock is disabled (ENABLE_TEST_CLOCK is not true)');
      if (!Number.isInteger(input.seconds) || input.seconds < 0 || input.seconds > 366 * 86_400)
        throw ValidationError.of('input.seconds', 'Use 0 to 31,622,400 seconds');
      shiftAppClock(input.seconds * 1000);
      const scheduler = activeScheduler();
      let fired = 0;
      if (scheduler) {
        // The first call may join a run that began before the shift; the second starts after it.
        fired += (await scheduler.runOnce()).fired;
        fired += (await scheduler.runOnce()).fired;
      } else {
        fired += (await runDueTimers(db())).fired;
      }
      return { offsetSeconds: Math.round(appClockOffsetMs() / 1000), now: appClock.now(), fired };
    },
  }),
);
