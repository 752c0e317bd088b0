// Small helpers for the benchmark: timings in, median and p95 out.

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function timeMany(
  n: number,
  fn: () => Promise<unknown>,
): Promise<{ median: number; p95: number; n: number }> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  return { median: percentile(t, 50), p95: percentile(t, 95), n };
}

export const ms = (x: number): string => `${x.toFixed(2)} ms`;
