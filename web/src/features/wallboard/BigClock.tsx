import { useMemo } from 'react';
import { useSecondTicker } from '../../lib/time';

export function BigClock({
  offsetMs,
  serverTime,
  dimmed,
}: {
  offsetMs: number;
  serverTime: string | null;
  dimmed: boolean;
}) {
  const now = useSecondTicker(offsetMs);
  const [timeFormat, dateFormat] = useMemo(
    () => [
      new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
      new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
    ],
    [],
  );
  const date = new Date(now);
  return (
    <div className={`clock${dimmed ? ' clock--dimmed' : ''}`} data-testid="clock" data-server-time={serverTime ?? ''}>
      <time className="clock__time" dateTime={date.toISOString()}>
        {timeFormat.format(date)}
      </time>
      <div className="clock__date">{dateFormat.format(date)}</div>
    </div>
  );
}
