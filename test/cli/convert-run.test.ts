// `convert SERVER --yes` end to end against the simulated DC (real processes,
// real state and journal files), and kill -9 at many points, then a rerun:
// the server ends a headnode with the HA layout, rebooted once, nothing twice.
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SIM_SDCADM_BUILDSTAMP,
  SIM_SDCADM_DEPLOYED_IMAGE,
  SIM_SDCADM_IMAGE,
  tgzMembers,
} from '../../src/remote/sim/usbkey-key.js';
import { USBKEY_BASE_NAMES } from '../../src/state/convert-plan.js';
import { tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const CN0 = REF.cn0.uuid;

interface Inst {
  service: string;
  alias: string;
  server: string;
  state?: string;
}
interface State {
  servers: { hostname: string; headnode: boolean; usbkey: boolean }[];
  instances: Inst[];
  manatee: { async: string[] };
  sim: { events: { what: string }[] };
}

/** Every headnode alive; `thin`: the DC has only 2 binders, 2 manatees and 2 morays. */
function scenario(dir: string, thin: boolean): string {
  const s = JSON.parse(readFileSync(contract, 'utf8'));
  s.servers[0].alive = true;
  // A shutdown slower than the console's restart: a rerun finds the server still
  // up after a reboot was sent, and must not send another.
  s.latencyMs['server shutdown'] = 1_200_000;
  if (thin) {
    s.instances = s.instances.filter((i: Inst) => !['binder2', 'manatee2', 'moray2'].includes(i.alias));
    s.manatee.async = [];
  }
  const f = join(dir, 'scenario.json');
  writeFileSync(f, JSON.stringify(s));
  return f;
}

const args = (dir: string, thin: boolean, speed = '400'): string[] => [
  'convert',
  'cn0',
  '--yes',
  '--sim',
  scenario(dir, thin),
  '--sim-state',
  join(dir, 's.json'),
  '--sim-speed',
  speed,
];
const state = (dir: string): State => JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as State;
const journalPath = (dir: string): string => join(dir, 's.journal', `convert-${CN0}`, 'journal.jsonl');
const journalLines = (dir: string): number =>
  existsSync(journalPath(dir)) ? readFileSync(journalPath(dir), 'utf8').split('\n').filter(Boolean).length : 0;

/** What must hold after a finished conversion, whatever happened on the way. */
function converted(dir: string, thin: boolean): string[] {
  const s = state(dir);
  const bad: string[] = [];
  const cn0 = s.servers.find((x) => x.hostname === 'cn0')!;
  if (!cn0.headnode || !cn0.usbkey) bad.push('cn0 is not a headnode');
  const reboots = s.sim.events.filter((e) => e.what.startsWith('cn0 rebooting')).length;
  if (reboots !== 1) bad.push(`cn0 was rebooted ${reboots} times`);
  const live = s.instances.filter((i) => i.state !== 'destroyed');
  for (const svc of thin ? ['binder', 'manatee', 'moray', 'dhcpd'] : ['dhcpd']) {
    const n = live.filter((i) => i.service === svc && i.server === 'cn0').length;
    if (n !== 1) bad.push(`${n} ${svc} instance(s) on cn0`);
  }
  for (const svc of ['binder', 'manatee', 'moray']) {
    const n = live.filter((i) => i.service === svc).length;
    if (n !== 3) bad.push(`${n} ${svc} instances in the DC`);
  }
  const aliases = live.map((i) => i.alias);
  if (new Set(aliases).size !== aliases.length) bad.push(`an alias twice: ${aliases.join(' ')}`);
  if (thin && s.manatee.async.length !== 1) bad.push(`manatee asyncs: ${s.manatee.async.join(',')}`);
  return bad;
}

describe('triton-recover convert --yes', () => {
  it('makes cn0 a headnode with a dhcpd (the DC already has 3 binders, manatees, morays); a rerun exits 2', async () => {
    const dir = tempDir('tr-conv-');
    const r = await execa(bin, args(dir, false), { reject: false, stdin: 'ignore' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('DONE: cn0 is a headnode with the HA layout');
    expect(r.stderr).toMatch(/OK {3}reboot cn0/);
    expect(converted(dir, false)).toEqual([]);
    // The new headnode's USB key got its own config: its hostname and IP, not the primary's external IP.
    const cn0 = (
      JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as {
        servers: { hostname: string; files: Record<string, string> }[];
      }
    ).servers.find((x) => x.hostname === 'cn0')!;
    expect(cn0.files['/usbkey/config']).toContain('hostname=cn0\n');
    expect(cn0.files['/usbkey/config']).toContain(`admin_ip=${REF.cn0.adminIp}\n`);
    expect(cn0.files['/usbkey/config']).not.toContain('external_ip=');
    // The config holds password hashes on a real DC: not in the journal, not left where assets serves it.
    const journal = readFileSync(journalPath(dir), 'utf8');
    expect(journal).not.toContain('datacenter_name=');
    expect(journal).toContain('not recorded: it holds password hashes');
    const hn0 = (
      JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as {
        servers: { hostname: string; files: Record<string, string> }[];
      }
    ).servers.find((x) => x.hostname === 'headnode0')!;
    expect(Object.keys(hn0.files).filter((f) => f.endsWith(`${CN0}.config`))).toEqual([]);
    expect(Object.keys(hn0.files)).toContain(`/usbkey/extra/headnode-prepare/${CN0}.networking.json`);
    // The key base as the prototype packs it: the physical key mounted without case folding, and the sdcadm installer.
    const base = tgzMembers(hn0.files['/usbkey/extra/headnode-prepare/usbkey-base.tgz']);
    expect([...base.keys()].sort()).toEqual([...USBKEY_BASE_NAMES, 'sdcadm-install.sh'].sort());
    expect(base.get('os')).toEqual({ from: '/mnt/usbkey', tag: 'key' });
    expect(base.get('sdcadm-install.sh')?.from).toBe('/usbkey/extra/sdcadm');
    // The installer of the sdcadm headnode0 runs (its etc/buildstamp), not merely the latest build.
    expect(hn0.files['/usbkey/extra/sdcadm/sdcadm.sh']).toContain(SIM_SDCADM_DEPLOYED_IMAGE);
    expect(journal).toContain(`the build this headnode runs: ${SIM_SDCADM_BUILDSTAMP}`);
    expect((hn0 as { usbkeyMount?: string }).usbkeyMount, 'unmounted again, as it was').toBeUndefined();
    const again = await execa(bin, args(dir, false), { reject: false, stdin: 'ignore' });
    expect(again.exitCode).toBe(2);
    expect(again.stdout).toContain('cn0 is already a headnode: its conversion finished');
    // Reinstalled as a compute node later: the old journal is set aside and a new conversion runs in full.
    const st = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { servers: Record<string, unknown>[] };
    Object.assign(
      st.servers.find((x) => x['hostname'] === 'cn0')!,
      { headnode: false, headnodeKey: false, usbkey: false },
    );
    writeFileSync(join(dir, 's.json'), JSON.stringify(st));
    const third = await execa(bin, args(dir, false), { reject: false, stdin: 'ignore' });
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/OK {3}reboot cn0/);
    expect(
      readdirSync(join(dir, 's.journal', `convert-${CN0}`)).filter((f) => /^journal-.*\.jsonl$/.test(f)),
    ).toHaveLength(1);
  }, 60_000);

  it('a thin DC gets a binder (ha-binder), a third manatee peer, a moray and a dhcpd on cn0', async () => {
    const dir = tempDir('tr-conv-');
    const r = await execa(bin, args(dir, true), { reject: false, stdin: 'ignore' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('sdcadm post-setup ha-binder -y headnode0 headnode1 cn0');
    expect(r.stderr).toContain('manatee-adm pg-status: 3 peers with postgres ok');
    expect(r.stderr).toContain('ZooKeeper answers imok');
    expect(converted(dir, true)).toEqual([]);
  }, 60_000);

  it('a server that PXE boots comes back as a compute node: a clear failure at once, not a timeout; fixed, the rerun reboots it once more', async () => {
    const dir = tempDir('tr-conv-');
    const s = JSON.parse(readFileSync(contract, 'utf8'));
    s.servers[0].alive = true;
    s.servers.find((x: { hostname: string }) => x.hostname === 'cn0').bootsFrom = 'pxe';
    writeFileSync(join(dir, 'p.json'), JSON.stringify(s));
    const a = [
      'convert',
      'cn0',
      '--yes',
      '--sim',
      join(dir, 'p.json'),
      '--sim-state',
      join(dir, 's.json'),
      '--sim-speed',
      '400',
    ];
    const r = await execa(bin, a, { reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(3);
    expect(r.stdout + r.stderr).toContain('must boot from its USB key, not PXE');
    expect(r.stderr).toContain('as a compute node (no headnode=true in bootparams)');
    expect(r.stdout + r.stderr).toContain('set cn0 to boot from its USB key');
    expect(r.stderr).not.toContain('did not come back as a headnode within');
    // The operator sets the boot order to the USB key.
    const st = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { servers: Record<string, unknown>[] };
    st.servers.find((x) => x['hostname'] === 'cn0')!['bootsFrom'] = 'usb';
    writeFileSync(join(dir, 's.json'), JSON.stringify(st));
    const again = await execa(bin, a, { reject: false, stdin: 'ignore' });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/OK {3}reboot cn0/);
    const bad = converted(dir, false);
    expect(bad).toEqual(['cn0 was rebooted 2 times']);
  }, 60_000);

  it('an sdcadm build the updates server does not have (a dev build): the latest installer instead, and said so', async () => {
    const dir = tempDir('tr-conv-');
    const s = JSON.parse(readFileSync(contract, 'utf8'));
    s.servers[0].alive = true;
    s.servers[0].files = { '/opt/smartdc/sdcadm/etc/buildstamp': 'master-20990101T000000Z-gdeadbee-dirty\n' };
    writeFileSync(join(dir, 'f.json'), JSON.stringify(s));
    const r = await execa(
      bin,
      [
        'convert',
        'cn0',
        '--yes',
        '--sim',
        join(dir, 'f.json'),
        '--sim-state',
        join(dir, 's.json'),
        '--sim-speed',
        '400',
      ],
      { reject: false, stdin: 'ignore' },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const hn0 = (
      JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as {
        servers: { hostname: string; files: Record<string, string> }[];
      }
    ).servers.find((x) => x.hostname === 'headnode0')!;
    expect(hn0.files['/usbkey/extra/sdcadm/sdcadm.sh']).toContain(SIM_SDCADM_IMAGE);
    expect(readFileSync(journalPath(dir), 'utf8')).toContain(
      'the latest build: the updates server has no sdcadm image with buildstamp master-20990101T000000Z-gdeadbee',
    );
  }, 60_000);

  it('a failing sdcadm stops the run with exit 3, the command and what next; the rerun finishes', async () => {
    const dir = tempDir('tr-conv-');
    const s = JSON.parse(readFileSync(contract, 'utf8'));
    s.servers[0].alive = true;
    s.faults = [{ command: 'sdcadm create', effect: 'fail', times: 1 }];
    writeFileSync(join(dir, 'f.json'), JSON.stringify(s));
    const a = [
      'convert',
      'cn0',
      '--yes',
      '--sim',
      join(dir, 'f.json'),
      '--sim-state',
      join(dir, 's.json'),
      '--sim-speed',
      '400',
    ];
    const r = await execa(bin, a, { reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('FAILED on headnode0: a dhcpd on cn0');
    expect(r.stderr).toContain('command: headnode0$ sdcadm create dhcpd -s cn0 --dev-allow-multiple-instances -y');
    expect(r.stdout).toContain('next:');
    const again = await execa(bin, a, { reject: false, stdin: 'ignore' });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming the journaled conversion');
    expect(again.stderr).not.toMatch(/OK {3}reboot cn0/);
    expect(again.stderr).toMatch(/OK {3}a dhcpd on cn0/);
    expect(converted(dir, false)).toEqual([]);
  }, 60_000);
});

describe('a conversion cut after its last step', () => {
  it('the rerun finishes it (exit 0, DONE) instead of refusing an "already headnode"', async () => {
    const dir = tempDir('tr-conv-cut-');
    const first = await execa(bin, args(dir, true), { reject: false, stdin: 'ignore' });
    expect(first.exitCode, first.stderr).toBe(0);
    // As if kill -9 landed after the last step's end and before the run's stop line.
    const lines = readFileSync(journalPath(dir), 'utf8').split('\n').filter(Boolean);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ t: 'stop', exitCode: 0 });
    writeFileSync(journalPath(dir), lines.slice(0, -1).join('\n') + '\n');
    const rerun = await execa(bin, args(dir, true), { reject: false, stdin: 'ignore' });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/^DONE: cn0 is a secondary headnode: every step of its conversion had finished/m);
    expect(converted(dir, true)).toEqual([]);
    // A third run, after one that said so, is the plain refusal: nothing to convert.
    const third = await execa(bin, args(dir, true), { reject: false, stdin: 'ignore' });
    expect(third.exitCode).toBe(2);
    expect(third.stdout).toContain('is already a headnode: its conversion finished');
  }, 120_000);
});

/** Run until the journal has `lines` entries (or `ms` passed, or it shows `text` and then `after` ms passed), then SIGKILL. */
async function killAt(
  dir: string,
  at: { lines?: number; ms?: number; text?: string; after?: number },
): Promise<boolean> {
  const p: ResultPromise = execa(bin, args(dir, true), { reject: false, stdin: 'ignore' });
  const start = Date.now();
  let killed = false;
  let seenAt: number | undefined;
  while (p.exitCode === null && !killed) {
    if (
      at.text !== undefined &&
      seenAt === undefined &&
      existsSync(journalPath(dir)) &&
      readFileSync(journalPath(dir), 'utf8').includes(at.text)
    )
      seenAt = Date.now();
    const textDue = seenAt !== undefined && Date.now() - seenAt >= (at.after ?? 0);
    if (
      (at.lines !== undefined && journalLines(dir) >= at.lines) ||
      (at.ms !== undefined && Date.now() - start >= at.ms) ||
      textDue
    ) {
      p.kill('SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await p;
  return killed;
}

// Journal lines land right before/after actions (the sdcadm installer is
// fetched at 8-14, the USB key mounted at 15-17, packed at 18-21, unmounted at
// 22; the reboot starts at 46, its wait at 49); time offsets land inside
// commands, the reboot wait included.
const POINTS: { lines?: number; ms?: number; text?: string; after?: number }[] = [
  ...[2, 4, 10, 15, 17, 18, 21, 22, 24, 28, 33, 38, 40, 42, 46, 47, 48, 49, 52, 55, 57, 60, 62, 67, 70].map(
    (lines) => ({ lines }),
  ),
  ...[500, 900, 1200].map((ms) => ({ ms })),
  // Around the reboot: journaled but not sent yet, sent while the server still
  // answers (its shutdown takes a moment), and down. Never sent twice.
  ...[0, 5, 15, 40, 120].map((after) => ({ text: '"t":"start","id":"reboot/reboot"', after })),
];

describe('kill -9 during a conversion, then rerun', () => {
  it.concurrent.each(POINTS.map((p, i) => [i, p] as const))(
    'point %i %o',
    async (_i, point) => {
      const dir = tempDir('tr-conv-kill-');
      expect(await killAt(dir, point)).toBe(true);
      const rerun = await execa(bin, args(dir, true), { reject: false, stdin: 'ignore' });
      const why = `${dir}\n${rerun.stdout.slice(-1500)}\n${rerun.stderr.slice(-3000)}`;
      expect(rerun.exitCode, why).toBe(0);
      expect(converted(dir, true), why).toEqual([]);
      const entries = readFileSync(journalPath(dir), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { t: string; id?: string; ok?: boolean; skipped?: boolean });
      const ran = new Map<string, number>();
      for (const e of entries)
        if (e.t === 'end' && e.ok && !e.skipped && e.id && !e.id.endsWith('-wait') && e.id !== 'reboot/wait')
          ran.set(e.id, (ran.get(e.id) ?? 0) + 1);
      expect(
        [...ran].filter(([, n]) => n > 1),
        why,
      ).toEqual([]);
      expect(
        readdirSync(join(dir, 's.journal')).filter((f) => f === 'lock.json'),
        'the lock is released',
      ).toEqual([]);
    },
    120_000,
  );
});
