/**
 * Why a target is due when it is: the ledger segments, cut by the calendar into counted time, closed hours and
 * holidays, in words. Pure, like the engine.
 */
import { businessMsBetween, type CalendarSpec, closedPeriods, formatInZone } from '../calendar/calendar.js';
import type { LedgerSegment, TargetKind } from './engine.js';

export type StepKind = 'COUNTING' | 'PAUSED' | 'OUTSIDE_HOURS' | 'HOLIDAY' | 'MET' | 'BREACHED' | 'DUE';

export interface ExplanationStep {
  kind: StepKind;
  from: Date;
  to: Date | null;
  /** Business time this step counted (0 for pauses and closed hours). */
  businessSeconds: number;
  text: string;
}

export interface Explanation {
  summary: string;
  steps: ExplanationStep[];
}

export interface ExplainInput {
  kind: TargetKind;
  state: 'RUNNING' | 'PAUSED' | 'MET' | 'BREACHED' | 'CANCELLED';
  targetMs: number;
  calendar: CalendarSpec;
  calendarName: string;
  policyLabel: string;
  segments: readonly LedgerSegment[];
  now: Date;
  dueAt: Date | null;
  metAt: Date | null;
  breachedAt: Date | null;
  completedAt: Date | null;
  cycle: number;
}

export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} m` : '', !d && !h && s ? `${s} s` : ''].filter(
    Boolean,
  );
  return `${negative ? '-' : ''}${parts.join(' ') || '0 m'}`;
}

function holidayLabel(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: '2-digit', month: 'short' }).format(
    new Date(Date.UTC(y!, m! - 1, d!, 12)),
  );
}

const TARGET_LABEL: Record<TargetKind, string> = {
  FIRST_RESPONSE: 'first response',
  NEXT_UPDATE: 'next update',
  RESOLUTION: 'resolution',
};

export function explain(input: ExplainInput): Explanation {
  const { calendar: cal, now } = input;
  const at = (d: Date) => formatInZone(cal.timeZone, d);
  const steps: ExplanationStep[] = [];
  const pausedBy = new Map<string, number>();
  const holidays = new Set<string>();
  let closedMs = 0;
  for (const seg of input.segments) {
    const end = seg.endedAt ?? now;
    if (seg.kind === 'PAUSED') {
      const ms = Math.max(0, end.getTime() - seg.startedAt.getTime());
      pausedBy.set(seg.reason, (pausedBy.get(seg.reason) ?? 0) + ms);
      steps.push({
        kind: 'PAUSED',
        from: seg.startedAt,
        to: seg.endedAt,
        businessSeconds: 0,
        text: `paused ${formatDuration(ms)}${seg.endedAt ? '' : ' so far'}: ${seg.reason}`,
      });
      continue;
    }
    let cursor = seg.startedAt;
    const counted = (to: Date) => {
      if (to <= cursor) return;
      const ms = businessMsBetween(cal, cursor, to);
      steps.push({
        kind: 'COUNTING',
        from: cursor,
        to: to === now && !seg.endedAt ? null : to,
        businessSeconds: Math.round(ms / 1000),
        text: `counting ${formatDuration(ms)} (${seg.reason})`,
      });
    };
    for (const closed of closedPeriods(cal, seg.startedAt, end)) {
      counted(closed.start);
      const ms = closed.end.getTime() - closed.start.getTime();
      closedMs += ms;
      for (const h of closed.holidays) holidays.add(h);
      steps.push({
        kind: closed.holidays.length ? 'HOLIDAY' : 'OUTSIDE_HOURS',
        from: closed.start,
        to: closed.end,
        businessSeconds: 0,
        text: closed.holidays.length
          ? `not counted: ${closed.holidays.map(holidayLabel).join(', ')} ${closed.holidays.length > 1 ? 'were holidays' : 'was a holiday'}`
          : `not counted: outside business hours (${formatDuration(ms)})`,
      });
      cursor = closed.end;
    }
    counted(end);
  }

  const target = `${formatDuration(input.targetMs)} business time for ${TARGET_LABEL[input.kind]}${input.kind === 'NEXT_UPDATE' && input.cycle > 1 ? ` (update cycle ${input.cycle})` : ''}, ${input.policyLabel}, ${input.calendarName}`;
  const reasons: string[] = [];
  for (const [reason, ms] of pausedBy) reasons.push(`paused ${formatDuration(ms)} ${reason}`);
  if (closedMs > 0 && !cal.is24x7) reasons.push(`${formatDuration(closedMs)} outside business hours not counted`);
  for (const h of [...holidays].sort()) reasons.push(`${holidayLabel(h)} was a holiday`);

  let head: string;
  if (input.state === 'MET' && input.metAt) {
    head = `met ${at(input.metAt)}${input.dueAt ? `, due ${at(input.dueAt)}` : ''}`;
    steps.push({ kind: 'MET', from: input.metAt, to: null, businessSeconds: 0, text: `met ${at(input.metAt)}` });
  } else if (input.state === 'BREACHED' && input.breachedAt) {
    head = `breached ${at(input.breachedAt)}${input.completedAt ? `, achieved ${at(input.completedAt)}` : ''}`;
    steps.push({
      kind: 'BREACHED',
      from: input.breachedAt,
      to: null,
      businessSeconds: 0,
      text: `breached ${at(input.breachedAt)}`,
    });
  } else if (input.state === 'CANCELLED') {
    head = 'cancelled';
  } else if (input.state === 'PAUSED' || !input.dueAt) {
    const used = input.segments.length ? sumCounted(steps) : 0;
    head = `paused with ${formatDuration(input.targetMs - used)} left`;
  } else {
    head = `due ${at(input.dueAt)}`;
    steps.push({ kind: 'DUE', from: input.dueAt, to: null, businessSeconds: 0, text: `due ${at(input.dueAt)}` });
  }
  return { summary: [`${head}: ${target}`, ...reasons].join('; '), steps };
}

function sumCounted(steps: ExplanationStep[]): number {
  return steps.filter((s) => s.kind === 'COUNTING').reduce((a, s) => a + s.businessSeconds * 1000, 0);
}
