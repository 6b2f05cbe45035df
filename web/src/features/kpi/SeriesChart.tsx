import { useId } from 'react';
import { useElementSize } from '../wallboard/useElementSize';

export interface Series {
  name: string;
  kind: 'bar' | 'line';
  /** Distinct shapes and dashes, so series differ by more than colour. */
  marker?: 'circle' | 'square' | 'triangle';
  dashed?: boolean;
  className: string;
}

export interface SeriesChartProps {
  title: string;
  series: Series[];
  /** One entry per period: its label and a value per series (null: no data). */
  points: { label: string; values: (number | null)[] }[];
  format: (value: number) => string;
  /** Fixed maximum (e.g. 1 for rates); otherwise the largest value. */
  max?: number;
}

function Marker({
  kind,
  x,
  y,
  size,
  className,
}: {
  kind: Series['marker'];
  x: number;
  y: number;
  size: number;
  className: string;
}) {
  if (kind === 'square')
    return <rect className={className} x={x - size / 2} y={y - size / 2} width={size} height={size} />;
  if (kind === 'triangle')
    return (
      <polygon
        className={className}
        points={`${x},${y - size / 1.6} ${x + size / 1.7},${y + size / 2.2} ${x - size / 1.7},${y + size / 2.2}`}
      />
    );
  return <circle className={className} cx={x} cy={y} r={size / 2} />;
}

/** A small SVG chart over time with its numbers in a table underneath (for screen readers and for exact values). */
export function SeriesChart({ title, series, points, format, max }: SeriesChartProps) {
  const id = useId();
  const [ref, { width }] = useElementSize<HTMLDivElement>();
  const height = 220;
  const pad = { top: 12, right: 12, bottom: 28, left: 56 };
  const plotW = Math.max(0, width - pad.left - pad.right);
  const plotH = height - pad.top - pad.bottom;
  const values = points.flatMap((p) => p.values.filter((v): v is number => v !== null));
  const top = max ?? Math.max(1, ...values);
  const step = points.length ? plotW / points.length : 0;
  const bars = series.filter((s) => s.kind === 'bar');
  const barW = bars.length ? (step * 0.7) / bars.length : 0;
  const x = (i: number) => pad.left + i * step + step / 2;
  const y = (v: number) => pad.top + plotH - (Math.min(v, top) / top) * plotH;
  const ticks = [0, 0.5, 1].map((f) => f * top);
  const labelEvery = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(plotW / 56))));

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart__title">
        {title}
      </figcaption>
      <ul className="chart__legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.name}>
            <svg width="28" height="14" aria-hidden="true">
              {s.kind === 'bar' ? (
                <rect className={`${s.className} chart__bar`} x="6" y="1" width="16" height="12" />
              ) : (
                <>
                  <line
                    className={`${s.className} chart__line${s.dashed ? ' chart__line--dashed' : ''}`}
                    x1="0"
                    x2="28"
                    y1="7"
                    y2="7"
                  />
                  <Marker kind={s.marker} x={14} y={7} size={8} className={`${s.className} chart__marker`} />
                </>
              )}
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      <div ref={ref} className="chart__plot" aria-hidden="true">
        {width > 0 ? (
          <svg width={width} height={height} aria-hidden="true">
            {ticks.map((t) => (
              <g key={t}>
                <line className="chart__grid" x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
                <text className="chart__tick" x={pad.left - 6} y={y(t) + 4} textAnchor="end">
                  {format(t)}
                </text>
              </g>
            ))}
            {points.map((p, i) =>
              // Counted from the end, so the latest period always has its label and none collide with it.
              (points.length - 1 - i) % labelEvery === 0 ? (
                <text key={p.label} className="chart__tick" x={x(i)} y={height - 8} textAnchor="middle">
                  {p.label}
                </text>
              ) : null,
            )}
            {series.map((s, si) => {
              if (s.kind === 'bar') {
                const bi = bars.indexOf(s);
                return points.map((p, i) => {
                  const v = p.values[si];
                  if (v === null || v === undefined) return null;
                  return (
                    <rect
                      key={`${s.name}-${p.label}`}
                      className={`${s.className} chart__bar`}
                      x={x(i) - (barW * bars.length) / 2 + bi * barW}
                      y={y(v)}
                      width={Math.max(1, barW - 1)}
                      height={pad.top + plotH - y(v)}
                    />
                  );
                });
              }
              const pts = points
                .map((p, i) => [p.values[si], i] as const)
                .filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[0] !== undefined);
              return (
                <g key={s.name}>
                  <polyline
                    className={`${s.className} chart__line${s.dashed ? ' chart__line--dashed' : ''}`}
                    points={pts.map(([v, i]) => `${x(i)},${y(v)}`).join(' ')}
                  />
                  {pts.map(([v, i]) => (
                    <Marker
                      key={i}
                      kind={s.marker}
                      x={x(i)}
                      y={y(v)}
                      size={8}
                      className={`${s.className} chart__marker`}
                    />
                  ))}
                </g>
              );
            })}
          </svg>
        ) : (
          <div style={{ height }} />
        )}
      </div>
      <details className="chart__data">
        <summary>Show the numbers</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                {series.map((s) => (
                  <th key={s.name} scope="col">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.label}>
                  <th scope="row">{p.label}</th>
                  {p.values.map((v, i) => (
                    <td key={series[i]?.name}>{v === null ? '—' : format(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
