// Each restore action kind, alone: what prepare looks at on a rerun (is it
// already done? is it unsafe to go on?) and what execute runs, exactly. The
// whole-restore and kill -9 tests prove the runs; these pin each rule, so a
// change to one kind's idempotency shows here by name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ActionFailed, execute, prepare, type ActionContext, type Prepared } from '../../src/steps/actions.js';
import {
  argvOf,
  type ApiAction,
  type CreateVm,
  type InstallImage,
  type PlanAction,
} from '../../src/state/plan-action.js';
import { FakeDc } from '../support/fake-dc.js';
import { REF } from '../support/reference.js';

const VM = REF.sapi0.uuid;
const IMG = '94219f1a-7a1a-4a8f-9d2b-6a3a5b1c2d3e';
const SERVER = '564d555a-328d-c8c4-4166-fc96982fa89f';
const SAPI = 'http://10.99.99.30';
const ZONEPATH = `/zones/${VM}`;

const tmp = mkdtempSync(join(tmpdir(), 'tr-actions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function vmJson(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    uuid: VM,
    alias: 'sapi0',
    brand: 'joyent-minimal',
    state: 'running',
    zonepath: ZONEPATH,
    nics: [
      {
        interface: 'net0',
        mac: '90:da:a9:24:90:90',
        nic_tag: 'admin',
        ip: '10.99.99.30',
        netmask: '255.255.255.0',
        primary: true,
      },
    ],
    ...extra,
  });
}
const NO_ZONE = { code: 1, stderr: `Could not load VM ${VM}: No such zone configured\n` };

const A = {
  installImage: (): InstallImage => ({
    id: `image/${IMG}/install-image`,
    kind: 'install-image',
    host: 'headnode1',
    image: IMG,
    manifest: '/rd/images/m.json',
    file: '/rd/images/i.file',
    summary: 'install image',
  }),
  createVm: (): CreateVm => ({
    id: 'sapi/sapi0/create-vm',
    kind: 'create-vm',
    host: 'headnode1',
    uuid: VM,
    alias: 'sapi0',
    payload: { uuid: VM, alias: 'sapi0', autoboot: false },
    summary: 'create sapi0',
  }),
  receive: (stream: string, snapshot?: string): PlanAction => ({
    id: 'sapi/sapi0/receive-dataset',
    kind: 'receive-dataset',
    host: 'headnode1',
    uuid: VM,
    stream,
    ...(snapshot ? { snapshot } : {}),
    summary: 'receive its data',
  }),
  start: (): PlanAction => ({
    id: 'sapi/sapi0/start-vm',
    kind: 'start-vm',
    host: 'headnode1',
    uuid: VM,
    summary: 'start sapi0',
  }),
  waitHealthy: (ping = true): PlanAction => ({
    id: 'sapi/sapi0/wait-healthy',
    kind: 'wait-healthy',
    host: 'headnode1',
    uuid: VM,
    checks: [],
    ...(ping ? { http: { method: 'GET' as const, url: `${SAPI}/ping` } } : {}),
    summary: 'wait',
  }),
  sapiInstance: (): ApiAction => ({
    id: 'sapi/sapi0/sapi-instance',
    kind: 'sapi-instance',
    host: 'headnode1',
    http: {
      method: 'POST',
      url: `${SAPI}/instances`,
      body: { service_uuid: 'svc', uuid: VM, params: { alias: 'sapi0', server_uuid: SERVER } },
    },
    summary: 'record',
  }),
  releaseNic: (): ApiAction => ({
    id: 'reconcile/release-nic',
    kind: 'release-nic',
    host: 'headnode1',
    http: { method: 'DELETE', url: 'http://10.99.99.10/nics/90daa9249090' },
    summary: 'release',
  }),
  updateSapiInstance: (): ApiAction => ({
    id: 'reconcile/sapi0/update-sapi-instance',
    kind: 'update-sapi-instance',
    host: 'headnode1',
    http: {
      method: 'PUT',
      url: `${SAPI}/instances/${VM}`,
      body: { action: 'update', params: { server_uuid: SERVER } },
    },
    summary: 'move',
  }),
  updateMetadata: (): ApiAction => ({
    id: 'reconcile/update-sapi-metadata',
    kind: 'update-sapi-metadata',
    host: 'headnode1',
    http: {
      method: 'PUT',
      url: `${SAPI}/applications/app`,
      body: { action: 'update', metadata: { sapi_admin_ips: '10.99.99.30', 'sapi-url': SAPI } },
    },
    summary: 'metadata',
  }),
  updateBoot: (): ApiAction => ({
    id: 'reconcile/update-boot-params',
    kind: 'update-boot-params',
    host: 'headnode1',
    http: {
      method: 'POST',
      url: 'http://10.99.99.22/boot/default',
      body: { kernel_args: { rabbitmq: 'guest:guest:10.99.99.20:5672' } },
    },
    summary: 'boot params',
  }),
};

function ctx(dc: FakeDc, over: Partial<ActionContext['timing']> = {}): ActionContext {
  return { dc, timing: { pollMs: 1, healthTimeoutMs: 2_000, commandTimeoutMs: 5_000, ...over } };
}

async function prepared(dc: FakeDc, a: PlanAction): Promise<Prepared> {
  const r = await prepare(ctx(dc), a);
  dc.verify();
  return r;
}

/** The ActionFailed a call rejects with, to look at what the operator is told. */
async function failure(p: Promise<unknown>): Promise<ActionFailed> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ActionFailed);
  return err as ActionFailed;
}

describe('install-image', () => {
  it('prepare: installed (imgadm get answers) is done', async () => {
    const dc = new FakeDc().expectRun(['imgadm', 'get', IMG], {
      stdout: JSON.stringify({ manifest: { uuid: IMG, name: 'sapi', version: '1' }, zpool: 'zones' }),
    });
    expect(await prepared(dc, A.installImage())).toEqual({ done: true, why: `image ${IMG} is installed` });
  });
  it('prepare: imgadm get exits 3 (ImageNotInstalled): not done', async () => {
    const dc = new FakeDc().expectRun(['imgadm', 'get', IMG], {
      code: 3,
      stderr: 'imgadm get: error (ImageNotInstalled)',
    });
    expect(await prepared(dc, A.installImage())).toEqual({ done: false });
  });
  it('execute: runs the install once; a non-zero exit names the host and the command', async () => {
    const a = A.installImage();
    const ok = new FakeDc().expectRun(argvOf(a));
    expect(await execute(ctx(ok), a)).toBe('ok');
    ok.verify();
    const bad = new FakeDc().expectRun(argvOf(a), { code: 1, stderr: 'imgadm install: error: no space left' });
    const f = await failure(execute(ctx(bad), a));
    expect(f.host).toBe('headnode1');
    expect(f.command).toBe('imgadm install -m /rd/images/m.json -f /rd/images/i.file');
    expect(f.output).toContain('no space left');
    bad.verify();
  });
});

describe('create-vm', () => {
  it('prepare: no such VM is not done', async () => {
    const dc = new FakeDc().expectRun(['vmadm', 'get', VM], NO_ZONE);
    expect(await prepared(dc, A.createVm())).toEqual({ done: false });
  });
  it('prepare: the VM exists with its alias: done (never created twice)', async () => {
    const dc = new FakeDc().expectRun(['vmadm', 'get', VM], { stdout: vmJson({ state: 'stopped' }) });
    expect(await prepared(dc, A.createVm())).toEqual({ done: true, why: `VM ${VM} exists (stopped)` });
  });
  it('prepare: a VM with this uuid but another alias is refused, naming vmadm get', async () => {
    const dc = new FakeDc().expectRun(['vmadm', 'get', VM], { stdout: vmJson({ alias: 'imposter0' }) });
    const f = await failure(prepare(ctx(dc), A.createVm()));
    expect(f.command).toBe(`vmadm get ${VM}`);
    expect(f.hint).toContain('is not sapi0');
    dc.verify();
  });
  it.each(['failed', 'provisioning'])(
    'prepare: a VM left %s by an earlier create is refused, with vmadm delete as the way out',
    async (state) => {
      const dc = new FakeDc().expectRun(['vmadm', 'get', VM], { stdout: vmJson({ state }) });
      const f = await failure(prepare(ctx(dc), A.createVm()));
      expect(f.output).toBe(`state ${state}`);
      expect(f.hint).toContain(`vmadm delete ${VM}`);
    },
  );
  it('execute: vmadm create with the payload on stdin', async () => {
    const a = A.createVm();
    const dc = new FakeDc().expectRun(
      ['vmadm', 'create'],
      { stderr: `Successfully created VM ${VM}` },
      JSON.stringify(a.payload),
    );
    expect(await execute(ctx(dc), a)).toBe('ok');
    dc.verify();
  });
});

describe('receive-dataset', () => {
  const stream = join(tmp, 'dataset.zfs');
  writeFileSync(stream, 'STREAM-BYTES');
  const ds = `zones/${VM}/data`;
  const snaps = ['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', '-s', 'createtxg', '-d', '1', ds];

  it('prepare: the snapshot the stream carries is on the dataset: done', async () => {
    const dc = new FakeDc().expectRun(snaps, { stdout: `${ds}@triton-recover-1\n${ds}@triton-recover-2\n` });
    expect(await prepared(dc, A.receive(stream, 'triton-recover-2'))).toEqual({
      done: true,
      why: `${ds}@triton-recover-2 is there: the stream was received`,
    });
  });
  it('prepare: not there and the zone is stopped: not done', async () => {
    const dc = new FakeDc()
      .expectRun(snaps, { stdout: `${ds}@other\n` })
      .expectRun(['vmadm', 'get', VM], { stdout: vmJson({ state: 'stopped' }) });
    expect(await prepared(dc, A.receive(stream, 'triton-recover-2'))).toEqual({ done: false });
  });
  it('prepare: not there and the zone is RUNNING: refused (it already wrote without its data)', async () => {
    const dc = new FakeDc().expectRun(snaps, { stdout: '' }).expectRun(['vmadm', 'get', VM], { stdout: vmJson() });
    const f = await failure(prepare(ctx(dc), A.receive(stream, 'triton-recover-2')));
    expect(f.output).toBe(`zone ${VM} is running without its data`);
    expect(f.hint).toContain(`vmadm stop ${VM}`);
    dc.verify();
  });
  it('prepare: a stream without a known snapshot is never taken as received', async () => {
    const dc = new FakeDc().expectRun(snaps, { stdout: `${ds}@anything\n` }).expectRun(['vmadm', 'get', VM], NO_ZONE);
    expect(await prepared(dc, A.receive(stream))).toEqual({ done: false });
  });
  it('execute: zfs recv -F fed the stream file', async () => {
    const dc = new FakeDc().expectRun(['zfs', 'recv', '-F', ds], {}, 'STREAM-BYTES');
    expect(await execute(ctx(dc), A.receive(stream, 's'))).toBe('ok');
    dc.verify();
  });
});

describe('start-vm', () => {
  it.each([
    ['running', { done: true, why: 'zone is running' }],
    ['stopped', { done: false }],
  ])('prepare: %s', async (state, want) => {
    const dc = new FakeDc().expectRun(['vmadm', 'get', VM], { stdout: vmJson({ state }) });
    expect(await prepared(dc, A.start())).toEqual(want);
  });
  it('execute: vmadm start <uuid>', async () => {
    const dc = new FakeDc().expectRun(['vmadm', 'start', VM]);
    expect(await execute(ctx(dc), A.start())).toBe('ok');
    dc.verify();
  });
});

describe('the API actions', () => {
  it.each([
    [
      'sapi-instance: SAPI has the instance',
      A.sapiInstance,
      'GET',
      `${SAPI}/instances/${VM}`,
      { status: 200, body: '{}' },
      { done: true, why: `SAPI has instance ${VM}` },
    ],
    [
      'sapi-instance: SAPI does not',
      A.sapiInstance,
      'GET',
      `${SAPI}/instances/${VM}`,
      { status: 404, body: '' },
      { done: false },
    ],
    [
      'release-nic: NAPI has no such NIC',
      A.releaseNic,
      'GET',
      'http://10.99.99.10/nics/90daa9249090',
      { status: 404 },
      { done: true, why: 'NAPI has no such NIC' },
    ],
    [
      'release-nic: the NIC is still there',
      A.releaseNic,
      'GET',
      'http://10.99.99.10/nics/90daa9249090',
      { status: 200, body: '{}' },
      { done: false },
    ],
    [
      'update-sapi-instance: already on this server',
      A.updateSapiInstance,
      'GET',
      `${SAPI}/instances/${VM}`,
      { status: 200, body: JSON.stringify({ params: { server_uuid: SERVER } }) },
      { done: true, why: `SAPI already has it on ${SERVER}` },
    ],
    [
      'update-sapi-instance: still on the dead one',
      A.updateSapiInstance,
      'GET',
      `${SAPI}/instances/${VM}`,
      { status: 200, body: JSON.stringify({ params: { server_uuid: 'dead' } }) },
      { done: false },
    ],
    [
      'update-sapi-metadata: every value already set',
      A.updateMetadata,
      'GET',
      `${SAPI}/applications/app`,
      {
        status: 200,
        body: JSON.stringify({ metadata: { sapi_admin_ips: '10.99.99.30', 'sapi-url': SAPI, other: 1 } }),
      },
      { done: true, why: 'already set' },
    ],
    [
      'update-sapi-metadata: one value differs',
      A.updateMetadata,
      'GET',
      `${SAPI}/applications/app`,
      { status: 200, body: JSON.stringify({ metadata: { sapi_admin_ips: '10.99.99.99', 'sapi-url': SAPI } }) },
      { done: false },
    ],
    [
      'update-boot-params: already set',
      A.updateBoot,
      'GET',
      'http://10.99.99.22/boot/default',
      { status: 200, body: JSON.stringify({ kernel_args: { rabbitmq: 'guest:guest:10.99.99.20:5672' } }) },
      { done: true, why: 'already set' },
    ],
    [
      'update-boot-params: CNAPI does not answer 200',
      A.updateBoot,
      'GET',
      'http://10.99.99.22/boot/default',
      { status: 503, body: '' },
      { done: false },
    ],
  ] as const)('prepare: %s', async (_name, make, method, url, reply, want) => {
    const dc = new FakeDc().expectHttp(method, url, reply);
    expect(await prepared(dc, make())).toEqual(want);
  });

  it.each([
    ['sapi-instance', A.sapiInstance, 201, 'recorded'],
    ['release-nic (404 is as good: already gone)', A.releaseNic, 404, 'done'],
    ['update-sapi-instance', A.updateSapiInstance, 200, 'updated'],
    ['update-sapi-metadata', A.updateMetadata, 200, 'updated'],
    ['update-boot-params', A.updateBoot, 200, 'updated'],
  ] as const)('execute: %s sends its call once, with its body', async (_name, make, status, want) => {
    const a = make();
    const dc = new FakeDc().expectHttp(
      a.http.method,
      a.http.url,
      { status, body: '{}' },
      'body' in a.http ? a.http.body : undefined,
    );
    expect(await execute(ctx(dc), a)).toBe(want);
    dc.verify();
  });

  it('execute: an API error is a failure that quotes the answer', async () => {
    const a = A.sapiInstance();
    const dc = new FakeDc().expectHttp('POST', `${SAPI}/instances`, {
      status: 500,
      body: '{"code":"InternalError","message":"no VMAPI"}',
    });
    const f = await failure(execute(ctx(dc), a));
    expect(f.command).toBe(`POST ${SAPI}/instances`);
    expect(f.output).toContain('HTTP 500');
    expect(f.output).toContain('no VMAPI');
  });

  it('execute: no answer at all says so', async () => {
    const dc = new FakeDc().expectHttp('POST', `${SAPI}/instances`, new Error('connect ECONNREFUSED 10.99.99.30:80'));
    const f = await failure(execute(ctx(dc), A.sapiInstance()));
    expect(f.output).toContain('ECONNREFUSED');
    expect(f.hint).toContain('did not answer');
  });
});

describe('wait-healthy', () => {
  const marker = (w: string) => ['test', '-f', `${ZONEPATH}/root/var/svc/${w}`];
  const ipadm = ['zlogin', VM, 'ipadm', 'show-addr', '-p', '-o', 'addrobj,state,addr'];
  /** One poll of a running zone: markers, svcs, then (when those pass) its addresses. */
  function poll(dc: FakeDc, o: { complete: boolean; failed?: boolean; svcs?: string; addr?: string }): FakeDc {
    dc.expectRun(['vmadm', 'get', VM], { stdout: vmJson() })
      .expectRun(marker('setup_failed'), { code: o.failed ? 0 : 1 })
      .expectRun(marker('setup_complete'), { code: o.complete ? 0 : 1 })
      .expectRun(['svcs', '-xz', VM], { stdout: o.svcs ?? '' });
    if (o.complete && !o.failed && !o.svcs)
      dc.expectRun(ipadm, { stdout: o.addr ?? 'lo0/v4:ok:127.0.0.1/8\nnet0/_a:ok:10.99.99.30/24\n' });
    return dc;
  }

  it('prepare: never done by itself (health is always looked at again)', async () => {
    expect(await prepared(new FakeDc(), A.waitHealthy())).toEqual({ done: false });
  });
  it("execute: polls until setup is complete, svcs is clean, the address is the zone's own and /ping answers", async () => {
    const dc = poll(new FakeDc(), { complete: false });
    poll(dc, { complete: true }).expectHttp('GET', `${SAPI}/ping`, { status: 200, body: '{}' });
    expect(await execute(ctx(dc), A.waitHealthy())).toMatch(
      /^healthy: running, setup complete, svcs clean, its addresses its own, \/ping answers$/,
    );
    dc.verify();
  });
  it('execute: setup_failed is a failure at once, pointing at the setup log', async () => {
    const dc = poll(new FakeDc(), { complete: false, failed: true });
    const f = await failure(execute(ctx(dc), A.waitHealthy()));
    expect(f.output).toContain('first-boot setup failed');
    expect(f.hint).toContain(`${ZONEPATH}/root/var/svc/setup.log`);
    dc.verify();
  });
  it('execute: an SMF service in maintenance is a failure at once, naming it', async () => {
    const svcs = `svc:/smartdc/site/sapi:default (SAPI)\n Zone: ${VM}\n State: maintenance since Tue Nov 21 19:02:11 2023\nReason: Start method exited with $SMF_EXIT_ERR_FATAL.\n`;
    const dc = poll(new FakeDc(), { complete: true, svcs });
    const f = await failure(execute(ctx(dc), A.waitHealthy()));
    expect(f.output).toContain('svc:/smartdc/site/sapi:default: maintenance');
  });
  it('execute: a DUPLICATE address fails at once: the answer on that IP would not be this zone', async () => {
    const dc = poll(new FakeDc(), { complete: true, addr: 'net0/_a:duplicate:10.99.99.30/24\n' });
    const f = await failure(execute(ctx(dc), A.waitHealthy()));
    expect(f.output).toContain('is DUPLICATE');
    expect(f.command).toBe(ipadm.join(' '));
    dc.verify();
  });
  it('execute: still not healthy at the deadline says what it last saw', async () => {
    const dc = new FakeDc();
    for (let i = 0; i < 200; i++) poll(dc, { complete: false });
    const f = await failure(execute(ctx(dc, { healthTimeoutMs: 30, pollMs: 5 }), A.waitHealthy()));
    expect(f.output).toMatch(/still not healthy after 0 s: setup not complete yet/);
  });
  it('execute: the VM gone is a failure, not a wait', async () => {
    const dc = new FakeDc().expectRun(['vmadm', 'get', VM], NO_ZONE);
    const f = await failure(execute(ctx(dc), A.waitHealthy()));
    expect(f.output).toBe('no such VM');
    dc.verify();
  });
});
