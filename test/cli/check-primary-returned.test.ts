// Issue 16 items 1 and 3 through the compiled CLI: after a restore (its
// restored-from record in the journal directory), the old primary answering
// again is PRIMARY_RETURNED in `check`, `check --json` and `check --prometheus`;
// and a primary that only this headnode is cut off from (partitions[]) is never "dead".
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { parsePrometheus, valueOf } from '../state/prometheus-parse.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');

interface ScenarioJson {
  servers: { hostname: string; alive: boolean }[];
  partitions?: { from: string; to: string }[];
}

/** The contract scenario edited, a journal dir (with a restore's record when `restored`), and a runner. */
function setup(edit: (s: ScenarioJson) => void, restored: boolean) {
  const dir = tempDir();
  const s = JSON.parse(readFileSync(contract, 'utf8')) as ScenarioJson;
  edit(s);
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(s));
  const journal = join(dir, 'journal');
  mkdirSync(journal, { mode: 0o700 });
  if (restored) {
    writeFileSync(
      join(journal, 'restored-from.json'),
      JSON.stringify({
        hostname: 'headnode0',
        uuid: '65cfe27b-76b2-5bf2-af14-58bdb727b3a0',
        adminIp: '10.99.99.7',
        fenceMethod: 'cables',
        fencedBy: 'root',
        restoredOn: 'headnode1',
        at: '2026-12-01T10:00:00.000Z',
      }),
    );
  }
  return (args: string[]) =>
    execa(
      bin,
      [
        'check',
        ...args,
        '--sim',
        file,
        '--sim-state',
        join(dir, 's.json'),
        '--journal-dir',
        journal,
        '--sim-speed',
        '100',
      ],
      {
        reject: false,
        stripFinalNewline: false,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
}

const back = (s: ScenarioJson): void => void (s.servers.find((x) => x.hostname === 'headnode0')!.alive = true);

describe('check after a restore, the old primary back', () => {
  it('text, --json and --prometheus all say PRIMARY_RETURNED, critical, exit 2', async () => {
    const run = setup(back, true);
    const [text, json, prom] = await Promise.all([run([]), run(['--json']), run(['--prometheus'])]);
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toMatch(
      /CRIT PRIMARY_RETURNED: the old primary headnode0 .* answers again .*\(it was its network cables pulled, said root\)/,
    );
    expect(text.stdout).toMatch(/power headnode0 off/);
    const out = JSON.parse(json.stdout) as { verdict: string; problems: { code: string; severity: string }[] };
    expect(json.exitCode).toBe(2);
    expect(out.verdict).toBe('not-ready');
    expect(out.problems.find((p) => p.code === 'PRIMARY_RETURNED')).toMatchObject({ severity: 'critical' });
    expect(
      valueOf(parsePrometheus(prom.stdout), 'triton_recover_problems', {
        code: 'PRIMARY_RETURNED',
        severity: 'critical',
      }),
    ).toBe(1);
  });

  it('no restore record: the same live primary is a normal day, no PRIMARY_RETURNED', async () => {
    const r = await setup(back, false)(['--json']);
    expect((JSON.parse(r.stdout) as { problems: { code: string }[] }).problems.map((p) => p.code)).not.toContain(
      'PRIMARY_RETURNED',
    );
  });
});

describe('check when only this headnode is cut off from the primary (partitions[])', () => {
  it('the primary is alive (the compute nodes reach it), never dead', async () => {
    const r = await setup((s) => {
      back(s);
      s.partitions = [{ from: 'headnode1', to: 'headnode0' }];
    }, false)(['--json']);
    const out = JSON.parse(r.stdout) as {
      primary: { state: string; evidence: { signal: string; ok: boolean; detail: string }[] };
    };
    expect(out.primary.state).not.toBe('dead');
    expect(out.primary.evidence.find((e) => e.signal === 'ping')!.ok).toBe(false);
    expect(out.primary.evidence.find((e) => e.signal === 'vantage')).toMatchObject({
      ok: true,
      detail: expect.stringContaining('reach 10.99.99.7'),
    });
  });
});
