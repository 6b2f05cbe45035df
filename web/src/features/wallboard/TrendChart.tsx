import { useElementSize } from './useElementSize';

export interface TrendDay {
  day: string;
  created: number;
  resolved: number;
}

/**
 * Created (filled bars) against resolved (dashed line with square markers) per day: two encodings that differ in
 * shape and pattern, not just colour. Drawn at the box's pixel size so strokes and markers stay crisp on any screen.
 */
export function TrendChart({ days, compact }: { days: readonly TrendDay[]; compact?: boolean }) {
  const [ref, { width, height }] = useElementSize<HTMLDivElement>();
  const max = Math.max(1, ...days.map((d) => Math.max(d.created, d.resolved)));
  const labelH = compact ? 0 : Math.max(14, height * 0.16);
  const top = Math.max(8, height * 0.06);
  const plotH = Math.max(0, height - labelH - top);
  const step = days.length ? width / days.length : 0;
  const barW = step * 0.56;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const points = days.map((d, i) => [i * step + step / 2, y(d.resolved)] as const);
  const marker = Math.max(4, Math.min(step * 0.28, height * 0.06));
  const summary = days.map((d) => `${d.day}: ${d.created} created, ${d.resolved} resolved`).join('; ');
  const totalCreated = days.reduce((s, d) => s + d.created, 0);
  const totalResolved = days.reduce((s, d) => s + d.resolved, 0);

  return (
    <div className="trend">
      <p className="trend__legend">
        <span className="trend__key trend__key--created" aria-hidden="true" /> created {totalCreated}
        <span className="trend__key trend__key--resolved" aria-hidden="true" /> resolved {totalResolved}
      </p>
      <div className="trend__plot" ref={ref}>
        {width > 0 && height > 0 ? (
          <svg width={width} height={height} role="img" aria-label={`Created and resolved per day. ${summary}`}>
            <line className="trend__axis" x1={0} x2={width} y1={top + plotH} y2={top + plotH} />
            {days.map((d, i) => (
              <rect
                key={d.day}
                className="trend__bar"
                x={i * step + (step - barW) / 2}
                y={y(d.created)}
                width={barW}
                height={Math.max(0, top + plotH - y(d.created))}
              />
            ))}
            <polyline className="trend__line" points={points.map(([x, py]) => `${x},${py}`).join(' ')} />
            {points.map(([x, py], i) => (
              <rect
                key={days[i]?.day}
                className="trend__marker"
                x={x - marker / 2}
                y={py - marker / 2}
                width={marker}
                height={marker}
              />
            ))}
            {compact
              ? null
              : days.map((d, i) =>
                  (days.length - 1 - i) % 2 === 0 ? (
                    <text
                      key={d.day}
                      className="trend__label"
                      x={i === days.length - 1 ? width : i * step + step / 2}
                      y={height - labelH * 0.2}
                      textAnchor={i === days.length - 1 ? 'end' : 'middle'}
                    >
                      {i === days.length - 1 ? 'today' : String(Number(d.day.slice(8, 10)))}
                    </text>
                  ) : null,
                )}
          </svg>
        ) : null}
      </div>
    </div>
  );
}
