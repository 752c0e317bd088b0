// `sync` as cron/SMF runs it (env -i: no SSH_AUTH_SOCK, empty HOME) against the
// simulator served over a real ssh2 server: it logs in with the persistent identity
// that ssh-setup made, and still does after a peer headnode reboots (SmartOS: /root
// is a ramdisk; the key comes back from /usbkey/config.inc/root.authorized_keys).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthy } from '../support/sync-dc.js';
import { rebootOtherHeadnodes, tempDir } from '../support/sim-dc.js';
import { cron, freePort } from '../support/cli.js';

describe('unattended sync over SSH (issue 12)', () => {
  it('fails clearly with no key, works after ssh-setup with no agent and no HOME, and still after a peer reboots', async () => {
    const dir = tempDir();
    const scen = join(dir, 'healthy.json');
    writeFileSync(scen, JSON.stringify(healthy()));
    const state = join(dir, 's.json');
    const port = String(await freePort());
    const base = ['--sim', scen, '--sim-state', state, '--restore-data', join(dir, 'rd'), '--sim-speed', '200'];
    const sync = [...base, '--sim-ssh', port, 'sync', '--min-free-mb', '1'];

    const before = await cron(sync);
    expect(before.exitCode).not.toBe(0);
    expect(before.stdout + before.stderr).toContain('no SSH key to log in to');
    expect(before.stdout + before.stderr).toContain('triton-recover ssh-setup');

    // Installs the key in each simulated GZ (the sim's own hosts need no login).
    const install = await cron([...base, 'ssh-setup', '--yes']);
    expect(install.stdout).toMatch(/^INSTALLED /m);
    // Over the wire: the host keys are fetched and recorded; the key is already there.
    const wire = await cron([...base, '--sim-ssh', port, 'ssh-setup', '--yes']);
    expect(wire.exitCode, wire.stdout + wire.stderr).toBe(0);
    expect(wire.stdout).toMatch(/^ALREADY +\S+ \S+ SHA256:/m);
    const known = readFileSync(join(dir, 'ssh', 'known_hosts'), 'utf8');
    expect(known).toContain(`[127.0.0.1]:${port}`);

    const ok = await cron(sync);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^DONE: \d+ service\(s\) synced$/m);

    // Reboot every other headnode: their /root empties, config.inc stays.
    const peers = await rebootOtherHeadnodes(state, (sim, hostname) => {
      expect(sim.world.server(hostname)!.files?.['/usbkey/config.inc/root.authorized_keys']).toContain('ssh-ed25519');
    });
    expect(peers.length).toBeGreaterThan(0);

    const after = await cron(sync);
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    expect(existsSync(join(dir, 'ssh', 'id_ed25519'))).toBe(true);
  }, 120_000);
});
