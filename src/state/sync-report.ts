// What one sync run did, for a person (cron log) and for scripts (--json). Pure.
import { displayLines } from './display-text.js';
import type { EXIT } from './exit-codes.js';

export interface DatasetSyncResult {
  alias: string;
  uuid: string;
  kind: 'full' | 'incremental';
  /** Why a full send (first sync, consolidation, base gone, ...). */
  why?: string;
  snapshot: string;
  bytes: number;
  /** Old snapshots of ours destroyed on the source. */
  destroyed: string[];
}

export interface ServiceSyncResult {
  service: string;
  ok: boolean;
  instances: number;
  datasets: DatasetSyncResult[];
  /** What failed: host, command, why. */
  error?: string;
  /** What to do about it. */
  next?: string;
  warnings: string[];
  seconds: number;
}

export interface SyncReport {
  dir: string;
  /** The headnode this sync ran on. */
  host: string;
  startedAt: string;
  endedAt: string;
  wallSeconds: number;
  outcome: 'ok' | 'partial' | 'refused' | 'frozen';
  exitCode: typeof EXIT.ok | typeof EXIT.warnings | typeof EXIT.blocked;
  message: string;
  next?: string;
  dc: { ok: boolean; error?: string; warnings: string[] };
  services: ServiceSyncResult[];
  images: { fetched: { uuid: string; bytes: number }[]; held: number; pruned: string[] };
  recoveryIps?: { held: number; needed: number; worst?: string; reserved: string[]; short: number; error?: string };
  disk?: { usedBytes: number; freeBytes: number; floorBytes: number };
  bytes: { full: number; incremental: number; images: number; total: number };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** One line per service, as it finishes (the cron log reads like a list). */
export function formatServiceLine(s: ServiceSyncResult): string {
  const ds = s.datasets.map((d) => `${d.alias} ${d.kind} ${formatBytes(d.bytes)}`).join(', ');
  const head = `${s.ok ? 'OK  ' : 'FAIL'}  ${s.service.padEnd(10)} ${String(s.instances).padStart(2)} instance(s)`;
  const tail = s.ok
    ? ds
      ? `  dataset: ${ds}`
      : ''
    : `  ${s.error ?? 'failed'}${s.next ? `\n          next: ${s.next}` : ''}`;
  const warn = s.warnings.map((w) => `\n          warning: ${w}`).join('');
  return `${head}  ${s.seconds.toFixed(1)} s${tail}${warn}`;
}

/** The whole report; `services: false` leaves out the per-service lines (already printed live). */
export function formatSyncText(r: SyncReport, opts: { services?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`sync on ${r.host} into ${r.dir} (started ${r.startedAt}, ${r.wallSeconds.toFixed(1)} s)`);
  if (!r.dc.ok && r.dc.error) out.push(`DC-wide: FAILED: ${r.dc.error}`);
  for (const w of r.dc.warnings) out.push(`warning: ${w}`);
  if (opts.services !== false) for (const s of r.services) out.push(formatServiceLine(s));
  const imgs = r.images;
  if (r.services.length > 0) {
    out.push(
      `images: ${imgs.fetched.length} fetched (${formatBytes(r.bytes.images)}), ${imgs.held} already held${imgs.pruned.length > 0 ? `, ${imgs.pruned.length} no longer used removed` : ''}`,
    );
    out.push(
      `streams: ${formatBytes(r.bytes.full)} full, ${formatBytes(r.bytes.incremental)} incremental; ${formatBytes(r.bytes.total)} written in all`,
    );
  }
  const ri = r.recoveryIps;
  if (ri) {
    const state = ri.error
      ? `FAILED: ${ri.error}`
      : ri.short > 0
        ? `SHORT by ${ri.short}: run sync with --reserve-ips to reserve free admin IPs in NAPI`
        : 'enough';
    out.push(
      `recovery IPs: ${ri.held} reserved in NAPI${ri.reserved.length > 0 ? ` (${ri.reserved.length} reserved now: ${ri.reserved.join(', ')})` : ''}, ${ri.needed} needed${ri.worst ? ` (if ${ri.worst} died)` : ''}: ${state}`,
    );
  }
  if (r.disk) {
    out.push(
      `disk: restore-data uses ${formatBytes(r.disk.usedBytes)}; ${formatBytes(r.disk.freeBytes)} free on its filesystem (floor ${formatBytes(r.disk.floorBytes)})`,
    );
  }
  out.push(
    `${r.outcome === 'ok' ? 'DONE' : r.outcome === 'partial' ? 'PARTIAL' : r.outcome === 'frozen' ? 'STOPPED' : 'REFUSED'}: ${r.message}`,
  );
  if (r.next) out.push(`next: ${r.next}`);
  return displayLines(out) + '\n';
}
