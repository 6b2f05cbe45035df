/** Short figures for a screen read from across a room: few characters, fixed meaning. */

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  const pct = rate * 100;
  return `${pct >= 99.5 || pct < 10 ? Math.round(pct * 10) / 10 : Math.round(pct)}%`.replace('.0%', '%');
}

/** "45 min", "3.2 h", "2.5 d". */
export function formatSpan(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const s = Math.max(0, seconds);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(s < 10 * 3600 ? 1 : 0)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}

export function formatRating(avg: number | null | undefined): string {
  if (avg === null || avg === undefined || Number.isNaN(avg)) return '—';
  return avg.toFixed(1);
}

/** A count that the API caps (lists of at most `cap` items): "30+" rather than a falsely exact 30. */
export function formatCapped(count: number, cap: number): string {
  return count >= cap ? `${cap}+` : String(count);
}

/** How many fixed-height rows fit in `available` pixels with `gap` between them (at least 0). */
export function fitCount(available: number, row: number, gap = 0): number {
  if (!(available > 0) || !(row > 0)) return 0;
  return Math.max(0, Math.floor((available + gap) / (row + gap)));
}

/**
 * The slots of a list panel: as many items as fit; when some do not, the last slot says how many more there are.
 * Slots are positions, not items, so a live update changes their text without moving anything on screen.
 */
export function slotsFor<T>(items: readonly T[], capacity: number): { shown: T[]; more: number } {
  if (capacity <= 0) return { shown: [], more: items.length };
  if (items.length <= capacity) return { shown: [...items], more: 0 };
  const shown = items.slice(0, Math.max(0, capacity - 1));
  return { shown, more: items.length - shown.length };
}
