import type { ReactNode } from 'react';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import type { Board_WallboardFragmentFragment } from '../../gql/graphql';
import { formatCapped, formatPercent, formatRating, formatSpan, slotsFor } from './format';
import { TrendChart } from './TrendChart';
import { useFitCount } from './useElementSize';
import { type WatchRow, watchList } from './watch';

export const Board_WallboardFragment = graphql(`
  fragment Board_WallboardFragment on Wallboard {
    generatedAt
    openTotal
    backlogByPriority {
      priority
      count
    }
    backlogByGroup {
      groupId
      name
      count
    }
    aging {
      key
      label
      count
    }
    atRisk {
      ticketId
      number
      title
      priority
      status
      target
      dueAt
      breachedAt
      groupName
      organizationName
    }
    breached {
      ticketId
      number
      title
      priority
      status
      target
      dueAt
      breachedAt
      groupName
      organizationName
    }
    unacknowledgedEscalations {
      escalationId
      ticketId
      number
      kind
      level
      target
      createdAt
    }
    today {
      created
      resolved
      meanResolutionSeconds
      firstContactResolutionRate
      firstResponseCompliance
      resolutionCompliance
      csatAverage
      csatResponseRate
    }
    trend {
      day
      created
      resolved
    }
  }
`);

/** The API returns at most this many breached and at-risk targets each. */
const LIST_CAP = 30;

const PRIORITY_NAME: Record<string, string> = { P1: 'Critical', P2: 'High', P3: 'Moderate', P4: 'Low', P5: 'Planning' };
const TARGET_NAME: Record<string, string> = {
  FIRST_RESPONSE: 'First response',
  NEXT_UPDATE: 'Next update',
  RESOLUTION: 'Resolution',
};
const KIND_NAME: Record<string, string> = { FUNCTIONAL: 'Functional', HIERARCHICAL: 'Management', VENDOR: 'Vendor' };

type Tone = 'ok' | 'warn' | 'bad' | 'plain';
const ICON: Record<Tone, string> = { ok: '●', warn: '◆', bad: '▲', plain: '' };

/** The lower of two rates, ignoring missing ones: the tile shows (and warns about) the target that slips most. */
function worst(a: number | null | undefined, b: number | null | undefined): number | null {
  const rates = [a, b].filter((r): r is number => r !== null && r !== undefined);
  return rates.length ? Math.min(...rates) : null;
}

function complianceTone(rate: number | null | undefined): Tone {
  if (rate === null || rate === undefined) return 'plain';
  return rate >= 0.95 ? 'ok' : rate >= 0.85 ? 'warn' : 'bad';
}

function Tile({
  label,
  value,
  sub,
  tone = 'plain',
  testId,
}: {
  label: string;
  value: string;
  sub: string;
  tone?: Tone;
  testId?: string;
}) {
  return (
    <section className={`wb-tile wb-tile--${tone}`} aria-label={label} data-testid={testId}>
      <h2 className="wb-tile__label">{label}</h2>
      <p className="wb-tile__value">
        <span className="wb-tile__number">{value}</span>
        {tone !== 'plain' ? (
          <span className="wb-tile__icon" aria-hidden="true">
            {ICON[tone]}
          </span>
        ) : null}
      </p>
      <p className="wb-tile__sub">{sub}</p>
    </section>
  );
}

function Panel({
  title,
  count,
  className,
  children,
  testId,
}: {
  title: string;
  count?: string;
  className?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className={`wb-panel ${className ?? ''}`} aria-label={title} data-testid={testId}>
      <h2 className="wb-panel__title">
        <span>{title}</span>
        {count !== undefined ? <span className="wb-panel__count">{count}</span> : null}
      </h2>
      {children}
    </section>
  );
}

function WatchSlot({ row }: { row: WatchRow | undefined }) {
  if (!row) return <li className="wb-watch__row wb-watch__row--empty" aria-hidden="true" />;
  const state = row.breached ? 'breached' : 'at-risk';
  return (
    <li className={`wb-watch__row wb-watch__row--${state}`} data-ticket={row.number} data-state={state}>
      <span className="wb-watch__icon" aria-hidden="true">
        {row.breached ? '▲' : '◆'}
      </span>
      <span className={`wb-prio wb-prio--${row.priority}`} title={PRIORITY_NAME[row.priority]}>
        {row.priority}
      </span>
      <span className="wb-watch__main">
        <span className="wb-watch__title">{row.title}</span>
        <span className="wb-watch__sub">
          <span className="wb-watch__number">{row.number}</span> · {TARGET_NAME[row.target] ?? row.target}
          {row.otherTargets ? ` +${row.otherTargets}` : ''} · {row.groupName ?? 'Unrouted'} · {row.organizationName}
        </span>
      </span>
      <span className="wb-watch__time">
        <span className="wb-watch__state">{row.breached ? 'Breached' : 'Due in'}</span>
        <span className="wb-watch__countdown">{row.countdown}</span>
      </span>
    </li>
  );
}

function SlaWatch({ rows }: { rows: WatchRow[] }) {
  const [ref, capacity] = useFitCount<HTMLOListElement>(8);
  const { shown, more } = slotsFor(rows, capacity);
  const slots = Array.from({ length: Math.max(capacity, 0) }, (_, i) => shown[i]);
  return (
    <ol className="wb-watch" ref={ref} data-testid="sla-watch">
      {rows.length === 0 ? (
        <li className="wb-watch__row wb-watch__row--clear">
          <span className="wb-watch__icon" aria-hidden="true">
            ✓
          </span>
          No SLA target breached or due within 2 h
        </li>
      ) : null}
      {slots.map((row, i) =>
        i === capacity - 1 && more > 0 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <li key={i} className="wb-watch__row wb-watch__row--more">
            + {more} more
          </li>
        ) : rows.length === 0 && i === 0 ? null : (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <WatchSlot key={i} row={row} />
        ),
      )}
    </ol>
  );
}

function Bars({
  items,
  max,
  testId,
  fit,
}: {
  items: { key: string; label: string; count: number; className?: string }[];
  max: number;
  testId?: string;
  fit?: boolean;
}) {
  const [ref, capacity] = useFitCount<HTMLUListElement>(items.length);
  const limit = fit ? capacity : items.length;
  const { shown, more } = slotsFor(items, limit);
  const slots = fit ? Array.from({ length: limit }, (_, i) => shown[i]) : shown;
  return (
    <ul className="wb-bars" ref={ref} data-testid={testId}>
      {slots.map((item, i) =>
        fit && i === limit - 1 && more > 0 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <li key={i} className="wb-bars__row wb-bars__row--more">
            + {more} more
          </li>
        ) : item ? (
          <li key={fit ? i : item.key} className={`wb-bars__row ${item.className ?? ''}`}>
            <span className="wb-bars__label">{item.label}</span>
            <span className="wb-bars__track" aria-hidden="true">
              <span className="wb-bars__fill" style={{ transform: `scaleX(${max > 0 ? item.count / max : 0})` }} />
            </span>
            <span className="wb-bars__count">{item.count}</span>
          </li>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <li key={i} className="wb-bars__row wb-bars__row--empty" aria-hidden="true" />
        ),
      )}
    </ul>
  );
}

/** Five fixed columns (priorities, age buckets): compact, and a count that changes never moves anything. */
function Columns({
  items,
  testId,
}: {
  items: { key: string; label: string; title?: string; count: number; className?: string }[];
  testId?: string;
}) {
  const max = Math.max(1, ...items.map((i) => i.count));
  return (
    <ul className="wb-cols" data-testid={testId}>
      {items.map((item) => (
        <li key={item.key} className={`wb-cols__col ${item.className ?? ''}`} title={item.title}>
          <span className="wb-cols__count">{item.count}</span>
          <span className="wb-cols__track" aria-hidden="true">
            {/* Scaled, not resized: a growing bar is a transform, never a layout shift. */}
            <span className="wb-cols__fill" style={{ transform: `scaleY(${item.count / max})` }} />
          </span>
          <span className="wb-cols__label">{item.label}</span>
        </li>
      ))}
    </ul>
  );
}

function age(createdAt: string, serverNow: number): string {
  const minutes = Math.max(0, Math.floor((serverNow - Date.parse(createdAt)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d`;
}

function Escalations({
  items,
  serverNow,
}: {
  items: Board_WallboardFragmentFragment['unacknowledgedEscalations'];
  serverNow: number;
}) {
  const [ref, capacity] = useFitCount<HTMLUListElement>(4);
  const { shown, more } = slotsFor(items, capacity);
  const slots = Array.from({ length: capacity }, (_, i) => shown[i]);
  return (
    <ul className="wb-esc" ref={ref} data-testid="escalations">
      {items.length === 0 ? (
        <li className="wb-esc__row wb-esc__row--clear">
          <span className="wb-esc__check" aria-hidden="true">
            ✓
          </span>{' '}
          None waiting
        </li>
      ) : null}
      {slots.map((e, i) =>
        items.length === 0 && i === 0 ? null : i === capacity - 1 && more > 0 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <li key={i} className="wb-esc__row wb-esc__row--more">
            + {more} more
          </li>
        ) : e ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <li key={i} className="wb-esc__row" data-ticket={e.number}>
            <span className="wb-esc__icon" aria-hidden="true">
              ⇧
            </span>
            <span className="wb-esc__main">
              <span className="wb-esc__number">{e.number}</span>
              <span className="wb-esc__target">
                → {e.target ?? 'by role'} · {(KIND_NAME[e.kind] ?? e.kind).toLowerCase()} L{e.level}
              </span>
            </span>
            <span className="wb-esc__age">{age(e.createdAt, serverNow)}</span>
          </li>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are positions on the screen, not items.
          <li key={i} className="wb-esc__row wb-esc__row--empty" aria-hidden="true" />
        ),
      )}
    </ul>
  );
}

/**
 * The NOC board: what is on fire (SLA watch, escalations), how big the pile is (backlog by priority, group, age) and
 * how today goes (KPIs, trend). Every list is a fixed set of slots sized to the screen, so live updates replace text
 * in place and nothing jumps.
 */
export function Board(props: { board: FragmentType<typeof Board_WallboardFragment>; serverNow: number }) {
  const board = getFragmentData(Board_WallboardFragment, props.board);
  const { serverNow } = props;
  const rows = watchList(board.breached, board.atRisk, serverNow);
  const breachedCount = rows.filter((r) => r.breached).length;
  const atRiskCount = rows.length - breachedCount;
  const today = board.today;
  const maxGroup = Math.max(1, ...board.backlogByGroup.map((g) => g.count));
  const escalations = board.unacknowledgedEscalations;

  return (
    <>
      <div className="wb-tiles">
        <Tile label="Open" value={String(board.openTotal)} sub={`${today.created} new today`} testId="tile-open" />
        <Tile
          label="Breached"
          value={formatCapped(breachedCount, LIST_CAP)}
          sub="SLA overdue"
          tone={breachedCount > 0 ? 'bad' : 'ok'}
          testId="tile-breached"
        />
        <Tile
          label="At risk"
          value={formatCapped(atRiskCount, LIST_CAP)}
          sub="due within 2 h"
          tone={atRiskCount > 0 ? 'warn' : 'ok'}
          testId="tile-at-risk"
        />
        <Tile
          label="Escalated"
          value={formatCapped(escalations.length, LIST_CAP)}
          sub="awaiting ack"
          tone={escalations.length > 0 ? 'warn' : 'ok'}
          testId="tile-escalations"
        />
        <Tile
          label="SLA met"
          value={formatPercent(worst(today.resolutionCompliance, today.firstResponseCompliance))}
          sub={`FR ${formatPercent(today.firstResponseCompliance)} · RES ${formatPercent(today.resolutionCompliance)}`}
          tone={complianceTone(worst(today.resolutionCompliance, today.firstResponseCompliance))}
          testId="tile-sla"
        />
        <Tile
          label="MTTR"
          value={formatSpan(today.meanResolutionSeconds)}
          sub={`${today.resolved} resolved`}
          testId="tile-resolution-time"
        />
        <Tile
          label="FCR"
          value={formatPercent(today.firstContactResolutionRate)}
          sub="first contact"
          testId="tile-fcr"
        />
        <Tile
          label="CSAT"
          value={
            today.csatAverage === null || today.csatAverage === undefined ? '—' : `${formatRating(today.csatAverage)}`
          }
          sub={`of 5 · ${formatPercent(today.csatResponseRate)} reply`}
          testId="tile-csat"
        />
      </div>
      <div className="wb-body">
        <Panel
          title="SLA watch"
          count={`${formatCapped(breachedCount, LIST_CAP)} breached · ${formatCapped(atRiskCount, LIST_CAP)} at risk`}
          className="wb-panel--watch"
        >
          <SlaWatch rows={rows} />
        </Panel>
        <div className="wb-col wb-col--b">
          <Panel
            title="Escalations waiting"
            count={formatCapped(escalations.length, LIST_CAP)}
            className="wb-panel--esc"
          >
            <Escalations items={escalations} serverNow={serverNow} />
          </Panel>
          <Panel title="Trend" count="14 days" className="wb-panel--trend">
            <TrendChart days={board.trend} />
          </Panel>
        </div>
        <div className="wb-col wb-col--c">
          <Panel title="Backlog by priority" count={String(board.openTotal)} className="wb-panel--priority">
            <Columns
              testId="backlog-priority"
              items={board.backlogByPriority.map((p) => ({
                key: p.priority,
                label: p.priority,
                title: PRIORITY_NAME[p.priority],
                count: p.count,
                className: `wb-cols__col--${p.priority}`,
              }))}
            />
          </Panel>
          <Panel title="Backlog age" count="days" className="wb-panel--aging">
            <Columns
              testId="aging"
              items={board.aging.map((a) => ({
                key: a.key,
                label: a.label.replace(/\s*d$/, ''),
                title: a.label,
                count: a.count,
              }))}
            />
          </Panel>
          <Panel title="Backlog by group" className="wb-panel--groups">
            <Bars
              testId="backlog-group"
              fit
              max={maxGroup}
              items={board.backlogByGroup.map((g) => ({ key: g.groupId ?? 'none', label: g.name, count: g.count }))}
            />
          </Panel>
        </div>
      </div>
    </>
  );
}
