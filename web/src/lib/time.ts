import { useEffect, useState } from 'react';

/** Re-renders every `intervalMs` and returns the current wall-clock time in ms. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * The wallboard's freshness label. Whole seconds below a minute, because a board that updates every second must
 * show the count rising the moment updates stop; coarser units after that so the text stays short across a room.
 */
export function formatUpdatedAgo(lastAt: number | null, now: number): string {
  if (lastAt === null) return 'waiting for data';
  // A clock step backwards (NTP correction) must not read "updated -3 s ago".
  const seconds = Math.max(0, Math.floor((now - lastAt) / 1000));
  if (seconds < 60) return `updated ${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `updated ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `updated ${hours} h ago`;
  return `updated ${Math.floor(hours / 24)} d ago`;
}

export type Freshness = 'fresh' | 'late' | 'stale';

/**
 * How worrying the age of the last update is, given how often updates are expected: one missed beat is "late",
 * several are "stale" (the board then says so loudly instead of showing old numbers as if they were current).
 */
export function freshness(lastAt: number | null, now: number, expectedEveryMs: number): Freshness {
  if (lastAt === null) return 'stale';
  const age = now - lastAt;
  if (age <= expectedEveryMs * 2.5) return 'fresh';
  if (age <= expectedEveryMs * 10) return 'late';
  return 'stale';
}

/** "45 s", "15 min", "1 min 30 s", "2 h 5 min": for messages such as "try again in …". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  if (s < 60) return `${s} s`;
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** "14:05" (m:ss) or "1:02:03" (h:mm:ss): a countdown that ticks in place. */
export function formatCountdown(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * Wall-clock time corrected by `offsetMs`, re-rendering at each whole second of the corrected clock so the
 * seconds digit flips on time rather than up to a second late, as a plain 1 s interval would.
 */
export function useSecondTicker(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const corrected = Date.now() + offsetMs;
      setNow(corrected);
      timer = setTimeout(tick, 1000 - (corrected % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [offsetMs]);
  return now;
}
