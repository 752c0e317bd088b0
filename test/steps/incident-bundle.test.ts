// Issue 16 item 6: a drill (a whole restore on the simulator) then its incident
// bundle. Every expected file is there, and NO secret value of the scenario's
// /usbkey/config (root_shadow, ufds_ldap_root_pw, ufds_admin_pw: sdc-headnode
// scripts/prompt-config.sh) appears anywhere in the unpacked bytes, though the
// journal on disk keeps them in its plan entry (the payloads a rerun executes).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeIncidentBundle } from '../../src/steps/incident/bundle.js';
import { type Answer } from '../../src/steps/restore.js';
import { openTestSim, scenario, restoreIn } from '../support/sim-dc.js';
import { untarGz } from '../support/untar.js';
import { loadState, violations } from '../support/restore-oracle.js';

/** Secret values of a /usbkey/config, by Triton's key names (quotes stripped). */
function configSecrets(config: string): string[] {
  return [...config.matchAll(/^\s*(\w+)=(.*)$/gm)]
    .filter(([, k]) => /_pw$|passw|shadow|private/i.test(k!))
    .map(([, , v]) => v!.replace(/^'(.*)'$/, '$1'))
    .filter((v) => v.length > 0);
}

describe('the incident bundle of a drill', () => {
  it('holds the journal, confirmations, check, plan, report, timings and status, and no secret of /usbkey/config', async () => {
    const t = await openTestSim(scenario(), 400);
    const journalDir = join(t.dir, 'journal');
    // The secrets as the simulated headnodes hold them, materialized like Triton's.
    const live = await t.run('headnode1', ['cat', '/usbkey/config']);
    const configs = [live.stdout, ...loadState(t.statePath).servers.map((s) => s.files?.['/usbkey/config'] ?? '')];
    const secrets = [...new Set(configs.flatMap(configSecrets))];
    expect(
      secrets.length,
      "the sim /usbkey/config carries Triton's secrets, else this test proves nothing",
    ).toBeGreaterThanOrEqual(3);
    expect(live.stdout).toMatch(/^root_shadow='\$5\$.+'$/m);

    let asked = 0;
    const out = await restoreIn(t, {
      journalDir,
      command: 'triton-recover restore',
      confirm: async (): Promise<Answer> => (asked++ === 0 ? 'go' : 'all'),
    });
    expect(out.exitCode, out.message).toBe(0);
    expect(violations(t.statePath)).toEqual([]);
    // The journal on disk keeps the payloads (a rerun executes them): the bundle must not.
    const raw = readFileSync(join(journalDir, 'journal.jsonl'), 'utf8');
    expect(secrets.some((s) => raw.includes(s))).toBe(true);

    const b = makeIncidentBundle(journalDir, new Date('2026-12-02T10:00:00Z'));
    expect(b.path).toBe(join(journalDir, 'incident-2026-12-02T10-00-00-000Z.tar.gz'));
    expect(statSync(b.path).mode & 0o777).toBe(0o600);
    const files = untarGz(readFileSync(b.path));
    const top = 'incident-2026-12-02T10-00-00-000Z';
    expect(files.map((f) => f.name).sort()).toEqual(
      [
        `${top}/`,
        ...[
          'README.txt',
          'status.txt',
          'timings.txt',
          'summary.json',
          'confirmations.txt',
          'journal.jsonl',
          'plan.json',
          'check.json',
          'report.md',
          'report.json',
        ].map((n) => `${top}/${n}`),
      ].sort(),
    );
    const text = (n: string): string => files.find((f) => f.name === `${top}/${n}`)!.content.toString('utf8');

    // No secret anywhere, in any file's bytes.
    const all = Buffer.concat(files.map((f) => Buffer.concat([Buffer.from(f.name), f.content]))).toString('utf8');
    expect(secrets.filter((s) => all.includes(s))).toEqual([]);
    expect(text('plan.json')).toContain('"usbkey_config": "<redacted>"');

    // The status text: three lines, numbers, what is next.
    const status = text('status.txt').trimEnd().split('\n');
    expect(status).toEqual(b.status);
    expect(status).toHaveLength(3);
    const zones = b.summary.steps.filter((s) => s.inPlan).length;
    expect(zones).toBeGreaterThan(5);
    expect(status[0]).toMatch(/primary headnode headnode0 is dead; its core zones are being restored on headnode1/);
    expect(status[1]).toMatch(
      new RegExp(
        `^Restore DONE: ${zones} of ${zones} zones restored, 0 failed, 0 skipped, 0 pending; .* elapsed of the 1 h goal`,
      ),
    );
    expect(status[2]).toMatch(/^Next: verify the services/);

    // Timings per zone and in total; the operator's answers in the transcript.
    expect(b.summary.steps.filter((s) => s.status !== 'done' || s.wallSeconds === null)).toEqual([]);
    expect(b.summary.steps.reduce((n, s) => n + s.actionSeconds, 0)).toBeGreaterThan(0);
    expect(text('timings.txt')).toMatch(/goal: 1 h \(RFD 67\): within it/);
    expect(text('timings.txt')).toContain('sapi0');
    expect(text('confirmations.txt')).toMatch(/RUN triton-recover restore/);
    expect(text('confirmations.txt')).toMatch(/fenced: .*headnode0 fenced: /);
    expect(text('check.json')).toContain('"mode": "disaster"');
    expect(text('report.md')).toContain('Outcome: **DONE**');
    expect(
      text('journal.jsonl')
        .split('\n')
        .filter(Boolean)
        .every((l) => JSON.parse(l) !== null),
    ).toBe(true);
  });
});
