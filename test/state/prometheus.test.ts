// formatPrometheus on hand-made reports: the real `promtool check metrics`
// judges the format (weird label values included); values are read back with
// a strict parser of the text format (prometheus-parse.ts), itself tested on
// broken inputs.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type CheckReport, type ServiceEntry } from '../../src/state/check-report.js';
import { PROBLEM_CODES } from '../../src/state/problem.js';
import type { HeadnodeReadiness } from '../../src/state/headnode-readiness.js';
import { escapeLabelValue, formatPrometheus } from '../../src/state/prometheus.js';
import { findProgram } from '../support/programs.js';
import { parsePrometheus, valueOf } from './prometheus-parse.js';

const promtool = findProgram('promtool', 'prometheus');
const OPTS = { maxAgeMinutes: 30 };

const NOW = new Date('2026-09-01T03:00:00.500Z');
const WEIRD = 'we"ird\\svc\nx';

const svc = (name: string, ageSeconds: number | null, ready = true): ServiceEntry => ({
  name,
  onDeadHeadnode: false,
  restoreData: { present: ageSeconds !== null, ageSeconds, image: true, dataset: null },
  ready,
});

const hn = (
  hostname: string,
  local: boolean,
  restorable: boolean,
  age: number | null,
  lastSyncOk: boolean | null = age !== null ? true : null,
): HeadnodeReadiness => ({
  hostname,
  uuid: `${hostname}-uuid`,
  local,
  restorable,
  ownRestoreData: { present: age !== null, ageSeconds: age, lastSyncOk },
  services: [],
});

function report(over: Partial<CheckReport> = {}): CheckReport {
  return {
    mode: 'readiness',
    verdict: 'degraded',
    primary: { hostname: 'headnode0', uuid: 'u0', state: 'alive', evidence: [] },
    headnodes: ['headnode0', 'headnode1', 'headnode2'].map((h, i) => ({
      hostname: h,
      uuid: `${h}-uuid`,
      adminIp: `10.99.99.${7 + i}`,
      state: 'alive' as const,
      local: h === 'headnode1',
      primary: h === 'headnode0',
      evidence: [],
    })),
    services: [svc('sapi', 240), svc('cmon', 93_600), svc('papi', null, false), svc(WEIRD, 5)],
    adminIps: { needed: 21, available: 195 },
    problems: [
      { severity: 'warning', code: 'RESTORE_DATA_STALE', service: 'cmon', message: 'cmon is 26 h old' },
      { severity: 'warning', code: 'RESTORE_DATA_MISSING', message: 'no restore-data on headnode0' },
      { severity: 'warning', code: 'RESTORE_DATA_MISSING', message: 'no restore-data on headnode2' },
      { severity: 'critical', code: 'IMAGE_MISSING', service: 'vmapi', message: 'image x' },
    ],
    readiness: [
      hn('headnode0', false, false, null),
      hn('headnode1', true, true, 240),
      hn('headnode2', false, true, 300, false),
    ],
    ...over,
  };
}

describe('formatPrometheus', () => {
  const text = formatPrometheus(report(), NOW, OPTS);
  const fams = parsePrometheus(text);

  it('is valid text format: HELP and TYPE before every family, gauges, triton_recover_* names', () => {
    expect(fams.size).toBeGreaterThanOrEqual(10);
    for (const f of fams.values()) {
      expect(f.name).toMatch(/^triton_recover_[a-z0-9_]+$/);
      expect(f.type).toBe('gauge');
      expect(f.help.length).toBeGreaterThan(10);
    }
    // Families in name order (node_exporter needs them contiguous; sorted also diffs well).
    const names = [...fams.keys()];
    expect(names).toEqual([...names].sort());
    expect(text.startsWith('# ')).toBe(true);
    expect(text).toContain('rename');
  });

  it('restore-data age per service, labelled with this headnode; none for a service without data', () => {
    expect(valueOf(fams, 'triton_recover_restore_data_age_seconds', { service: 'cmon', headnode: 'headnode1' })).toBe(
      93_600,
    );
    expect(valueOf(fams, 'triton_recover_restore_data_age_seconds', { service: 'sapi' })).toBe(240);
    expect(valueOf(fams, 'triton_recover_restore_data_age_seconds', { service: 'papi' })).toBeUndefined();
    expect(valueOf(fams, 'triton_recover_restore_data_present', { service: 'papi' })).toBe(0);
    expect(
      fams.get('triton_recover_restore_data_age_seconds')!.samples.every((s) => s.labels['headnode'] === 'headnode1'),
    ).toBe(true);
  });

  it('per headnode: restorable 1/0 and its own restore-data', () => {
    expect(valueOf(fams, 'triton_recover_headnode_restorable', { headnode: 'headnode0' })).toBe(0);
    expect(valueOf(fams, 'triton_recover_headnode_restorable', { headnode: 'headnode1' })).toBe(1);
    expect(valueOf(fams, 'triton_recover_headnode_restore_data_present', { headnode: 'headnode0' })).toBe(0);
    expect(valueOf(fams, 'triton_recover_headnode_restore_data_age_seconds', { headnode: 'headnode2' })).toBe(300);
    expect(
      valueOf(fams, 'triton_recover_headnode_restore_data_age_seconds', { headnode: 'headnode0' }),
    ).toBeUndefined();
  });

  it('last sync ok per headnode (absent when it holds none), and the max age the check judged by', () => {
    expect(valueOf(fams, 'triton_recover_headnode_last_sync_ok', { headnode: 'headnode1' })).toBe(1);
    expect(valueOf(fams, 'triton_recover_headnode_last_sync_ok', { headnode: 'headnode2' })).toBe(0);
    expect(valueOf(fams, 'triton_recover_headnode_last_sync_ok', { headnode: 'headnode0' })).toBeUndefined();
    expect(valueOf(fams, 'triton_recover_restore_data_max_age_seconds')).toBe(1800);
    expect(
      valueOf(
        parsePrometheus(formatPrometheus(report(), NOW, { maxAgeMinutes: 90 })),
        'triton_recover_restore_data_max_age_seconds',
      ),
    ).toBe(5400);
  });

  it.skipIf(promtool.skip)(
    'promtool check metrics accepts it, weird label values and all: no lint complaint',
    async () => {
      const r = await execa(promtool.path!, ['check', 'metrics'], { input: text, reject: false });
      expect(`${r.stdout}${r.stderr}`).toBe('');
      expect(r.exitCode).toBe(0);
    },
  );

  it('every problem code of the contract, both severities, 0 when absent', () => {
    const samples = fams.get('triton_recover_problems')!.samples;
    expect(samples).toHaveLength(PROBLEM_CODES.length * 2);
    for (const code of PROBLEM_CODES) {
      for (const severity of ['critical', 'warning'])
        expect(valueOf(fams, 'triton_recover_problems', { code, severity })).toBeTypeOf('number');
    }
    expect(valueOf(fams, 'triton_recover_problems', { code: 'RESTORE_DATA_MISSING', severity: 'warning' })).toBe(2);
    expect(valueOf(fams, 'triton_recover_problems', { code: 'IMAGE_MISSING', severity: 'critical' })).toBe(1);
    expect(valueOf(fams, 'triton_recover_problems', { code: 'LOCK_HELD', severity: 'critical' })).toBe(0);
  });

  it('verdict, mode and primary state: one series per value, 1 for the current one', () => {
    expect(fams.get('triton_recover_verdict')!.samples.map((s) => [s.labels['verdict'], s.value])).toEqual([
      ['degraded', 1],
      ['not-ready', 0],
      ['ready', 0],
    ]);
    expect(valueOf(fams, 'triton_recover_mode', { mode: 'readiness' })).toBe(1);
    expect(valueOf(fams, 'triton_recover_primary_state', { hostname: 'headnode0', state: 'alive' })).toBe(1);
    expect(valueOf(fams, 'triton_recover_primary_state', { hostname: 'headnode0', state: 'dead' })).toBe(0);
  });

  it('admin IPs and the check time (seconds, not ms)', () => {
    expect(valueOf(fams, 'triton_recover_admin_ips_needed')).toBe(21);
    expect(valueOf(fams, 'triton_recover_admin_ips_available')).toBe(195);
    expect(valueOf(fams, 'triton_recover_check_timestamp_seconds')).toBe(NOW.getTime() / 1000);
  });

  it('escapes backslash, double quote and line feed in label values, and reads back the same', () => {
    expect(escapeLabelValue(WEIRD)).toBe('we\\"ird\\\\svc\\nx');
    expect(text).toContain('service="we\\"ird\\\\svc\\nx"');
    expect(valueOf(fams, 'triton_recover_restore_data_age_seconds', { service: WEIRD })).toBe(5);
    // No raw line feed got into a sample line.
    for (const line of text.split('\n'))
      expect(line.startsWith('#') || line === '' || /^triton_recover_/.test(line)).toBe(true);
  });

  it('stable: the same report gives the same bytes, whatever the order of its lists', () => {
    const r = report();
    const shuffled = report({
      services: [...r.services].reverse(),
      readiness: [...r.readiness!].reverse(),
      problems: [...r.problems].reverse(),
    });
    expect(formatPrometheus(shuffled, NOW, OPTS)).toBe(text);
  });

  it('a report without a primary or readiness entries (disaster before detection) still parses', () => {
    const t = formatPrometheus(
      report({ primary: null, readiness: undefined, mode: 'disaster', verdict: 'not-ready' }),
      NOW,
      OPTS,
    );
    const f = parsePrometheus(t);
    expect(f.has('triton_recover_primary_state')).toBe(false);
    expect(f.has('triton_recover_headnode_restorable')).toBe(false);
    expect(valueOf(f, 'triton_recover_verdict', { verdict: 'not-ready' })).toBe(1);
  });
});

describe('the test parser rejects what Prometheus would', () => {
  const ok = '# HELP m A metric.\n# TYPE m gauge\nm{a="x"} 1\n';
  const bad: [string, string, RegExp][] = [
    ['a sample before HELP and TYPE', 'm 1\n', /before its HELP and TYPE/],
    ['a bad metric name', '# HELP 9m x\n# TYPE 9m gauge\n9m 1\n', /bad metric name/],
    ['a bad label name', ok.replace('{a=', '{a-b='), /bad label name/],
    ['a bad escape in a label value', ok.replace('"x"', '"x\\t"'), /bad escape/],
    ['an unterminated label value', ok.replace('"x"}', '"x}'), /unterminated|expected/],
    ['a value that is not a float', ok.replace('} 1', '} one'), /not a float/],
    ['a sample timestamp', ok.replace('} 1', '} 1 1700000000000'), /timestamp/],
    ['a duplicate series', `${ok}m{a="x"} 2\n`, /duplicate series/],
    ['a family split in two', `${ok}# HELP n B.\n# TYPE n gauge\nn 1\n# HELP m again\n`, /not contiguous|second HELP/],
    ['an unknown type', ok.replace('gauge', 'gaugee'), /unknown type/],
    ['no final line feed', ok.slice(0, -1), /line feed/],
  ];
  it.each(bad)('%s', (_what, text, why) => {
    expect(() => parsePrometheus(text)).toThrow(why);
  });
  it('and accepts a valid family, +Inf, NaN and exponent values', () => {
    const f = parsePrometheus(`${ok}# HELP n B.\n# TYPE n gauge\nn{b="1"} +Inf\nn{b="2"} NaN\nn{b="3"} 1.5e-3\n`);
    expect(valueOf(f, 'n', { b: '1' })).toBe(Infinity);
    expect(valueOf(f, 'n', { b: '3' })).toBe(0.0015);
  });
});
