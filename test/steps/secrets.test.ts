// Fidelity audit 17: sapi0's and assets0's `vmadm get` dumps carry usbkey_config
// and the UFDS root password. restore-data, the journal and the reports are root
// only; what people read (plan, report, transcript, log pane) is redacted; the
// zones are still created with the secrets intact.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/state/restore-data-layout.js';
import { describeAction, formatPlanText, planJson } from '../../src/state/plan.js';
import { runSync } from '../../src/steps/sync/run.js';
import { openTestSim, scenario, restoreIn } from '../support/sim-dc.js';
import { loadState } from '../support/restore-oracle.js';
import { openHealthy, syncOpts } from '../support/sync-dc.js';
import { REF } from '../support/reference.js';

const SAPI0 = REF.sapi0.uuid;

/** Every file and directory under `root` (itself included) whose mode is not 0600 / 0700. */
function loose(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777) !== want) out.push(`${p}: ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(root);
  return out;
}

/** The secret values as the sapi0 dump in restore-data holds them. */
function secretsOf(restoreDataDir: string): string[] {
  const vm = JSON.parse(readFileSync(join(restoreDataDir, paths.vm('sapi', SAPI0)), 'utf8')) as {
    customer_metadata: Record<string, string>;
  };
  const md = vm.customer_metadata;
  const config = md['usbkey_config'] ?? '';
  const shadow = /^root_shadow=(.+)$/m.exec(config)?.[1] ?? '';
  return [config, md['ufds_ldap_root_pw'] ?? '', shadow];
}

function leaks(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => s.slice(0, 40));
}

describe('secrets (fidelity audit 17)', () => {
  let umask = 0;
  // A permissive umask: the modes must not depend on a strict one.
  beforeEach(() => void (umask = process.umask(0o022)));
  afterEach(() => void process.umask(umask));

  it('a full restore: restore-data, journal and reports root only; plan, report, transcript and log pane redacted', async () => {
    const t = await openTestSim(scenario(), 400);
    const rd = t.sim.restoreDataDir;
    const secrets = secretsOf(rd);
    // The sim's dumps carry them like real ones (sdc-headnode build-payload.js), else this test proves nothing.
    expect(secrets.every((s) => s.length > 8)).toBe(true);
    const assets = readFileSync(
      join(rd, paths.vm('assets', loadState(t.statePath).instances.find((i) => i.alias === 'assets0')!.uuid)),
      'utf8',
    );
    expect(assets).toContain(secrets[1]);

    // A journal directory an older version left world-readable is tightened.
    const journalDir = join(t.dir, 'journal');
    mkdirSync(journalDir, { mode: 0o755 });
    chmodSync(journalDir, 0o755);
    writeFileSync(join(journalDir, 'journal.jsonl'), '', { mode: 0o644 });

    const pane: string[] = [];
    const out = await restoreIn(t, {
      journalDir,
      command: 'x',
      events: {
        actionStart: (a) => pane.push(describeAction(a)),
        output: (_a, stdout, stderr) => pane.push(stdout, stderr),
        actionEnd: (_a, r) => pane.push(r.detail),
      },
    });
    expect(out.exitCode, out.message).toBe(0);

    // Shown to people: no secret.
    expect(leaks(JSON.stringify(planJson(out.plan!)), secrets)).toEqual([]);
    expect(leaks(formatPlanText(out.plan!), secrets)).toEqual([]);
    expect(JSON.stringify(planJson(out.plan!))).toContain('"usbkey_config":"<redacted>"');
    expect(leaks(readFileSync(out.report!.md, 'utf8') + readFileSync(out.report!.json, 'utf8'), secrets)).toEqual([]);
    expect(leaks(pane.join('\n'), secrets)).toEqual([]);

    // The journal: the plan entry keeps the payloads (a rerun executes it); the transcript does not.
    const lines = readFileSync(join(journalDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
    const [planLines, rest] = [
      lines.filter((l) => l.includes('"t":"plan"')),
      lines.filter((l) => !l.includes('"t":"plan"')),
    ];
    expect(planLines.length).toBe(1);
    expect(planLines[0]).toContain(JSON.stringify(secrets[1]));
    expect(leaks(rest.join('\n'), secrets)).toEqual([]);

    expect(loose(rd)).toEqual([]);
    expect(loose(journalDir)).toEqual([]);

    // The zones were created with the secrets intact: the redaction is for display only.
    const sapi = loadState(t.statePath).instances.find((i) => i.service === 'sapi' && i.server === 'headnode1')!;
    const md = (sapi.payload as { customer_metadata: Record<string, string> }).customer_metadata;
    expect(md['ufds_ldap_root_pw']).toBe(secrets[1]);
    expect(md['usbkey_config']).toContain(secrets[2]);
  });

  it('a sync writes restore-data root only (dumps, streams, images, its lock), with the raw dumps kept whole', async () => {
    const t = await openHealthy();
    const r = await runSync(syncOpts(t));
    expect(r.exitCode, r.message).toBe(0);
    expect(loose(t.sim.restoreDataDir)).toEqual([]);
    // Kept raw: the restore re-creates sapi0 from this dump, usbkey_config included.
    expect(secretsOf(t.sim.restoreDataDir).every((s) => s.length > 8)).toBe(true);
  });
});
