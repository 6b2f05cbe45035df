const DAY = 86_400_000;

export interface Bucket {
  from: Date;
  to: Date;
  label: string;
}

/** Midnight UTC of the day containing `t`. */
export function startOfUtcDay(t: number): number {
  return t - (((t % DAY) + DAY) % DAY);
}

/**
 * The window `[from, to)` cut into periods for charts over time: days up to two weeks, weeks beyond (the last one
 * may be shorter). Labels are short ("3 Dec", "wk of 30 Nov").
 */
export function bucketsFor(from: Date, to: Date): Bucket[] {
  const span = to.getTime() - from.getTime();
  if (!(span > 0)) return [];
  const size = span <= 14 * DAY ? DAY : 7 * DAY;
  const fmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const out: Bucket[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += size) {
    const end = Math.min(t + size, to.getTime());
    out.push({ from: new Date(t), to: new Date(end), label: size === DAY ? fmt.format(t) : `wk ${fmt.format(t)}` });
  }
  return out;
}

export type Preset = '7d' | '30d' | '90d';

/** The last N whole days up to the end of today (UTC), so a window is stable through the day. */
export function presetWindow(preset: Preset, now: number): { from: Date; to: Date } {
  const days = preset === '7d' ? 7 : preset === '30d' ? 28 : 91;
  const end = startOfUtcDay(now) + DAY;
  return { from: new Date(end - days * DAY), to: new Date(end) };
}
