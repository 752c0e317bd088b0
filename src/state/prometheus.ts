// `check --prometheus`: the check report in node_exporter's textfile format
// (Prometheus text exposition 0.0.4). Pure: the same report and time give the
// same bytes, families sorted by name and series by labels, so a diff of two
// runs shows only what changed. No sample timestamps: the textfile collector
// refuses them; triton_recover_check_timestamp_seconds says when instead.
import { type CheckReport } from './check-report.js';
import { PROBLEM_CODES, type Severity } from './problem.js';
import { CHANGE_KINDS } from './changes-in-effect.js';
import { DEFAULT_MAX_VERIFIED_AGE_HOURS } from './verified-age.js';

export interface PrometheusOptions {
  /** The --max-age the check judged staleness by: exported so alert rules need no copy of it. */
  maxAgeMinutes: number;
  /** The --max-verified-age (hours) the check judged RESTORE_DATA_UNVERIFIED by (default 26). */
  maxVerifiedAgeHours?: number;
}

interface Series {
  labels: Readonly<Record<string, string>>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  series: Series[];
}

const VERDICTS: readonly CheckReport['verdict'][] = ['ready', 'degraded', 'not-ready'];
const MODES: readonly CheckReport['mode'][] = ['readiness', 'disaster'];
const STATES = ['alive', 'dead', 'uncertain'] as const;
const SEVERITIES: readonly Severity[] = ['critical', 'warning'];

const HEADER = [
  '# triton-recover check --prometheus: can this DC be restored if a headnode dies?',
  '# For the node_exporter textfile collector, which reads only *.prom files: write',
  '# to a temp name in its directory, then rename (atomic), e.g. from cron:',
  '#   triton-recover check --prometheus >DIR/triton_recover.prom.$$;',
  '#   [ $? -le 2 ] && mv DIR/triton_recover.prom.$$ DIR/triton_recover.prom',
  '# Exit 0, 1 and 2 (ready, warnings, not ready) are all complete reports.',
  '# Alert rules for these metrics: share/prometheus/triton-recover-rules.yml.',
];

/** Label values: backslash, double quote and line feed are escaped. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed are escaped (quotes are not). */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}`;
}

const bool = (b: boolean): number => (b ? 1 : 0);

/** One series per state, 1 for the current one: alert on `== 1` without regex on values. */
function oneOf<T extends string>(all: readonly T[], current: T, labels: Record<string, string>, key: string): Series[] {
  return all.map((v) => ({ labels: { ...labels, [key]: v }, value: bool(v === current) }));
}

function families(r: CheckReport, now: Date, o: PrometheusOptions): Family[] {
  const here = r.headnodes.find((h) => h.local)?.hostname ?? 'unknown';
  const readiness = r.readiness ?? [];
  const counts = (code: string, severity: Severity): number =>
    r.problems.filter((p) => p.code === code && p.severity === severity).length;
  return [
    {
      name: 'triton_recover_check_timestamp_seconds',
      help: 'Unix time of this check, in seconds.',
      series: [{ labels: {}, value: now.getTime() / 1000 }],
    },
    {
      name: 'triton_recover_verdict',
      help: 'Verdict of the check: 1 for the current one (ready, degraded, not-ready).',
      series: oneOf(VERDICTS, r.verdict, {}, 'verdict'),
    },
    {
      name: 'triton_recover_mode',
      help: 'Mode of the check: readiness (every headnode alive) or disaster; 1 for the current one.',
      series: oneOf(MODES, r.mode, {}, 'mode'),
    },
    {
      name: 'triton_recover_primary_state',
      help: 'State of the primary headnode as detected (alive, dead, uncertain): 1 for the current one.',
      series: r.primary ? oneOf(STATES, r.primary.state, { hostname: r.primary.hostname }, 'state') : [],
    },
    {
      name: 'triton_recover_headnode_alive',
      help: 'Headnode detected alive (1) or dead or uncertain (0).',
      series: r.headnodes.map((h) => ({ labels: { headnode: h.hostname }, value: bool(h.state === 'alive') })),
    },
    {
      name: 'triton_recover_headnode_restorable',
      help: 'What the headnode runs could be restored from the headnode that ran this check now (1) or not (0). The checking headnode itself is judged by whether another headnode holds restore-data.',
      series: readiness.map((h) => ({ labels: { headnode: h.hostname }, value: bool(h.restorable) })),
    },
    {
      name: 'triton_recover_headnode_restore_data_present',
      help: 'The headnode holds restore-data of its own (LAYOUT present): 1 or 0; absent when it could not be told.',
      series: readiness.flatMap((h) =>
        h.ownRestoreData.present === null
          ? []
          : [{ labels: { headnode: h.hostname }, value: bool(h.ownRestoreData.present) }],
      ),
    },
    {
      name: 'triton_recover_headnode_restore_data_age_seconds',
      help: "Age of the headnode's own restore-data (its dc/synced.json: the last successful sync), in seconds.",
      series: readiness.flatMap((h) =>
        h.ownRestoreData.ageSeconds === null
          ? []
          : [{ labels: { headnode: h.hostname }, value: h.ownRestoreData.ageSeconds }],
      ),
    },
    {
      name: 'triton_recover_headnode_last_sync_ok',
      help: "The headnode's last sync (its dc/synced.json) succeeded for every service and the DC-wide part (1) or not (0); absent when it holds no restore-data or it could not be read.",
      series: readiness.flatMap((h) =>
        h.ownRestoreData.lastSyncOk === null
          ? []
          : [{ labels: { headnode: h.hostname }, value: bool(h.ownRestoreData.lastSyncOk) }],
      ),
    },
    {
      name: 'triton_recover_restore_data_max_age_seconds',
      help: 'Restore-data older than this is stale (the --max-age the check judged by), in seconds.',
      series: [{ labels: {}, value: o.maxAgeMinutes * 60 }],
    },
    {
      name: 'triton_recover_restore_data_max_verified_age_seconds',
      help: 'Restore-data last verified longer ago than this is RESTORE_DATA_UNVERIFIED (the --max-verified-age the check judged by), in seconds.',
      series: [{ labels: {}, value: (o.maxVerifiedAgeHours ?? DEFAULT_MAX_VERIFIED_AGE_HOURS) * 3600 }],
    },
    {
      name: 'triton_recover_restore_data_age_seconds',
      help: 'Age of the restore-data this headnode holds for a service (its svc-<service>/synced.json), in seconds.',
      series: r.services.flatMap((s) =>
        s.restoreData.ageSeconds === null
          ? []
          : [{ labels: { headnode: here, service: s.name }, value: s.restoreData.ageSeconds }],
      ),
    },
    {
      name: 'triton_recover_restore_data_verified_age_seconds',
      help: 'Since the dataset streams this headnode holds for a service were last verified end to end (zstreamdump, svc-<service>/verified.json), oldest dataset first, in seconds; absent when never verified. Apart from the age of the data.',
      series: r.services.flatMap((s) =>
        s.restoreData.verifiedAgeSeconds == null
          ? []
          : [{ labels: { headnode: here, service: s.name }, value: s.restoreData.verifiedAgeSeconds }],
      ),
    },
    {
      name: 'triton_recover_restore_data_verified_ok',
      help: 'The last verification of every dataset stream this headnode holds for a service passed (1) or one failed (0); absent when never verified.',
      series: r.services.flatMap((s) =>
        s.restoreData.verifiedOk == null
          ? []
          : [{ labels: { headnode: here, service: s.name }, value: bool(s.restoreData.verifiedOk) }],
      ),
    },
    {
      name: 'triton_recover_restore_data_present',
      help: 'This headnode holds restore-data (vm dumps) for the service: 1 or 0.',
      series: r.services.map((s) => ({
        labels: { headnode: here, service: s.name },
        value: bool(s.restoreData.present),
      })),
    },
    {
      name: 'triton_recover_service_ready',
      help: 'Nothing blocks restoring the service from this headnode: 1 or 0.',
      series: r.services.map((s) => ({ labels: { service: s.name }, value: bool(s.ready) })),
    },
    {
      name: 'triton_recover_compute_node_boots',
      help: "The compute node would PXE boot again now (1) or not (0): a dhcpd zone on a live headnode answers it from its booter cache and that headnode's /usbkey/os holds its platform; absent when it could not be told.",
      series: (r.computeNodes ?? []).flatMap((c) =>
        c.boots === null ? [] : [{ labels: { compute_node: c.hostname }, value: bool(c.boots) }],
      ),
    },
    {
      name: 'triton_recover_changes_in_effect',
      help: 'Changes a killed or stopped run made and did not finish (zones, released records, reconcile, conversions, left locks), by kind; every kind listed, 0 when none. Each is finished by rerunning its run, undone, or accepted (triton-recover accept WORD).',
      series: CHANGE_KINDS.map((kind) => ({
        labels: { kind },
        value: (r.changesInEffect ?? []).filter((c) => c.kind === kind).length,
      })),
    },
    {
      name: 'triton_recover_problems',
      help: 'Problems the check found, by code and severity; every code of the contract is listed, 0 when absent.',
      series: PROBLEM_CODES.flatMap((code) =>
        SEVERITIES.map((severity) => ({ labels: { code, severity }, value: counts(code, severity) })),
      ),
    },
    {
      name: 'triton_recover_admin_ips_needed',
      help: 'Admin IPs the chosen strategy needs for the largest restore (0 with reuse).',
      series: [{ labels: {}, value: r.adminIps.needed }],
    },
    {
      name: 'triton_recover_admin_ips_available',
      help: 'Admin IPs available for the new strategy (free recovery IPs and free IPs in the provision range).',
      series: [{ labels: {}, value: r.adminIps.available }],
    },
  ];
}

export function formatPrometheus(report: CheckReport, now: Date, opts: PrometheusOptions): string {
  const out = [...HEADER];
  const sorted = families(report, now, opts)
    .filter((f) => f.series.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of sorted) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`);
    // One line per series: a repeated label set (same service twice) keeps the first.
    const lines = new Map<string, string>();
    for (const s of f.series) {
      const labels = formatLabels(s.labels);
      if (!lines.has(labels)) lines.set(labels, `${f.name}${labels} ${formatValue(s.value)}`);
    }
    out.push(...[...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line));
  }
  return out.join('\n') + '\n';
}
