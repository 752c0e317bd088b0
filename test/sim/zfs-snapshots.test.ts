// The simulator's zfs snapshots, send and receive behave like real zfs where sync and restore rely on it.
import { describe, expect, it } from 'vitest';
import { parseSimStream } from '../../src/remote/sim/zfs-stream.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const healthy = () => scenario((s) => s.servers.forEach((x) => (x.alive = true)));
const SAPI = REF.sapi0.uuid; // sapi0 on headnode0
const DS = `zones/${SAPI}/data`;

describe('simulated zfs snapshots, send, recv', () => {
  it('snapshots are listed oldest first; send is full or incremental; a missing snapshot fails like zfs', async () => {
    const t = await openTestSim(healthy());
    expect((await t.run('headnode0', ['zfs', 'snapshot', `${DS}@a`])).code).toBe(0);
    expect((await t.run('headnode0', ['zfs', 'snapshot', `${DS}@a`])).stderr).toContain(
      `cannot create snapshot '${DS}@a': dataset already exists`,
    );
    await new Promise((r) => setTimeout(r, 20));
    await t.run('headnode0', ['zfs', 'snapshot', `${DS}@b`]);
    const list = await t.run('headnode0', [
      'zfs',
      'list',
      '-H',
      '-o',
      'name',
      '-t',
      'snapshot',
      '-s',
      'createtxg',
      '-d',
      '1',
      DS,
    ]);
    expect(list.stdout).toBe(`${DS}@a\n${DS}@b\n`);

    const full = await t.run('headnode0', ['zfs', 'send', `${DS}@b`]);
    expect(parseSimStream(Buffer.from(full.stdout, 'latin1'))).toMatchObject({
      ok: true,
      snapshot: `${DS}@b`,
      bytes: 2 * 1024 * 1024,
    });
    const est = await t.run('headnode0', ['zfs', 'send', '-n', '-P', `${DS}@b`]);
    expect(est.stdout).toBe(`full\t${DS}@b\t${full.stdout.length}\nsize\t${full.stdout.length}\n`);
    const inc = await t.run('headnode0', ['zfs', 'send', '-i', '@a', `${DS}@b`]);
    const parsed = parseSimStream(Buffer.from(inc.stdout, 'latin1'));
    expect(parsed).toMatchObject({ ok: true, from: `${DS}@a`, snapshot: `${DS}@b` });
    // 20 ms at speed 1000 is 20 simulated seconds of change: a little over the minimum.
    expect(parsed.ok && parsed.bytes).toBeGreaterThan(1024);
    expect(parsed.ok && parsed.bytes).toBeLessThan(2 * 1024 * 1024);

    expect(await t.run('headnode0', ['zfs', 'send', `${DS}@nope`])).toMatchObject({
      code: 1,
      stderr: `cannot open '${DS}@nope': dataset does not exist\n`,
    });
    expect((await t.run('headnode0', ['zfs', 'send', '-i', `${DS}@nope`, `${DS}@b`])).code).toBe(1);
    expect((await t.run('headnode0', ['zfs', 'send', '-i', '@b', `${DS}@a`])).stderr).toContain('not earlier');
    expect((await t.run('headnode0', ['zfs', 'destroy', `${DS}@a`])).code).toBe(0);
    expect((await t.run('headnode0', ['zfs', 'destroy', `${DS}@a`])).code).toBe(1);
    expect((await t.run('headnode0', ['zfs', 'destroy', DS])).code).toBe(1);
  });

  it('an incremental is received only on top of its base; a full -F receive replaces', async () => {
    const t = await openTestSim(healthy());
    for (const s of ['a', 'b', 'c']) {
      await t.run('headnode0', ['zfs', 'snapshot', `${DS}@${s}`]);
      await new Promise((r) => setTimeout(r, 5));
    }
    const send = async (argv: string[]) =>
      Buffer.from((await t.run('headnode0', ['zfs', 'send', ...argv])).stdout, 'latin1');
    const fullA = await send([`${DS}@a`]);
    const ab = await send(['-i', '@a', `${DS}@b`]);
    const bc = await send(['-i', `${DS}@b`, `${DS}@c`]);
    // Into manatee1's dataset on headnode1 (a destination must not be running).
    const dest = t.sim.world.state.instances.find((i) => i.alias === 'manatee1')!;
    const D = `zones/${dest.uuid}/data`;
    await t.run('headnode1', ['vmadm', 'stop', dest.uuid]);
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', D], ab)).stderr).toContain(
      'does not\nmatch incremental source',
    );
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', D], fullA)).code).toBe(0);
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', D], bc)).stderr).toContain(
      'does not\nmatch incremental source',
    );
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', D], ab)).code).toBe(0);
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', D], bc)).code).toBe(0);
    expect((await t.run('headnode1', ['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', D])).stdout).toBe(
      `${D}@a\n${D}@b\n${D}@c\n`,
    );
    expect(t.sim.world.state.instances.find((i) => i.alias === 'manatee1')!.receivedSnapshot).toBe(`${D}@c`);
    // A full receive with -F starts the dataset over.
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', D], fullA)).code).toBe(0);
    expect((await t.run('headnode1', ['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', D])).stdout).toBe(
      `${D}@a\n`,
    );
  });

  it('killServer: the server answers nothing any more and manatee takes over', async () => {
    const t = await openTestSim(healthy());
    expect(t.sim.world.state.manatee).toMatchObject({ primary: 'manatee0', sync: 'manatee1' });
    t.sim.world.killServer('headnode0');
    expect(t.sim.world.state.manatee).toMatchObject({ primary: 'manatee1', sync: 'manatee2', deposed: ['manatee0'] });
    await expect(t.run('headnode0', ['true'], undefined, 200)).rejects.toMatchObject({ kind: 'unreachable' });
  });
  it('send -c (compressed, illumos 7252) halves the stream where the platform has it; an older zfs refuses the flag', async () => {
    const t = await openTestSim(healthy());
    await t.run('headnode0', ['zfs', 'snapshot', `${DS}@a`]);
    const plain = await t.run('headnode0', ['zfs', 'send', `${DS}@a`]);
    const c = await t.run('headnode0', ['zfs', 'send', '-c', `${DS}@a`]);
    expect(parseSimStream(Buffer.from(c.stdout, 'latin1'))).toMatchObject({ ok: true, bytes: 1024 * 1024 });
    const est = await t.run('headnode0', ['zfs', 'send', '-c', '-n', '-P', `${DS}@a`]);
    expect(est.stdout).toContain(`size\t${c.stdout.length}\n`);
    expect(c.stdout.length).toBeLessThan(plain.stdout.length);

    const old = await openTestSim(
      scenario((x) => {
        x.servers.forEach((v) => (v.alive = true));
        x.servers[0]!.platform = '20161201T000000Z';
      }),
    );
    await old.run('headnode0', ['zfs', 'snapshot', `${DS}@a`]);
    const r = await old.run('headnode0', ['zfs', 'send', '-c', '-n', '-P', `${DS}@a`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^invalid option 'c'/);
    expect((await old.run('headnode0', ['zfs', 'send', '-n', '-P', `${DS}@a`])).code).toBe(0);
  });
});
