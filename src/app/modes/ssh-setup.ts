// `ssh-setup`: the key, the peers' host keys shown to compare, the key installed.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { RemoteError } from '../../remote/errors.js';
import { CommandFailedError } from '../../remote/triton/command.js';
import { sshSettingsOf, timingOf, type GlobalOptions } from '../open-dc.js';
import { runSshSetup } from '../../steps/ssh-setup.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import { EXIT } from '../../state/exit-codes.js';
import { globals, openDc } from './shared.js';

export async function sshSetup(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { yes?: boolean }>();
  if (!o.yes && !process.stdin.isTTY) {
    process.stderr.write(
      'triton-recover ssh-setup: standard input is not a terminal, so nobody can compare the host keys.\n' +
        '  Run it from a terminal, or with --yes after checking the fingerprints it prints\n',
    );
    return EXIT.blocked;
  }
  const dc = await openDc(globals(cmd));
  const rl = o.yes ? undefined : createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    const ssh = sshSettingsOf(o, dc);
    const out = await runSshSetup({
      dc,
      identity: ssh.identity,
      knownHosts: ssh.knownHosts,
      timeoutMs: timingOf(o, dc).probeTimeoutMs,
      log: (l) => process.stdout.write(`${clean(l)}\n`),
      ...(rl ? { ask: async (q: string) => /^y(es)?$/i.test((await rl.question(q)).trim()) } : {}),
    });
    for (const p of out.peers) {
      process.stdout.write(
        `${p.status.toUpperCase().padEnd(9)} ${p.hostname} ${p.adminIp}${p.fingerprint ? ` ${p.fingerprint}` : ''}${p.persistent ? ` (kept in ${clean(p.persistent)})` : ''}${p.detail ? `: ${clean(p.detail)}` : ''}\n`,
      );
    }
    const bad = out.peers.filter((p) => p.status === 'failed' || p.status === 'declined' || p.status === 'live-only');
    if (bad.length === 0)
      process.stdout.write(`done: sync and restore now log in with ${ssh.identity}, checking ${ssh.knownHosts}\n`);
    return bad.length === 0 ? EXIT.ok : EXIT.blocked;
  } catch (e) {
    if (e instanceof RemoteError || e instanceof CommandFailedError || !(e instanceof Error)) throw e;
    process.stderr.write(`triton-recover ssh-setup: ${clean(e.message)}\n`);
    return EXIT.blocked;
  } finally {
    rl?.close();
    await dc.close();
  }
}
