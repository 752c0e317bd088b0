// node_exporter textfile output of a check (filled in by the readiness work).
import type { CheckReport } from './check-report.js';

export function formatPrometheus(_report: CheckReport, _now: Date): string {
  return '';
}
