// Issue 16's "done when": a kill -9 in the middle of a zone leaves that zone
// listed as a change still in effect on the next start (check, --json,
// --prometheus), until it is finished (the resumed restore) or accepted with
// its word typed. Real processes, real files.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/state/check-report.js';
import { tempDir } from '../support/sim-dc.js';
import { violations } from '../support/restore-oracle.js';
import { bin, journalFile, killSeeing, restoreArgs, simArgs } from '../support/kill-restore.js';
import { parsePrometheus } from '../state/prometheus-parse.js';
import { join } from 'node:path';

const cli = (args: string[]) => execa(bin, args, { reject: false, stdin: 'ignore', stripFinalNewline: false });

async function checkJson(dir: string): Promise<CheckReport> {
  const r = await cli(['check', '--json', ...simArgs(dir)]);
  expect(r.exitCode, r.stderr).toBeLessThanOrEqual(2);
  return JSON.parse(r.stdout) as CheckReport;
}

const zoneWords = (r: CheckReport): string[] =>
  (r.changesInEffect ?? []).filter((c) => c.kind === 'zone').map((c) => c.word);

describe('changes still in effect after a kill -9 mid-zone', () => {
  it('lists the zone on the next start until it is accepted or the resumed restore finishes it', async () => {
    const dir = tempDir('tr-cie-');
    // Killed once a later zone is created ahead of its turn, while an earlier one boots.
    const kill = await killSeeing(dir, { aheadDone: 'create-vm' });
    expect(kill.killed).toBe(true);
    const ahead = kill.ahead.map((z) => z.split('/')[1]!);
    expect(ahead.length).toBeGreaterThan(0);
    const alias = ahead[0]!;

    // check --json: the zone created and not started, with its host and the command that resumes it.
    const before = await checkJson(dir);
    const zone = before.changesInEffect?.find((c) => c.word === alias);
    expect(zone, JSON.stringify(before.changesInEffect, null, 2)).toMatchObject({
      kind: 'zone',
      host: 'headnode1',
      zone: { alias },
      journal: journalFile(dir),
    });
    expect(zone!.what).toMatch(/created|received/);
    expect(zone!.finish).toContain('triton-recover restore --yes --fenced headnode0');
    expect(zone!.undo).toBe(`on headnode1: vmadm delete ${zone!.zone!.uuid}`);
    expect(before.problems.filter((p) => p.code === 'CHANGES_IN_EFFECT').length).toBe(before.changesInEffect!.length);
    // The zone that was booting when the kill came is in effect too.
    expect(zoneWords(before).length).toBeGreaterThan(1);

    // The text and the metrics say it too.
    const text = await cli(['check', ...simArgs(dir)]);
    expect(text.stdout).toContain(`[${alias}] headnode1: ${alias}`);
    expect(text.stdout).toContain(`triton-recover accept ${alias}`);
    const prom = parsePrometheus((await cli(['check', '--prometheus', ...simArgs(dir)])).stdout);
    const gauge = prom.get('triton_recover_changes_in_effect')?.samples.find((s) => s.labels['kind'] === 'zone');
    expect(gauge?.value).toBe(zoneWords(before).length);

    // A word that names nothing accepts nothing.
    const wrong = await cli(['accept', 'no-such-word', ...simArgs(dir)]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(`[${alias}]`);
    expect(zoneWords(await checkJson(dir))).toEqual(zoneWords(before));

    // Accepted with its word typed: journaled, no longer listed; the others stay.
    const acc = await cli(['accept', alias, ...simArgs(dir)]);
    expect(acc.exitCode, acc.stderr).toBe(0);
    expect(readFileSync(journalFile(dir), 'utf8')).toContain('"decision":"accept-change"');
    const accepted = await checkJson(dir);
    expect(zoneWords(accepted)).toEqual(zoneWords(before).filter((w) => w !== alias));

    // The resumed restore finishes every zone: nothing is left in effect.
    const rerun = await cli(restoreArgs(dir));
    expect(rerun.exitCode, `${rerun.stdout}\n${rerun.stderr.slice(-3000)}`).toBe(0);
    expect(violations(join(dir, 's.json'))).toEqual([]);
    const after = await checkJson(dir);
    expect(after.changesInEffect).toEqual([]);
    expect(after.problems.map((p) => p.code)).not.toContain('CHANGES_IN_EFFECT');
  }, 120_000);
});
