// `triton-recover check --prometheus` as cron runs it: a real process on the
// compiled CLI, exiting with the contract's code, printing text that the real
// `promtool check metrics` accepts without a lint complaint (values are read
// back with test/state/prometheus-parse.ts).
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../src/state/problem.js';
import { tempDir } from '../support/sim-dc.js';
import { findProgram } from '../support/programs.js';
import { parsePrometheus, valueOf, type ParsedFamily } from '../state/prometheus-parse.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const EXIT: Record<string, number> = { ready: 0, degraded: 1, 'not-ready': 2 };
const promtool = findProgram('promtool', 'prometheus');

/** The output piped to `promtool check metrics`: exit 0 and not a word (lint problems are printed). */
async function expectPromtoolAccepts(text: string): Promise<void> {
  if (promtool.skip) return;
  const r = await execa(promtool.path!, ['check', 'metrics'], { input: text, reject: false });
  expect(`${r.stdout}${r.stderr}`).toBe('');
  expect(r.exitCode).toBe(0);
}

interface ScenarioJson {
  servers: { alive: boolean }[];
}

async function prometheus(edit?: (s: ScenarioJson) => void) {
  const dir = tempDir();
  const s = JSON.parse(readFileSync(contract, 'utf8')) as ScenarioJson;
  edit?.(s);
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(s));
  const r = await execa(bin, ['check', '--prometheus', '--sim', file, '--sim-speed', '100'], {
    reject: false,
    stripFinalNewline: false,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { r, fams: parsePrometheus(r.stdout) };
}

/** The verdict the one series at 1 names. */
const verdict = (f: Map<string, ParsedFamily>): string => {
  const on = f.get('triton_recover_verdict')!.samples.filter((s) => s.value === 1);
  expect(on).toHaveLength(1);
  return on[0]!.labels['verdict']!;
};

describe('triton-recover check --prometheus', () => {
  it('readiness mode (headnode0 alive): exit 1 (warnings), parseable, every headnode judged', async () => {
    const { r, fams } = await prometheus((s) => (s.servers[0]!.alive = true));
    expect(r.stderr).toBe('');
    expect(verdict(fams)).toBe('degraded');
    expect(r.exitCode).toBe(EXIT['degraded']);
    expect(valueOf(fams, 'triton_recover_mode', { mode: 'readiness' })).toBe(1);
    for (const h of ['headnode0', 'headnode1', 'headnode2'])
      expect(valueOf(fams, 'triton_recover_headnode_restorable', { headnode: h })).toBe(1);
    expect(
      valueOf(fams, 'triton_recover_restore_data_age_seconds', { service: 'cmon', headnode: 'headnode1' }),
    ).toBeGreaterThanOrEqual(93_600);
    expect(valueOf(fams, 'triton_recover_problems', { code: 'RESTORE_DATA_MISSING', severity: 'warning' })).toBe(1); // headnode0 holds none
    expect(valueOf(fams, 'triton_recover_problems', { code: 'NO_DHCPD_SURVIVOR', severity: 'warning' })).toBe(1); // headnode2 runs none
    expect(fams.get('triton_recover_problems')!.samples).toHaveLength(PROBLEM_CODES.length * 2);
    const ts = valueOf(fams, 'triton_recover_check_timestamp_seconds')!;
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(120);
    expect(valueOf(fams, 'triton_recover_restore_data_max_age_seconds')).toBe(1800);
    await expectPromtoolAccepts(r.stdout);
  });

  it('disaster mode (the reference scenario): the exit code matches the verdict it prints', async () => {
    const { r, fams } = await prometheus();
    expect(r.exitCode).toBe(EXIT[verdict(fams)]);
    expect(valueOf(fams, 'triton_recover_primary_state', { hostname: 'headnode0', state: 'dead' })).toBe(1);
    expect(valueOf(fams, 'triton_recover_headnode_alive', { headnode: 'headnode0' })).toBe(0);
    await expectPromtoolAccepts(r.stdout);
  });

  it('--max-age is exported as the threshold the alert rules compare ages with', async () => {
    const dir = tempDir();
    const file = join(dir, 'scenario.json');
    writeFileSync(file, readFileSync(contract, 'utf8'));
    const r = await execa(bin, ['check', '--prometheus', '--sim', file, '--sim-speed', '100', '--max-age', '45'], {
      reject: false,
    });
    expect(valueOf(parsePrometheus(`${r.stdout}\n`), 'triton_recover_restore_data_max_age_seconds')).toBe(2700);
  });
});

describe('share/cron/triton-recover-check.cron, run by sh as cron would', () => {
  const cronLine = (): string => {
    const lines = readFileSync(
      resolve(import.meta.dirname, '..', '..', 'share', 'cron', 'triton-recover-check.cron'),
      'utf8',
    )
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    const f = lines[0]!.split(/\s+/);
    expect(f.slice(0, 5)).toEqual(['2,7,12,17,22,27,32,37,42,47,52,57', '*', '*', '*', '*']); // illumos cron: no */5
    expect(lines[0]).not.toContain('%'); // cron turns % into a line feed
    return f.slice(5).join(' ');
  };

  it.skipIf(promtool.skip)(
    'replaces triton_recover.prom atomically with what promtool accepts; a failed check leaves the old file and no temp',
    async () => {
      const dir = tempDir();
      try {
        const textfiles = join(dir, 'textfile');
        mkdirSync(textfiles);
        const scenario = join(dir, 'scenario.json');
        writeFileSync(scenario, readFileSync(contract, 'utf8'));
        const cmd = (extra: string): string =>
          cronLine()
            .replace('D=/var/node_exporter/textfile', `D=${textfiles}`)
            .replace('/var/log/triton-recover-check.log', join(dir, 'check.log'))
            .replace(
              '/opt/triton-recover/bin/triton-recover check --prometheus',
              `${bin} check --prometheus --sim ${scenario} --sim-speed 100${extra}`,
            );
        const prom = join(textfiles, 'triton_recover.prom');
        await execa('sh', ['-c', cmd('')]);
        expect(readdirSync(textfiles)).toEqual(['triton_recover.prom']);
        await expectPromtoolAccepts(readFileSync(prom, 'utf8'));
        const before = statSync(prom).mtimeMs;
        await execa('sh', ['-c', cmd(' --max-age -1')]); // a usage error: exit 64
        expect(readdirSync(textfiles)).toEqual(['triton_recover.prom']);
        expect(statSync(prom).mtimeMs).toBe(before);
        expect(readFileSync(join(dir, 'check.log'), 'utf8')).toContain('--max-age');
      } finally {
        if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
