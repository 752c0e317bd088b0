// How old a piece of restore-data is, and how that reads to an operator. Pure:
// `now` is always passed in, so the rules are testable at any hour.

/** Whole seconds from an ISO time to now; never negative (clock skew between headnodes). */
export function ageSeconds(iso: string, now: number): number {
  return Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
}

/** 45 s, 12 min, 26 h, 3 d: the unit an operator reads at a glance. */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** "08:10 UTC" on the same UTC day as now, else "2026-09-01 08:10 UTC". */
export function formatUtc(iso: string, now: number): string {
  const t = new Date(iso).toISOString();
  const day = t.slice(0, 10);
  const hm = t.slice(11, 16);
  return day === new Date(now).toISOString().slice(0, 10) ? `${hm} UTC` : `${day} ${hm} UTC`;
}

/** Stale: strictly older than the allowed age (the sync runs every few minutes). */
export function isStale(ageSec: number, maxAgeMinutes: number): boolean {
  return ageSec > maxAgeMinutes * 60;
}

export const DEFAULT_MAX_AGE_MINUTES = 30;
