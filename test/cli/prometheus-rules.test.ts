// The shipped alert rules (share/prometheus/triton-recover-rules.yml), judged by
// the real promtool: `check rules` accepts them, and `test rules` proves each
// alert fires when it should and stays silent when it should not, on series
// taken from real `triton-recover check --prometheus` runs against the
// simulator (one edit: the uncertain primary, which the simulator has no knob
// for). The promtool test file is written here, from those runs, into a temp dir.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { escapeLabelValue } from '../../src/state/prometheus.js';
import { findProgram } from '../support/programs.js';
import { parsePrometheus } from '../state/prometheus-parse.js';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'triton-recover');
const RULES = join(root, 'share', 'prometheus', 'triton-recover-rules.yml');
const contract = join(root, 'test', 'fixtures', 'contract', 'scenario.example.json');
const promtool = findProgram('promtool', 'prometheus');

/** What Prometheus adds when it scrapes headnode1's node_exporter (the simulator's local headnode). */
const TARGET = { instance: 'headnode1:9100', job: 'node' };
const TEXTFILE = '/var/lib/node_exporter/textfile_collector/triton_recover.prom';
/** Test minutes: every input series is given one value a minute for an hour. */
const STEPS = 60;

type Labels = Record<string, string>;
interface InputSeries {
  series: string;
  values: string;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Labels; exp_annotations: Labels }[];
}
interface RuleFile {
  groups: { rules: { alert: string; labels: Labels; annotations: Labels }[] }[];
}

const rules = (parse(readFileSync(RULES, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);
const ALERTS = rules.map((r) => r.alert);

/** The annotations as Prometheus renders them: the rules name only `{{ $labels.x }}`. */
function render(template: string, labels: Labels): string {
  const out = template.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_m, k: string) => {
    const v = labels[k];
    if (v === undefined) throw new Error(`an annotation names the label ${k}, which the alert does not carry`);
    return v;
  });
  if (out.includes('{{')) throw new Error(`an annotation has a template this test does not render: ${template}`);
  return out;
}

/** An alert the rule should raise for a series with these labels. */
function alert(name: string, seriesLabels: Labels): AlertTest['exp_alerts'][number] {
  const rule = rules.find((r) => r.alert === name);
  if (!rule) throw new Error(`no alert ${name} in ${RULES}`);
  const labels = { ...seriesLabels, ...TARGET, ...rule.labels };
  return {
    exp_labels: labels,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, t]) => [k, render(t, labels)])),
  };
}

const selector = (name: string, labels: Labels): string =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',')}}`;

/** Every sample of a real output, as a series holding its value for the hour (or the first `minutes` of it, then gone). */
function seriesOf(text: string, minutes = STEPS): InputSeries[] {
  const gone = minutes < STEPS ? ` _x${STEPS - minutes}` : '';
  return [...parsePrometheus(text).values()].flatMap((f) =>
    f.samples.map((s) => ({
      series: selector(f.name, { ...s.labels, ...TARGET }),
      values: `${s.value}+0x${minutes}${gone}`,
    })),
  );
}

/** node_exporter's mtime of the textfile: rewritten every minute, or never again. */
const mtime = (fresh: boolean, file = TEXTFILE): InputSeries => ({
  series: selector('node_textfile_mtime_seconds', { file, ...TARGET }),
  values: fresh ? `0+60x${STEPS}` : `0+0x${STEPS}`,
});

/** Silent at `at`: for every alert not listed in `firing`. */
const silentBut = (at: string, firing: readonly string[]): AlertTest[] =>
  ALERTS.filter((a) => !firing.includes(a)).map((alertname) => ({ eval_time: at, alertname, exp_alerts: [] }));

interface Scenario {
  servers: { alive: boolean }[];
  restoreData: { on: string[] };
  faults: unknown[];
}

let dir: string;
const outputs: Record<string, string> = {};

async function cli(args: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  const r = await execa(bin, args, {
    reject: false,
    stripFinalNewline: false,
    stdin: 'ignore',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { stdout: r.stdout, exitCode: r.exitCode };
}

function scenarioFile(name: string, edit?: (s: Scenario) => void): string {
  const s = JSON.parse(readFileSync(contract, 'utf8')) as Scenario;
  edit?.(s);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(s));
  return file;
}

async function checkPrometheus(file: string, extra: string[] = []): Promise<string> {
  const r = await cli(['check', '--prometheus', '--sim', file, '--sim-speed', '200', ...extra]);
  expect(r.exitCode, r.stdout).toBeLessThanOrEqual(2); // 0-2: a complete report, what cron installs
  return r.stdout;
}

function promtoolTests(rulesFile: string): object {
  const readiness = seriesOf(outputs['readiness']!);
  // The primary's signals disagree: the simulator has no knob for it, so the
  // readiness run's primary_state is edited from alive to uncertain.
  const uncertain = seriesOf(
    outputs['readiness']!.replace(
      /^(triton_recover_primary_state\{hostname="headnode0",state="alive"\}) 1$/m,
      '$1 0',
    ).replace(/^(triton_recover_primary_state\{hostname="headnode0",state="uncertain"\}) 0$/m, '$1 1'),
  );
  return {
    rule_files: [rulesFile],
    evaluation_interval: '1m',
    tests: [
      {
        name: 'readiness day (reference scenario, every headnode alive): cmon restore-data 26 h old, nothing else',
        interval: '1m',
        input_series: [...readiness, mtime(true), mtime(false, '/var/lib/node_exporter/textfile_collector/other.prom')],
        alert_rule_test: [
          // `for: 10m`: not yet after 5 minutes.
          { eval_time: '5m', alertname: 'TritonRecoverRestoreDataStale', exp_alerts: [] },
          {
            eval_time: '15m',
            alertname: 'TritonRecoverRestoreDataStale',
            exp_alerts: [alert('TritonRecoverRestoreDataStale', { headnode: 'headnode1', service: 'cmon' })],
          },
          ...silentBut('15m', ['TritonRecoverRestoreDataStale']),
          // cmon's verification is as old as its copy: RESTORE_DATA_STALE says it, not a second alert.
          ...silentBut('50m', ['TritonRecoverRestoreDataStale']),
        ],
      },
      {
        name: 'the threshold is the check --max-age (1600 min): cmon at 26 h is not stale then',
        interval: '1m',
        input_series: [...seriesOf(outputs['maxAge']!), mtime(true)],
        alert_rule_test: [
          ...silentBut('30m', ['TritonRecoverRestoreDataUnverified']),
          // Not stale by that age, but its last verification (as old as the copy) is past the 26 h default.
          {
            eval_time: '30m',
            alertname: 'TritonRecoverRestoreDataUnverified',
            exp_alerts: [
              alert('TritonRecoverRestoreDataUnverified', { code: 'RESTORE_DATA_UNVERIFIED', severity: 'warning' }),
            ],
          },
        ],
      },
      {
        name: 'disaster (reference scenario): headnode0, the primary, dead',
        interval: '1m',
        input_series: [...seriesOf(outputs['disaster']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '0m', alertname: 'TritonRecoverPrimaryDead', exp_alerts: [] },
          {
            eval_time: '2m',
            alertname: 'TritonRecoverPrimaryDead',
            exp_alerts: [alert('TritonRecoverPrimaryDead', { hostname: 'headnode0', state: 'dead' })],
          },
          { eval_time: '15m', alertname: 'TritonRecoverPrimaryUncertain', exp_alerts: [] },
          { eval_time: '15m', alertname: 'TritonRecoverSyncFailing', exp_alerts: [] },
        ],
      },
      {
        name: 'a sync whose zfs send failed: headnode1 last sync not ok, headnode0 not restorable from it',
        interval: '1m',
        input_series: [...seriesOf(outputs['failedSync']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TritonRecoverSyncFailing', exp_alerts: [] },
          { eval_time: '10m', alertname: 'TritonRecoverHeadnodeNotRestorable', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'TritonRecoverSyncFailing',
            exp_alerts: [alert('TritonRecoverSyncFailing', { headnode: 'headnode1' })],
          },
          {
            eval_time: '20m',
            alertname: 'TritonRecoverHeadnodeNotRestorable',
            exp_alerts: [alert('TritonRecoverHeadnodeNotRestorable', { headnode: 'headnode0' })],
          },
          { eval_time: '20m', alertname: 'TritonRecoverPrimaryDead', exp_alerts: [] },
        ],
      },
      {
        name: 'after a restore the old primary answers again: PRIMARY_RETURNED pages at once',
        interval: '1m',
        input_series: [...seriesOf(outputs['returned']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '0m', alertname: 'TritonRecoverPrimaryReturned', exp_alerts: [] },
          {
            eval_time: '2m',
            alertname: 'TritonRecoverPrimaryReturned',
            exp_alerts: [alert('TritonRecoverPrimaryReturned', { code: 'PRIMARY_RETURNED', severity: 'critical' })],
          },
        ],
      },
      {
        name: 'a restore killed mid-zone left a zone created and not started: a warning after 15 min',
        interval: '1m',
        input_series: [...seriesOf(outputs['left']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TritonRecoverChangesInEffect', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'TritonRecoverChangesInEffect',
            exp_alerts: [alert('TritonRecoverChangesInEffect', { kind: 'zone' })],
          },
        ],
      },
      {
        name: 'disaster, and the surviving dhcpd has no booter cache entry for the compute nodes',
        interval: '1m',
        input_series: [...seriesOf(outputs['noCache']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TritonRecoverComputeNodeWouldNotBoot', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'TritonRecoverComputeNodeWouldNotBoot',
            exp_alerts: [
              alert('TritonRecoverComputeNodeWouldNotBoot', { compute_node: 'cn0' }),
              alert('TritonRecoverComputeNodeWouldNotBoot', { compute_node: 'cn1' }),
            ],
          },
        ],
      },
      {
        name: 'verified, not just fresh: a stream that failed its verification, with its age fresh',
        interval: '1m',
        input_series: [...seriesOf(outputs['corrupt']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TritonRecoverRestoreDataUnverified', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'TritonRecoverRestoreDataUnverified',
            exp_alerts: [
              alert('TritonRecoverRestoreDataUnverified', { code: 'RESTORE_DATA_CORRUPT', severity: 'warning' }),
            ],
          },
          ...silentBut('20m', ['TritonRecoverRestoreDataStale', 'TritonRecoverRestoreDataUnverified']),
        ],
      },
      {
        name: 'verified too long ago: the check --max-verified-age (0.01 h) below the age of every verification',
        interval: '1m',
        input_series: [...seriesOf(outputs['unverified']!), mtime(true)],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TritonRecoverRestoreDataUnverified', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'TritonRecoverRestoreDataUnverified',
            exp_alerts: [
              alert('TritonRecoverRestoreDataUnverified', { code: 'RESTORE_DATA_UNVERIFIED', severity: 'warning' }),
            ],
          },
        ],
      },
      {
        name: 'the primary uncertain: a warning, never the dead alert',
        interval: '1m',
        input_series: [...uncertain, mtime(true)],
        alert_rule_test: [
          { eval_time: '5m', alertname: 'TritonRecoverPrimaryUncertain', exp_alerts: [] },
          {
            eval_time: '15m',
            alertname: 'TritonRecoverPrimaryUncertain',
            exp_alerts: [alert('TritonRecoverPrimaryUncertain', { hostname: 'headnode0', state: 'uncertain' })],
          },
          { eval_time: '15m', alertname: 'TritonRecoverPrimaryDead', exp_alerts: [] },
        ],
      },
      {
        name: 'the check stopped writing the textfile: stale after 20 min (+5 min for)',
        interval: '1m',
        input_series: [...readiness, mtime(false)],
        alert_rule_test: [
          { eval_time: '22m', alertname: 'TritonRecoverTextfileStale', exp_alerts: [] },
          {
            eval_time: '30m',
            alertname: 'TritonRecoverTextfileStale',
            exp_alerts: [alert('TritonRecoverTextfileStale', { file: TEXTFILE })],
          },
          { eval_time: '30m', alertname: 'TritonRecoverMetricsMissing', exp_alerts: [] },
        ],
      },
      {
        name: 'the textfile removed or unparseable after 20 min: every series gone, its mtime too',
        interval: '1m',
        input_series: seriesOf(outputs['readiness']!, 20),
        alert_rule_test: [
          { eval_time: '20m', alertname: 'TritonRecoverMetricsMissing', exp_alerts: [] },
          // Gone at 21m, missed by queries 5 min later (the lookback), then `for: 10m`.
          { eval_time: '30m', alertname: 'TritonRecoverMetricsMissing', exp_alerts: [] },
          {
            eval_time: '40m',
            alertname: 'TritonRecoverMetricsMissing',
            exp_alerts: [alert('TritonRecoverMetricsMissing', {})],
          },
          { eval_time: '40m', alertname: 'TritonRecoverTextfileStale', exp_alerts: [] },
        ],
      },
    ],
  };
}

async function promtoolTest(rulesFile: string, name: string): Promise<{ exitCode: number | undefined; out: string }> {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(promtoolTests(rulesFile), null, 1)); // JSON is YAML
  const r = await execa(promtool.path!, ['test', 'rules', file], { reject: false });
  return { exitCode: r.exitCode, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(promtool.skip)('share/prometheus/triton-recover-rules.yml, judged by promtool', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tr-rules-'));
    const readinessFile = scenarioFile('readiness', (s) => (s.servers[0]!.alive = true));
    // A real sync into a fresh restore-data directory whose every `zfs send` fails.
    const failing = scenarioFile('failing', (s) => {
      for (const srv of s.servers) srv.alive = true;
      s.restoreData.on = [];
      s.faults = [{ command: 'zfs', match: 'send', effect: 'fail' }];
    });
    const rd = ['--sim-state', join(dir, 'failing-state.json'), '--restore-data', join(dir, 'rd')];
    const sync = await cli(['sync', '--sim', failing, ...rd, '--sim-speed', '200', '--min-free-mb', '1']);
    expect(sync.exitCode, sync.stdout).toBe(1);
    expect(sync.stdout).toMatch(/^PARTIAL: /m);
    // After a restore (its record in the journal directory), the old primary back.
    const journal = join(dir, 'journal');
    mkdirSync(journal, { mode: 0o700 });
    writeFileSync(
      join(journal, 'restored-from.json'),
      JSON.stringify({
        hostname: 'headnode0',
        uuid: '65cfe27b-76b2-5bf2-af14-58bdb727b3a0',
        adminIp: '10.99.99.7',
        fenceMethod: 'bmc-off',
        fencedBy: 'root',
        restoredOn: 'headnode1',
        at: '2026-12-01T10:00:00.000Z',
      }),
    );
    // The surviving dhcpd holds no booter cache entry for cn0, and CNAPI died with the primary.
    const noCache = scenarioFile('no-cache', (s) => {
      const insts = (s as unknown as { instances: { alias: string; booterCache?: string[] }[] }).instances;
      insts.find((i) => i.alias === 'dhcpd1')!.booterCache = [];
    });
    // A journal a restore killed mid-zone left: a zone of headnode1 created, not started.
    const left = join(dir, 'left');
    mkdirSync(left, { mode: 0o700 });
    const scenarioInstances = (JSON.parse(readFileSync(contract, 'utf8')) as { instances: Record<string, string>[] })
      .instances;
    const onHere = scenarioInstances.find((i) => i['server'] === 'headnode1')! as { alias: string; uuid: string };
    const line = (e: Record<string, unknown>): string =>
      JSON.stringify({ ts: '2026-12-01T10:00:00.000Z', run: 'r1', ...e });
    writeFileSync(
      join(left, 'journal.jsonl'),
      [
        line({ t: 'run', command: 'triton-recover restore --yes', who: 'root', host: 'h', pid: 99_999_999 }),
        line({ t: 'plan', plan: { steps: [{ service: 'x', alias: onHere.alias, uuid: onHere.uuid }], reconcile: [] } }),
        line({ t: 'start', id: `x/${onHere.alias}/create-vm`, service: 'x', kind: 'create-vm', host: 'headnode1' }),
        line({ t: 'end', id: `x/${onHere.alias}/create-vm`, ok: true, detail: 'ok', durationMs: 1 }),
      ].join('\n') + '\n',
      { mode: 0o600 },
    );
    // A stream whose last verification failed: the simulator's restore-data is laid by a first check, then edited.
    const corruptRd = ['--sim-state', join(dir, 'corrupt-state.json'), '--restore-data', join(dir, 'corrupt-rd')];
    await checkPrometheus(readinessFile, corruptRd);
    const vfile = join(dir, 'corrupt-rd', 'svc-sapi', 'verified.json');
    const v = JSON.parse(readFileSync(vfile, 'utf8')) as { datasets: { ok: boolean; error?: string }[] };
    for (const d of v.datasets) Object.assign(d, { ok: false, error: 'zstreamdump: checksum mismatch' });
    writeFileSync(vfile, JSON.stringify(v));
    [
      outputs['readiness'],
      outputs['maxAge'],
      outputs['disaster'],
      outputs['failedSync'],
      outputs['returned'],
      outputs['noCache'],
      outputs['left'],
      outputs['corrupt'],
      outputs['unverified'],
    ] = await Promise.all([
      checkPrometheus(readinessFile),
      checkPrometheus(readinessFile, ['--max-age', '1600']),
      checkPrometheus(scenarioFile('disaster')),
      checkPrometheus(failing, rd),
      checkPrometheus(readinessFile, ['--journal-dir', journal]),
      checkPrometheus(noCache),
      checkPrometheus(readinessFile, ['--journal-dir', left]),
      checkPrometheus(readinessFile, corruptRd),
      checkPrometheus(readinessFile, ['--max-verified-age', '0.01']),
    ]);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promtool check rules accepts the file; every alert has a severity, a summary and a description', async () => {
    const r = await execa(promtool.path!, ['check', 'rules', RULES], { reject: false });
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(ALERTS.sort()).toEqual(
      [
        'TritonRecoverChangesInEffect',
        'TritonRecoverComputeNodeWouldNotBoot',
        'TritonRecoverHeadnodeNotRestorable',
        'TritonRecoverMetricsMissing',
        'TritonRecoverPrimaryDead',
        'TritonRecoverPrimaryReturned',
        'TritonRecoverPrimaryUncertain',
        'TritonRecoverRestoreDataStale',
        'TritonRecoverRestoreDataUnverified',
        'TritonRecoverSyncFailing',
        'TritonRecoverTextfileStale',
      ].sort(),
    );
    for (const r of rules) {
      expect(['critical', 'warning']).toContain(r.labels['severity']);
      expect(r.annotations['summary']?.length).toBeGreaterThan(20);
      expect(r.annotations['description']).toMatch(/triton-recover (check|sync)|crontab/);
    }
  });

  it('the series come from real runs: the facts each alert test stands on are in them', () => {
    expect(outputs['readiness']).toMatch(
      /^triton_recover_restore_data_age_seconds\{headnode="headnode1",service="cmon"\} 9\d{4}$/m,
    );
    expect(outputs['readiness']).toMatch(/^triton_recover_restore_data_max_age_seconds 1800$/m);
    expect(outputs['maxAge']).toMatch(/^triton_recover_restore_data_max_age_seconds 96000$/m);
    expect(outputs['disaster']).toMatch(/^triton_recover_primary_state\{hostname="headnode0",state="dead"\} 1$/m);
    expect(outputs['failedSync']).toMatch(/^triton_recover_headnode_last_sync_ok\{headnode="headnode1"\} 0$/m);
    expect(outputs['failedSync']).toMatch(/^triton_recover_headnode_restorable\{headnode="headnode0"\} 0$/m);
    expect(outputs['readiness']).toMatch(/^triton_recover_headnode_last_sync_ok\{headnode="headnode1"\} 1$/m);
    expect(outputs['returned']).toMatch(/^triton_recover_problems\{code="PRIMARY_RETURNED",severity="critical"\} 1$/m);
    expect(outputs['readiness']).toMatch(/^triton_recover_problems\{code="PRIMARY_RETURNED",severity="critical"\} 0$/m);
    expect(outputs['disaster']).toMatch(/^triton_recover_compute_node_boots\{compute_node="cn0"\} 1$/m);
    expect(outputs['noCache']).toMatch(/^triton_recover_compute_node_boots\{compute_node="cn0"\} 0$/m);
    expect(outputs['left']).toMatch(/^triton_recover_changes_in_effect\{kind="zone"\} 1$/m);
    expect(outputs['readiness']).toMatch(/^triton_recover_changes_in_effect\{kind="zone"\} 0$/m);
    expect(outputs['corrupt']).toMatch(
      /^triton_recover_restore_data_verified_ok\{headnode="headnode1",service="sapi"\} 0$/m,
    );
    expect(outputs['corrupt']).toMatch(
      /^triton_recover_restore_data_age_seconds\{headnode="headnode1",service="sapi"\} [1-5]\d\d$/m,
    );
    expect(outputs['corrupt']).toMatch(
      /^triton_recover_problems\{code="RESTORE_DATA_CORRUPT",severity="warning"\} 1$/m,
    );
    expect(outputs['unverified']).toMatch(/^triton_recover_restore_data_max_verified_age_seconds 36$/m);
    expect(outputs['unverified']).toMatch(
      /^triton_recover_problems\{code="RESTORE_DATA_UNVERIFIED",severity="warning"\} [1-9]\d*$/m,
    );
    expect(outputs['readiness']).toMatch(
      /^triton_recover_restore_data_verified_ok\{headnode="headnode1",service="sapi"\} 1$/m,
    );
    expect(outputs['readiness']).toMatch(
      /^triton_recover_problems\{code="RESTORE_DATA_UNVERIFIED",severity="warning"\} 0$/m,
    );
    expect(outputs['readiness']).toMatch(
      /^triton_recover_problems\{code="RESTORE_DATA_CORRUPT",severity="warning"\} 0$/m,
    );
  });

  it('promtool test rules: each alert fires when it should, and only then', async () => {
    const r = await promtoolTest(RULES, 'rules.test.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.exitCode, r.out).toBe(0);
  });

  // The same tests against a copy of the rules with one expression wrong: promtool must fail them.
  const broken: [string, string, string, string][] = [
    [
      'the stale threshold reversed',
      '> ignoring(headnode, service)',
      '< ignoring(headnode, service)',
      'TritonRecoverRestoreDataStale',
    ],
    [
      'sync failing on ok',
      'triton_recover_headnode_last_sync_ok == 0',
      'triton_recover_headnode_last_sync_ok == 1',
      'TritonRecoverSyncFailing',
    ],
    [
      'returned alerting on its absence',
      'triton_recover_problems{code="PRIMARY_RETURNED",severity="critical"} > 0',
      'triton_recover_problems{code="PRIMARY_RETURNED",severity="critical"} >= 0',
      'TritonRecoverPrimaryReturned',
    ],
    [
      'dead alerting on uncertain',
      'triton_recover_primary_state{state="dead"} == 1',
      'triton_recover_primary_state{state=~"dead|uncertain"} == 1',
      'TritonRecoverPrimaryDead',
    ],
    [
      'not restorable alerting on any headnode',
      'triton_recover_headnode_restorable == 0',
      'triton_recover_headnode_restorable >= 0',
      'TritonRecoverHeadnodeNotRestorable',
    ],
    [
      'verification alerting on every restore-data problem',
      'code=~"RESTORE_DATA_CORRUPT|RESTORE_DATA_UNVERIFIED"',
      'code=~"RESTORE_DATA_.*"',
      'TritonRecoverRestoreDataUnverified',
    ],
    [
      'verification alerting only on the unverified, not on a failed check',
      'code=~"RESTORE_DATA_CORRUPT|RESTORE_DATA_UNVERIFIED"',
      'code="RESTORE_DATA_UNVERIFIED"',
      'TritonRecoverRestoreDataUnverified',
    ],
    ['the textfile regex matching every file', '(.*/)?triton_recover\\\\.prom', '.*', 'TritonRecoverTextfileStale'],
    [
      'would-not-boot alerting on nodes that boot',
      'triton_recover_compute_node_boots == 0',
      'triton_recover_compute_node_boots == 1',
      'TritonRecoverComputeNodeWouldNotBoot',
    ],
    [
      'changes in effect alerting on none',
      'triton_recover_changes_in_effect > 0',
      'triton_recover_changes_in_effect >= 0',
      'TritonRecoverChangesInEffect',
    ],
    [
      'missing metrics looked for over 10 min, not a day',
      'timestamp_seconds[1d]',
      'timestamp_seconds[10m]',
      'TritonRecoverMetricsMissing',
    ],
  ];
  it.each(broken)('fails when the rules are broken: %s', async (_what, from, to, alertname) => {
    const text = readFileSync(RULES, 'utf8');
    expect(text).toContain(from);
    const file = join(dir, 'broken-rules.yml');
    writeFileSync(file, text.replace(from, to));
    const r = await promtoolTest(file, 'broken.test.yml');
    expect(r.exitCode, r.out).toBe(1);
    // Failed on the alert's expectations, not on a rule or test file promtool could not read.
    expect(r.out).toContain(`alertname: ${alertname}`);
  });
});
