// The restore's health wait against the simulator: it trusts a new zone only
// once its setup says it finished (setup_complete), as headnode.sh does.
import { describe, expect, it } from 'vitest';
import { ActionFailed, execute, type ActionContext } from '../../src/steps/actions.js';
import type { WaitHealthy } from '../../src/state/plan-action.js';
import { openTestSim, scenario, type TestSim } from '../support/sim-dc.js';
import { corePayload, REF } from '../support/reference.js';
import type { Scenario } from '../../src/remote/sim/scenario.js';

/** sapi0's own uuid: its SAPI record exists, so a zone created with it completes its setup. */
const NEW_SAPI = REF.sapi0.uuid;
const NEW_REDIS = '11111111-2222-4333-8444-555555555502';
// A first boot of 600 ms: its early, SMF-clean part spans many polls even on a busy machine.
const SPEED = 100;
const slowBoot = (edit?: (s: Scenario) => void): Scenario =>
  scenario((x) => {
    x.latencyMs['zone first boot'] = 60_000;
    edit?.(x);
  });
const timing = { pollMs: 5, healthTimeoutMs: 5_000, commandTimeoutMs: 5_000 };

const payload = corePayload;

const waitAction = (uuid: string): WaitHealthy => ({
  id: `x/${uuid}/wait-healthy`,
  kind: 'wait-healthy',
  host: 'headnode1',
  uuid,
  checks: [],
  summary: 'wait',
});

async function boot(t: TestSim, uuid: string, alias: string, image: string, ip: string): Promise<ActionContext> {
  expect((await t.run('headnode1', ['vmadm', 'create'], payload(uuid, alias, image, ip))).code).toBe(0);
  expect((await t.run('headnode1', ['vmadm', 'start', uuid])).code).toBe(0);
  return { dc: t.sim, timing };
}

describe('wait-healthy', () => {
  it('does not call a zone healthy while SMF looks clean but setup has not run: a doomed first boot fails', async () => {
    const t = await openTestSim(slowBoot(), SPEED);
    // No SAPI record for it: its setup cannot fetch its config and fails.
    const ctx = await boot(t, NEW_REDIS, 'amonredis1', REF.amonredis0.image, '10.99.99.61');
    const err = await execute(ctx, waitAction(NEW_REDIS)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionFailed);
    expect((err as ActionFailed).output).toContain('maintenance');
    expect((err as ActionFailed).hint).toContain(`vmadm delete ${NEW_REDIS}`);
  });

  it('is healthy only once setup_complete is written', async () => {
    const t = await openTestSim(slowBoot(), SPEED);
    const ctx = await boot(t, NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60');
    const said = await execute(ctx, waitAction(NEW_SAPI));
    expect(said).toContain('setup complete');
    expect(t.sim.world.instanceOn('headnode1', NEW_SAPI)!.setupDoneAt).toBeDefined();
  });

  it('a setup_failed marker is an immediate failure that says what to do', async () => {
    const marker = `/zones/${NEW_SAPI}/root/var/svc/setup_failed`;
    // An image whose setup writes setup_failed (today's sdc-scripts does not; headnode.sh still reads it).
    const t = await openTestSim(
      slowBoot((x) => {
        const hn1 = x.servers.find((s) => s.hostname === 'headnode1')!;
        hn1.files = { ...(hn1.files ?? {}), [marker]: '' };
      }),
      SPEED,
    );
    const ctx = await boot(t, NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60');
    const started = Date.now();
    const err = await execute(ctx, waitAction(NEW_SAPI)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionFailed);
    expect((err as ActionFailed).command).toBe(`test -f ${marker}`);
    expect((err as ActionFailed).hint).toContain(`vmadm delete ${NEW_SAPI}`);
    expect(Date.now() - started).toBeLessThan(timing.healthTimeoutMs / 2);
  });

  it('is not fooled by another zone answering on its IP: a duplicate address fails at once, naming the IP and what to do', async () => {
    const t = await openTestSim(scenario(), SPEED);
    // sapi0 (its SAPI record exists: its setup completes) re-created on moray2's IP; moray2 keeps the IP and answers /ping.
    const moray2 = t.sim.world.state.instances.find((i) => i.alias === 'moray2')!;
    const ctx = await boot(t, REF.sapi0.uuid, 'sapi0', REF.sapi0.image, moray2.adminIp);
    expect((await t.http('GET', `http://${moray2.adminIp}/ping`)).status).toBe(200);
    const wait: WaitHealthy = {
      ...waitAction(REF.sapi0.uuid),
      http: { method: 'GET', url: `http://${moray2.adminIp}/ping` },
    };
    const err = await execute(ctx, wait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionFailed);
    const f = err as ActionFailed;
    expect(f.command).toBe(`zlogin ${REF.sapi0.uuid} ipadm show-addr -p -o addrobj,state,addr`);
    expect(f.output).toContain(`net0/_a ${moray2.adminIp} of sapi0 (${REF.sapi0.uuid}) is DUPLICATE`);
    expect(f.hint).toContain(`vmadm stop ${REF.sapi0.uuid}; vmadm start ${REF.sapi0.uuid}`);
  });
});
