// Issue 11, classes 3 and 5: restore-data that is there but unusable (empty or
// half-synced service directories, files that are not files, FIFOs, links to
// /dev/zero, truncated streams and images) is a named problem, and a restore
// refuses before changing anything. No input makes a read hang.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/state/problem.js';
import { runCheck } from '../../src/steps/check.js';
import { runRestore } from '../../src/steps/restore.js';
import { readRestoreData } from '../../src/steps/restore-data.js';
import { openTestSim, type TestSim } from '../support/sim-dc.js';
import { loadState } from '../support/restore-oracle.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

const svcDir = (t: TestSim, svc: string): string => join(t.sim.restoreDataDir, `svc-${svc}`);
const fileOf = (t: TestSim, svc: string, re: RegExp): string =>
  join(
    svcDir(t, svc),
    readdirSync(svcDir(t, svc)).find((f) => re.test(f))!,
  );

/** Break restore-data, then check and restore: both must name the problem; the restore changes nothing. */
async function refused(
  breakIt: (t: TestSim) => void,
  service: string,
): Promise<{ check: Problem[]; restore: Problem[] }> {
  const t = await openTestSim(undefined, SPEED);
  breakIt(t);
  const started = Date.now();
  const chk = await runCheck(t.sim, { timeoutMs: 500 });
  const out = await runRestore({
    dc: t.sim,
    journalDir: join(t.dir, 'j'),
    strategy: 'reuse',
    fenced: 'headnode0',
    timing,
    probeTimeoutMs: 500,
    command: 'x',
  });
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(out.exitCode).toBe(2);
  const st = loadState(t.statePath);
  expect(st.sim.events.map((e) => e.what).filter((w) => /vmadm create|imgadm install|zfs recv/.test(w))).toEqual([]);
  const mine = (ps: Problem[]): Problem[] => ps.filter((p) => p.severity === 'critical' && p.service === service);
  expect(mine(chk.report.problems).length).toBeGreaterThan(0);
  expect(mine(out.problems).length).toBeGreaterThan(0);
  return { check: mine(chk.report.problems), restore: mine(out.problems) };
}

describe('a service never drops out of check and plan (issue 11, class 3)', () => {
  it('an empty svc-papi/ is RESTORE_DATA_MISSING for papi, with the fix', async () => {
    const { check } = await refused((t) => {
      rmSync(svcDir(t, 'papi'), { recursive: true });
      mkdirSync(svcDir(t, 'papi'));
    }, 'papi');
    expect(check[0]).toMatchObject({ code: 'RESTORE_DATA_MISSING' });
    expect(check[0]!.message).toContain('svc-papi/ is empty');
    expect(check[0]!.fix).toContain('triton-recover sync');
  });

  it('only the temporary files of a sync cut short', async () => {
    const { check } = await refused((t) => {
      for (const f of readdirSync(svcDir(t, 'napi')))
        renameSync(join(svcDir(t, 'napi'), f), join(svcDir(t, 'napi'), `${f}.tmp-123-456`));
    }, 'napi');
    expect(check[0]!.message).toMatch(/svc-napi\/ holds only \d+ temporary file\(s\)/);
  });

  it('a file where the directory should be (unreadable as a directory; root ignores modes)', async () => {
    const { check } = await refused((t) => {
      rmSync(svcDir(t, 'cnapi'), { recursive: true });
      writeFileSync(svcDir(t, 'cnapi'), 'not a directory');
    }, 'cnapi');
    expect(check[0]!.message).toContain('svc-cnapi/ is a file, not a directory');
  });

  it('a dangling symlink where the directory should be', async () => {
    const { check } = await refused((t) => {
      rmSync(svcDir(t, 'vmapi'), { recursive: true });
      symlinkSync('/nonexistent/elsewhere', svcDir(t, 'vmapi'));
    }, 'vmapi');
    expect(check[0]!.message).toContain('svc-vmapi/ is a symbolic link');
  });

  it('neither sapi-instances.json nor a vm dump readable: named, not dropped', async () => {
    const { check } = await refused((t) => {
      for (const f of readdirSync(svcDir(t, 'mahi'))) if (f !== 'synced.json') rmSync(join(svcDir(t, 'mahi'), f));
    }, 'mahi');
    expect(check[0]!.message).toContain('neither sapi-instances.json nor any vm dump in svc-mahi/ can be read');
  });
});

describe('reads are bounded (issue 11, class 5)', () => {
  it('a FIFO where a vm dump should be: named, no hang', async () => {
    const { check } = await refused((t) => {
      const f = fileOf(t, 'sapi', /^vm-.*\.json$/);
      rmSync(f);
      execFileSync('mkfifo', [f]);
    }, 'sapi');
    expect(check.map((p) => p.message).join('\n')).toMatch(/vm-[0-9a-f-]+\.json is a FIFO/);
  });

  it('a link to /dev/zero where a dataset stream should be: named, no endless read', async () => {
    const { check } = await refused((t) => {
      const f = fileOf(t, 'ufds', /^dataset-.*\.zfs$/);
      rmSync(f);
      symlinkSync('/dev/zero', f);
    }, 'ufds');
    expect(check.find((p) => p.code === 'DATASET_MISSING')!.message).toMatch(/is a symbolic link, not a regular file/);
  });

  it('a link to /dev/zero where a JSON dump should be', async () => {
    const { check } = await refused((t) => {
      const f = join(svcDir(t, 'amon'), 'sapi-instances.json');
      rmSync(f);
      symlinkSync('/dev/zero', f);
    }, 'amon');
    expect(check.map((p) => p.message).join('\n')).toContain('sapi-instances.json is a symbolic link');
  });

  it('a zero-length dataset stream is unusable before a zone is created for it', async () => {
    const { check } = await refused((t) => truncateSync(fileOf(t, 'imgapi', /^dataset-.*\.zfs$/), 0), 'imgapi');
    expect(check.find((p) => p.code === 'DATASET_MISSING')!.message).toContain('is empty (0 bytes)');
  });

  it('a truncated image file fails its manifest size; a same-size corrupt one its sha1', async () => {
    const t = await openTestSim(undefined, SPEED);
    const images = join(t.sim.restoreDataDir, 'images');
    const files = readdirSync(images).filter((f) => f.endsWith('.file'));
    truncateSync(join(images, files[0]!), 10);
    const second = join(images, files[1]!);
    const flipped = readFileSync(second);
    flipped[0] = flipped[0]! ^ 1;
    writeFileSync(second, flipped);
    const rd = await readRestoreData(t.sim.restoreDataDir);
    const a = rd.images.get(files[0]!.slice(0, 36))!;
    expect(a.filePath).toBeUndefined();
    expect(a.fileProblem).toMatch(/is 10 bytes, its manifest says \d+ \(truncated\?\)/);
    const b = rd.images.get(files[1]!.slice(0, 36))!;
    expect(b.filePath).toBeUndefined();
    expect(b.fileProblem).toMatch(/has sha1 [0-9a-f]{40}, its manifest says/);
  });
});

describe('the catalogue and the vm dumps agree on delegated datasets', () => {
  it('the reference scenario: every zone of a dataset-keeping service has its dataset (no DATASET_NOT_DELEGATED)', async () => {
    const t = await openTestSim(undefined, SPEED);
    const chk = await runCheck(t.sim, { timeoutMs: 500 });
    expect(chk.report.problems.filter((p) => p.code === 'DATASET_NOT_DELEGATED')).toEqual([]);
  });

  it('a fwapi zone dumped without zones/<uuid>/data is named: it comes back without the data fwapi keeps there', async () => {
    const t = await openTestSim(undefined, SPEED);
    const dump = fileOf(t, 'fwapi', /^vm-.*\.json$/);
    const vm = JSON.parse(readFileSync(dump, 'utf8')) as { uuid: string; datasets?: string[] };
    delete vm.datasets;
    writeFileSync(dump, JSON.stringify(vm));
    const chk = await runCheck(t.sim, { timeoutMs: 500 });
    const p = chk.report.problems.find((x) => x.code === 'DATASET_NOT_DELEGATED');
    expect(p).toMatchObject({ severity: 'warning', service: 'fwapi' });
    expect(p!.message).toContain(
      `has no delegated dataset (zones/${vm.uuid}/data), though fwapi keeps its data on one`,
    );
    expect(p!.message).toContain('died with its headnode');
  });
});
