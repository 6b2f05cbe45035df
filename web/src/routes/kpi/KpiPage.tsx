import { useEffect, useId, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { bucketsFor, type Preset, presetWindow } from '../../features/kpi/periods';
import { SeriesChart } from '../../features/kpi/SeriesChart';
import { AgentShell } from '../../features/shell/AgentShell';
import { decodeGlobalId } from '../../features/ticket/timeline';
import { CLASS_LABEL, PRIORITY_LABEL } from '../../features/tickets/labels';
import { formatPercent, formatSpan } from '../../features/wallboard/format';
import { graphql } from '../../gql/gql';
import type { KpiDimension, KpiPeriodQuery } from '../../gql/graphql';
import { describeError } from '../../lib/errors';
import { navigate, useLocation } from '../../lib/router';

const KpiReportQuery = graphql(`
  query KpiReport($from: DateTime!, $to: DateTime!, $dimension: KpiDimension, $timeZone: String) {
    kpis(from: $from, to: $to, dimension: $dimension, timeZone: $timeZone) {
      from
      to
      resolution {
        key
        resolved
        meanSeconds
        medianSeconds
        p90Seconds
        firstContactResolved
        firstContactResolutionRate
      }
      slaCompliance {
        key
        target
        met
        breached
        complianceRate
      }
      backlog {
        key
        open
        aging {
          key
          label
          count
        }
      }
      csat {
        key
        sent
        responded
        responseRate
        averageRating
      }
      trend {
        day
        created
        resolved
      }
    }
    resolverGroups {
      id
      name
    }
    services {
      id
      name
    }
    organizations(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** One period of the charts over time; the API has no series query, so the page asks once per period. */
const KpiPeriodQueryDoc = graphql(`
  query KpiPeriod($from: DateTime!, $to: DateTime!) {
    kpis(from: $from, to: $to) {
      resolution {
        resolved
        meanSeconds
        medianSeconds
        firstContactResolutionRate
      }
      slaCompliance {
        target
        complianceRate
      }
      csat {
        averageRating
        responseRate
      }
    }
  }
`);

const DIMENSIONS: { value: KpiDimension; label: string }[] = [
  { value: 'NONE', label: 'Overall' },
  { value: 'GROUP', label: 'Resolver group' },
  { value: 'PRIORITY', label: 'Priority' },
  { value: 'CLASS', label: 'Class' },
  { value: 'ORGANIZATION', label: 'Customer' },
  { value: 'SERVICE', label: 'Service' },
];

const PRESETS: { value: Preset; label: string }[] = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 4 weeks' },
  { value: '90d', label: 'Last 13 weeks' },
];

type Period = { label: string; data: KpiPeriodQuery['kpis'] | null };

function usePeriods(from: Date, to: Date): Period[] | null {
  const client = useClient();
  const [periods, setPeriods] = useState<Period[] | null>(null);
  const key = `${from.toISOString()}|${to.toISOString()}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for from/to.
  useEffect(() => {
    let cancelled = false;
    const buckets = bucketsFor(from, to);
    setPeriods(null);
    Promise.all(
      buckets.map((b) =>
        client
          .query(
            KpiPeriodQueryDoc,
            { from: b.from.toISOString(), to: b.to.toISOString() },
            { requestPolicy: 'network-only' },
          )
          .toPromise()
          .then((r) => ({ label: b.label, data: r.data?.kpis ?? null })),
      ),
    ).then((out) => {
      if (!cancelled) setPeriods(out);
    });
    return () => {
      cancelled = true;
    };
  }, [client, key]);
  return periods;
}

function KpiView() {
  const id = useId();
  const { search } = useLocation();
  const preset = (PRESETS.some((p) => p.value === search.get('period')) ? search.get('period') : '30d') as Preset;
  const dimension = (DIMENSIONS.some((d) => d.value === search.get('by')) ? search.get('by') : 'NONE') as KpiDimension;
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', []);
  const [nowAtLoad] = useState(() => Date.now());
  const range = useMemo(() => presetWindow(preset, nowAtLoad), [preset, nowAtLoad]);
  const [{ data, error, fetching }] = useQuery({
    query: KpiReportQuery,
    variables: { from: range.from.toISOString(), to: range.to.toISOString(), dimension, timeZone },
    requestPolicy: 'cache-and-network',
  });
  const periods = usePeriods(range.from, range.to);
  const set = (patch: Record<string, string>) => {
    const params = new URLSearchParams({ period: preset, by: dimension, ...patch });
    navigate(`/kpis?${params}`, { replace: true });
  };

  const names = useMemo(() => {
    const map = new Map<string, string>();
    const add = (gid: string, name: string) => map.set(decodeGlobalId(gid)?.id ?? gid, name);
    for (const g of data?.resolverGroups ?? []) add(g.id, g.name);
    for (const s of data?.services ?? []) add(s.id, s.name);
    for (const o of data?.organizations.edges ?? []) add(o.node.id, o.node.name);
    return map;
  }, [data]);
  const keyName = (key: string | null | undefined) => {
    if (key === null || key === undefined) return dimension === 'NONE' ? 'All' : '(none)';
    if (dimension === 'PRIORITY') return `${key} ${PRIORITY_LABEL[key as keyof typeof PRIORITY_LABEL] ?? ''}`;
    if (dimension === 'CLASS') return CLASS_LABEL[key as keyof typeof CLASS_LABEL] ?? key;
    return names.get(key) ?? key;
  };

  const k = data?.kpis;
  const keys = k
    ? [...new Set([...k.resolution, ...k.backlog, ...k.csat, ...k.slaCompliance].map((r) => r.key ?? null))]
    : [];
  const sla = (key: string | null, target: string) =>
    k?.slaCompliance.find((r) => (r.key ?? null) === key && r.target === target);
  const agingTotals = k?.backlog[0]?.aging.map((b) => ({
    ...b,
    count: k.backlog.reduce((sum, row) => sum + (row.aging.find((a) => a.key === b.key)?.count ?? 0), 0),
  }));

  return (
    <div className="kpis">
      <div className="kpis__head">
        <h1>KPIs</h1>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field field--inline">
            <label htmlFor={`${id}-period`}>Period</label>
            <select id={`${id}-period`} value={preset} onChange={(e) => set({ period: e.target.value })}>
              {PRESETS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--inline">
            <label htmlFor={`${id}-by`}>Break down by</label>
            <select id={`${id}-by`} value={dimension} onChange={(e) => set({ by: e.target.value })}>
              {DIMENSIONS.map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          </div>
          <p className="muted">
            {range.from.toISOString().slice(0, 10)} to {new Date(range.to.getTime() - 1).toISOString().slice(0, 10)}{' '}
            (UTC; daily trend in {timeZone}). Formulas: docs/kpis.md.
          </p>
        </form>
      </div>
      {error && !k ? (
        <div className="card card--error" role="alert">
          <p>{describeError(error)}</p>
        </div>
      ) : !k ? (
        <p role="status">{fetching ? 'Loading…' : 'No data.'}</p>
      ) : (
        <>
          <div className="table-wrap card">
            <table className="kpi-table">
              <caption>
                Figures for the period
                {dimension === 'NONE'
                  ? ''
                  : ` by ${DIMENSIONS.find((d) => d.value === dimension)?.label.toLowerCase()}`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">
                    {dimension === 'NONE' ? '' : DIMENSIONS.find((d) => d.value === dimension)?.label}
                  </th>
                  <th scope="col">Resolved</th>
                  <th scope="col">Mean resolution</th>
                  <th scope="col">Median</th>
                  <th scope="col">p90</th>
                  <th scope="col">FCR</th>
                  <th scope="col">First response SLA</th>
                  <th scope="col">Resolution SLA</th>
                  <th scope="col">Open now</th>
                  <th scope="col">CSAT</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => {
                  const r = k.resolution.find((x) => (x.key ?? null) === key);
                  const b = k.backlog.find((x) => (x.key ?? null) === key);
                  const c = k.csat.find((x) => (x.key ?? null) === key);
                  const fr = sla(key, 'FIRST_RESPONSE');
                  const rs = sla(key, 'RESOLUTION');
                  return (
                    <tr key={key ?? 'all'}>
                      <th scope="row">{keyName(key)}</th>
                      <td>{r?.resolved ?? 0}</td>
                      <td>{formatSpan(r?.meanSeconds)}</td>
                      <td>{formatSpan(r?.medianSeconds)}</td>
                      <td>{formatSpan(r?.p90Seconds)}</td>
                      <td>{formatPercent(r?.firstContactResolutionRate)}</td>
                      <td>
                        {formatPercent(fr?.complianceRate)}
                        {fr ? (
                          <span className="muted">
                            {' '}
                            ({fr.met}/{fr.met + fr.breached})
                          </span>
                        ) : null}
                      </td>
                      <td>
                        {formatPercent(rs?.complianceRate)}
                        {rs ? (
                          <span className="muted">
                            {' '}
                            ({rs.met}/{rs.met + rs.breached})
                          </span>
                        ) : null}
                      </td>
                      <td>{b?.open ?? 0}</td>
                      <td>
                        {c?.averageRating ? `${c.averageRating.toFixed(1)}/5` : '—'}
                        {c?.sent ? (
                          <span className="muted">
                            {' '}
                            ({formatPercent(c.responseRate)} of {c.sent})
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="charts">
            <SeriesChart
              title="Created vs resolved per day"
              format={(v) => String(Math.round(v))}
              series={[
                { name: 'Created', kind: 'bar', className: 'series-a' },
                { name: 'Resolved', kind: 'line', marker: 'square', dashed: true, className: 'series-b' },
              ]}
              points={k.trend.map((d) => ({ label: d.day.slice(5), values: [d.created, d.resolved] }))}
            />
            {agingTotals ? (
              <SeriesChart
                title="Backlog by age (open now)"
                format={(v) => String(Math.round(v))}
                series={[{ name: 'Open tickets', kind: 'bar', className: 'series-a' }]}
                points={agingTotals.map((a) => ({ label: a.label, values: [a.count] }))}
              />
            ) : null}
            {periods ? (
              <>
                <SeriesChart
                  title="SLA compliance over time"
                  format={(v) => formatPercent(v)}
                  max={1}
                  series={[
                    { name: 'First response', kind: 'line', marker: 'circle', className: 'series-a' },
                    { name: 'Resolution', kind: 'line', marker: 'square', dashed: true, className: 'series-b' },
                  ]}
                  points={periods.map((p) => ({
                    label: p.label,
                    values: ['FIRST_RESPONSE', 'RESOLUTION'].map(
                      (t) => p.data?.slaCompliance.find((s) => s.target === t)?.complianceRate ?? null,
                    ),
                  }))}
                />
                <SeriesChart
                  title="Resolution time over time"
                  format={(v) => formatSpan(v)}
                  series={[
                    { name: 'Mean', kind: 'line', marker: 'circle', className: 'series-a' },
                    { name: 'Median', kind: 'line', marker: 'triangle', dashed: true, className: 'series-b' },
                  ]}
                  points={periods.map((p) => ({
                    label: p.label,
                    values: [p.data?.resolution[0]?.meanSeconds ?? null, p.data?.resolution[0]?.medianSeconds ?? null],
                  }))}
                />
                <SeriesChart
                  title="First contact resolution over time"
                  format={(v) => formatPercent(v)}
                  max={1}
                  series={[{ name: 'FCR rate', kind: 'line', marker: 'circle', className: 'series-a' }]}
                  points={periods.map((p) => ({
                    label: p.label,
                    values: [p.data?.resolution[0]?.firstContactResolutionRate ?? null],
                  }))}
                />
                <SeriesChart
                  title="Customer satisfaction over time"
                  format={(v) => v.toFixed(1)}
                  max={5}
                  series={[{ name: 'Average rating (1–5)', kind: 'line', marker: 'square', className: 'series-b' }]}
                  points={periods.map((p) => ({ label: p.label, values: [p.data?.csat[0]?.averageRating ?? null] }))}
                />
              </>
            ) : (
              <p role="status">Loading the charts over time…</p>
            )}
          </div>
        </>
      )}
    </div>
  );
}

export function KpiPage() {
  return (
    <AgentShell title="KPIs" wide>
      <KpiView />
    </AgentShell>
  );
}
