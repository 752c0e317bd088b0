// `check` as cron or a monitoring agent runs it (env -i: no SSH_AUTH_SOCK, empty HOME),
// with --identity and --known-hosts given, against the simulator served over a real
// ssh2 server: it reaches every other headnode over SSH once ssh-setup has run, and
// still does after each of them reboots (their /root is a ramdisk; the key comes back
// from the file root_authorized_keys_file names, as smartdc-config copies it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebootOtherHeadnodes, tempDir } from '../support/sim-dc.js';
import { cron, freePort } from '../support/cli.js';

const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');

interface Evidence {
  signal: string;
  says: string;
  ok: boolean;
  detail: string;
}
interface Report {
  headnodes: { hostname: string; local: boolean; evidence: Evidence[] }[];
}

/** Each other headnode's SSH evidence from `check --json`. */
function sshEvidence(stdout: string): Map<string, Evidence | undefined> {
  const r = JSON.parse(stdout) as Report;
  return new Map(
    r.headnodes.filter((h) => !h.local).map((h) => [h.hostname, h.evidence.find((e) => e.signal === 'ssh')]),
  );
}

describe('unattended check over SSH (issue 12)', () => {
  it('--identity/--known-hosts, no agent, empty HOME: every peer headnode over SSH, also after each reboots', async () => {
    const dir = tempDir();
    const s = JSON.parse(readFileSync(contract, 'utf8'));
    for (const srv of s.servers) srv.alive = true;
    writeFileSync(join(dir, 'all-up.json'), JSON.stringify(s));
    const state = join(dir, 's.json');
    const port = String(await freePort());
    const keys = ['--identity', join(dir, 'keys', 'triton-recover'), '--known-hosts', join(dir, 'keys', 'hosts')];
    const base = ['--sim', join(dir, 'all-up.json'), '--sim-state', state, '--sim-speed', '200', ...keys];
    const check = [...base, '--sim-ssh', port, 'check', '--json'];

    const before = sshEvidence((await cron(check)).stdout);
    expect([...before.keys()].sort()).toEqual(['headnode0', 'headnode2']);
    for (const [h, e] of before) expect(e?.ok, `${h}: ${e?.detail}`).toBe(false);

    expect((await cron([...base, 'ssh-setup', '--yes'])).exitCode).toBe(0);
    const wire = await cron([...base, '--sim-ssh', port, 'ssh-setup', '--yes']);
    expect(wire.exitCode, wire.stdout + wire.stderr).toBe(0);
    expect(wire.stdout).toMatch(
      /^ALREADY +headnode0 \S+ SHA256:\S+ \(kept in \/usbkey\/config\.inc\/root\.authorized_keys\)/m,
    );

    const reached = async (when: string): Promise<void> => {
      const r = await cron(check);
      const ev = sshEvidence(r.stdout);
      expect(ev.size, when).toBe(2);
      for (const [h, e] of ev) expect(e, `${when}: ${h}: ${e?.detail}`).toMatchObject({ ok: true, says: 'alive' });
    };
    await reached('after ssh-setup');

    // Each other headnode reboots: its /root empties and its boot restores root's keys.
    await rebootOtherHeadnodes(state);
    await reached('after every peer rebooted');
  }, 120_000);
});
