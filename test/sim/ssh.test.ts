// The simulated DC reached over a real SSH wire (ssh2 server on 127.0.0.1).
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import { serveSimOverSshWithFreshKeys, type SimSshService } from '../../src/remote/sim/serve-ssh.js';
import { getSysinfo } from '../../src/remote/triton/sysinfo.js';
import { vmadmLookup } from '../../src/remote/triton/vmadm.js';
import { detect } from '../../src/steps/detect.js';
import { inventoryFromRestoreData, readRestoreData } from '../../src/steps/restore-data.js';
import { openTestSim, scenario, tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

async function serve(edit?: Parameters<typeof scenario>[0]): Promise<SimSshService> {
  const t = await openTestSim(scenario(edit), 100);
  return serveSimOverSshWithFreshKeys(t.sim, tempDir(), { connectTimeoutMs: 300 });
}

describe('simulated DC over SSH', () => {
  let svc: SimSshService | undefined;
  afterEach(async () => {
    await svc?.close();
    svc = undefined;
  });

  it('runs GZ commands on a peer headnode in real output formats', async () => {
    svc = await serve();
    const hn2 = svc.dc.peer('headnode2', REF.headnode2.adminIp);
    const si = await getSysinfo(hn2, { timeoutMs: 5_000 });
    expect(si.Hostname).toBe('headnode2');
    expect(si['Boot Parameters']['headnode']).toBe('true');
    const binders = await vmadmLookup(hn2, { 'tags.smartdc_role': 'binder' }, { timeoutMs: 5_000 });
    expect(binders.map((b) => b.alias)).toEqual(['binder2']);
  });

  it('a dead server never answers: the SSH connect times out as unreachable', async () => {
    svc = await serve();
    const err = await svc.dc
      .peer('headnode0', REF.headnode0.adminIp)
      .run(['sysinfo'], { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).kind).toBe('unreachable');
    expect((err as RemoteError).mayHaveRun).toBe(false);
  });

  it('a disconnect fault drops the link mid-command: the effect happened, the client cannot know', async () => {
    svc = await serve((s) => (s.faults = [{ command: 'vmadm stop', effect: 'disconnect', times: 1 }]));
    const hn2 = svc.dc.peer('headnode2', REF.headnode2.adminIp);
    const err = await hn2.run(['vmadm', 'stop', REF.binder2.uuid], { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect((err as RemoteError).kind).toBe('connection-lost');
    expect((err as RemoteError).mayHaveRun).toBe(true);
    // The next command reconnects, and sees the stop did happen.
    const vm = await hn2.run(['vmadm', 'get', REF.binder2.uuid], { timeoutMs: 5_000 });
    expect(JSON.parse(vm.stdout).state).toBe('stopped');
  });

  it('detection over SSH agrees with the in-process simulator', async () => {
    svc = await serve();
    const inv = inventoryFromRestoreData(await readRestoreData(svc.dc.restoreDataDir));
    const det = await detect(svc.dc, inv, { timeoutMs: 3_000 });
    expect(det.primary?.state).toBe('dead');
    expect(det.headnodes.find((h) => h.hostname === 'headnode2')?.state).toBe('alive');
    expect(det.primary?.evidence.find((e) => e.signal === 'ssh')?.detail).toContain('connection timed out');
  });
});
