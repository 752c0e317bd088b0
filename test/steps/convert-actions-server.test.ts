// Each conversion action kind that acts on the server or the HA layout
// (prepare-server, remove-file, reboot, wait-headnode, create-instance,
// wait-instance), alone: prepare's "already done" and "not done", execute's
// success and failure. The USB key data kinds are convert-actions.test.ts.
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import { FakeDc } from '../support/fake-dc.js';
import {
  T,
  CNAPI,
  VMAPI,
  SAPI,
  MANATEE_SVC,
  VM,
  PREP,
  hn,
  prepared,
  executed,
  failed,
  sysinfo,
  cnapiServer,
  PREPARED_AT,
  PREPARE_LOG,
  NO_FILE,
} from './convert-action-helpers.js';

describe('prepare-server', () => {
  const id = 'prepare/script';
  const server = (headnode: boolean): [string, string, { body: string }] => [
    'GET',
    `${CNAPI}/servers/${T.uuid}`,
    { body: cnapiServer(headnode) },
  ];
  it('prepare: a headnode already is done, whatever the journal says', async () => {
    expect(await prepared(new FakeDc().expectHttp(...server(true)), id)).toEqual({
      done: true,
      why: 'cn0 is a headnode already',
    });
  });
  it('prepare: a log line of an earlier conversion counts for nothing; this one ran it and the log says so: done', async () => {
    expect(await prepared(new FakeDc().expectHttp(...server(false)), id)).toEqual({ done: false });
    const dc = new FakeDc()
      .expectHttp(...server(false))
      .expectRun(['cat', '/var/log/headnode-prepare.log'], PREPARE_LOG);
    expect(await prepared(dc, id, { journaled: { endedOk: [id] } })).toEqual({
      done: true,
      why: '/var/log/headnode-prepare.log says it was prepared',
    });
    const none = new FakeDc().expectHttp(...server(false)).expectRun(['cat', '/var/log/headnode-prepare.log'], NO_FILE);
    expect(await prepared(none, id, { journaled: { endedOk: [id] } })).toEqual({ done: false });
  });
  it('execute: the script on stdin of bash; its last line is the result; a refusal fails', async () => {
    const argv = ['bash', '-s', '--', '10.99.99.8', T.uuid];
    expect(
      await executed(
        new FakeDc().expectRun(
          argv,
          { stdout: 'fetching usbkey-base.tgz\nprepared\n' },
          '#!/bin/bash\necho prepared\n',
        ),
        id,
      ),
    ).toBe('prepared');
    const f = await failed(
      new FakeDc().expectRun(argv, { code: 2, stderr: 'headnode-prepare: this server is booted as a headnode' }),
      id,
    );
    expect([f.host, f.output]).toEqual(['cn0', 'exit 2: headnode-prepare: this server is booted as a headnode']);
  });
});

describe('remove-file', () => {
  const id = 'prepare/cleanup';
  const FILE = `${PREP}/${T.uuid}.config`;
  it('prepare: gone is done; still there is not', async () => {
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE], NO_FILE), id)).toEqual({
      done: true,
      why: `${FILE} is gone`,
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE]), id)).toEqual({ done: false });
  });
  it('execute: rm -f; a failure says so', async () => {
    expect(await executed(new FakeDc().expectRun(['rm', '-f', FILE]), id)).toBe(`removed ${FILE}`);
    const f = await failed(
      new FakeDc().expectRun(['rm', '-f', FILE], { code: 1, stderr: 'rm: Permission denied' }),
      id,
    );
    expect(f.output).toBe('exit 1: rm: Permission denied');
  });
});

describe('reboot', () => {
  const id = 'reboot/reboot';
  const cnapi = (headnode: boolean): [string, string, { body: string }] => [
    'GET',
    `${CNAPI}/servers/${T.uuid}`,
    { body: cnapiServer(headnode) },
  ];
  const sys = (headnode: boolean, bootMs: number): [string[], { stdout: string }] => [
    ['sysinfo'],
    { stdout: JSON.stringify(sysinfo({ headnode, bootMs })) },
  ];
  const log: [string[], { stdout: string }] = [['cat', '/var/log/headnode-prepare.log'], PREPARE_LOG];
  it('prepare: back as a headnode is done', async () => {
    expect(await prepared(new FakeDc().expectHttp(...cnapi(true)), id)).toEqual({
      done: true,
      why: 'cn0 is back as a headnode',
    });
  });
  it('prepare: up on its boot from before the preparation, never sent: not done', async () => {
    const before = PREPARED_AT - 3_600_000;
    const dc = new FakeDc()
      .expectHttp(...cnapi(false))
      .expectRun(...sys(false, before))
      .expectRun(...log)
      .expectRun(...log)
      .expectRun(...sys(false, before));
    expect(await prepared(dc, id)).toEqual({ done: false });
  });
  it('prepare: journaled as started and not answering: taken as rebooting, never sent again', async () => {
    const down = new RemoteError({
      kind: 'unreachable',
      host: 'cn0',
      argv: ['sysinfo'],
      mayHaveRun: false,
      message: 'connect ECONNREFUSED',
      hint: '',
    });
    const dc = new FakeDc()
      .expectHttp(...cnapi(false))
      .expectRun(['sysinfo'], down)
      .expectRun(...log)
      .expectRun(['sysinfo'], down);
    expect(await prepared(dc, id, { journaled: { started: [id] } })).toEqual({
      done: true,
      why: 'cn0 does not answer: taken as rebooting (the wait that follows checks it comes back)',
    });
  });
  it('prepare: booted since the preparation as a headnode (before CNAPI knows): done', async () => {
    const after = PREPARED_AT + 60_000;
    const dc = new FakeDc()
      .expectHttp(...cnapi(false))
      .expectRun(...sys(true, after))
      .expectRun(...log)
      .expectRun(...sys(true, after));
    expect(await prepared(dc, id)).toEqual({
      done: true,
      why: `it booted at ${new Date(after).toISOString()}, after the preparation`,
    });
  });
  it('execute: reboot sent; the link dropping with it is the reboot; a refusal fails', async () => {
    expect(await executed(new FakeDc().expectRun(['reboot']), id)).toBe('reboot started');
    const lost = new RemoteError({
      kind: 'connection-lost',
      host: 'cn0',
      argv: ['reboot'],
      mayHaveRun: true,
      message: 'connection lost',
      hint: '',
    });
    expect(await executed(new FakeDc().expectRun(['reboot'], lost), id)).toBe('reboot started');
    const f = await failed(new FakeDc().expectRun(['reboot'], { code: 1, stderr: 'reboot: permission denied' }), id);
    expect([f.host, f.output]).toEqual(['cn0', 'exit 1: reboot: permission denied']);
    expect(f.hint).toMatch(/reboot cn0 by hand/);
  });
});

describe('wait-headnode', () => {
  const id = 'reboot/wait';
  const cnapi = (headnode: boolean): [string, string, { body: string }] => [
    'GET',
    `${CNAPI}/servers/${T.uuid}`,
    { body: cnapiServer(headnode) },
  ];
  it('prepare: CNAPI shows a headnode: done; not yet: not done', async () => {
    expect(await prepared(new FakeDc().expectHttp(...cnapi(true)), id)).toEqual({
      done: true,
      why: 'CNAPI shows it set up, running, headnode=true',
    });
    expect(await prepared(new FakeDc().expectHttp(...cnapi(false)), id)).toEqual({ done: false });
  });
  it('execute: a headnode in CNAPI, up past the settle time: done', async () => {
    const boot = Date.now() - 120_000;
    const si = { stdout: JSON.stringify(sysinfo({ headnode: true, bootMs: boot })) };
    const dc = new FakeDc()
      .expectRun(['sysinfo'], si)
      .expectHttp(...cnapi(true))
      .expectRun(['sysinfo'], si);
    expect(await executed(dc, id)).toBe(
      `CNAPI: running, setup=true, headnode=true; up since ${new Date(Math.floor(boot / 1000) * 1000).toISOString()}`,
    );
  });
  it('execute: booted after the preparation without headnode=true (PXE): fails at once, saying to fix the boot order', async () => {
    const boot = Date.now() - 60_000;
    const dc = new FakeDc()
      .expectRun(['sysinfo'], { stdout: JSON.stringify(sysinfo({ headnode: false, bootMs: boot })) })
      .expectRun(['cat', '/var/log/headnode-prepare.log'], PREPARE_LOG);
    const f = await failed(dc, id);
    expect(f.host).toBe('cn0');
    expect(f.output).toMatch(
      /as a compute node \(no headnode=true in bootparams\): it booted from the network \(PXE\)/,
    );
    expect(f.hint).toMatch(/set cn0 to boot from its USB key/);
  });
});

describe('create-instance', () => {
  const listed = (role: string, vms: unknown[]): [string, string, { body: string }] => [
    'GET',
    `${VMAPI}/vms?tag.smartdc_role=${role}&server_uuid=${T.uuid}&state=active`,
    { body: JSON.stringify(vms) },
  ];
  const vm = {
    uuid: VM,
    alias: 'moray2',
    state: 'running',
    brand: 'joyent-minimal',
    owner_uuid: '930896af-bf8c-48d4-885c-6573a94b1853',
    nics: [
      {
        interface: 'net0',
        mac: '90:da:a9:24:90:90',
        nic_tag: 'admin',
        ip: '10.99.99.50',
        netmask: '255.255.255.0',
        primary: true,
      },
    ],
  };
  const sapiList = (items: unknown[]): [string, string, { body: string }] => [
    'GET',
    `${SAPI}/instances?service_uuid=${MANATEE_SVC}`,
    { body: JSON.stringify(items) },
  ];
  it('prepare: ha-binder is done only once it finished in an earlier run (it is idempotent; cut short, it runs again)', async () => {
    expect(await prepared(new FakeDc(), 'ha/binder', { journaled: { endedOk: ['ha/binder'] } })).toEqual({
      done: true,
      why: 'ha-binder finished in an earlier run',
    });
    expect(await prepared(new FakeDc(), 'ha/binder', { journaled: { started: ['ha/binder'] } })).toEqual({
      done: false,
    });
  });
  it('prepare: the SAPI manatee peer is done when SAPI has it (before VMAPI knows the zone); neither knows it: not done', async () => {
    const has = new FakeDc().expectHttp(
      ...sapiList([{ uuid: VM, params: { alias: 'manatee2', server_uuid: T.uuid } }]),
    );
    expect(await prepared(has, 'ha/manatee')).toEqual({ done: true, why: 'SAPI has the manatee instance for cn0' });
    const none = new FakeDc()
      .expectHttp(...sapiList([{ uuid: VM, params: { alias: 'manatee2', server_uuid: hn(0).uuid } }]))
      .expectHttp(...listed('manatee', []));
    expect(await prepared(none, 'ha/manatee')).toEqual({ done: false });
  });
  it('prepare: an sdcadm-created moray is done when VMAPI lists it on the target', async () => {
    expect(await prepared(new FakeDc().expectHttp(...listed('moray', [vm])), 'ha/moray')).toEqual({
      done: true,
      why: `moray2 (${VM}) is on cn0`,
    });
    expect(await prepared(new FakeDc().expectHttp(...listed('moray', [])), 'ha/moray')).toEqual({ done: false });
  });
  it('execute: sdcadm create, its last line the result; a failure fails', async () => {
    const argv = ['sdcadm', 'create', 'moray', '-s', 'cn0', '-y'];
    expect(
      await executed(new FakeDc().expectRun(argv, { stdout: 'Creating moray\nCreated successfully\n' }), 'ha/moray'),
    ).toBe('Created successfully');
    const f = await failed(
      new FakeDc().expectRun(argv, { code: 1, stderr: 'sdcadm create: ValidationError' }),
      'ha/moray',
    );
    expect([f.host, f.output]).toEqual(['headnode0', 'exit 1: sdcadm create: ValidationError']);
  });
  it('execute: the SAPI CreateInstance with its body; an HTTP error fails with its status', async () => {
    const body = { service_uuid: MANATEE_SVC, params: { alias: 'manatee2', server_uuid: T.uuid } };
    expect(
      await executed(
        new FakeDc().expectHttp('POST', `${SAPI}/instances`, { status: 200, body: '{}' }, body),
        'ha/manatee',
      ),
    ).toBe('SAPI created the manatee instance');
    const f = await failed(
      new FakeDc().expectHttp('POST', `${SAPI}/instances`, { status: 500, body: '{"code":"InternalError"}' }, body),
      'ha/manatee',
    );
    expect([f.host, f.output]).toEqual(['headnode1', 'HTTP 500: {"code":"InternalError"}']);
  });
});

describe('wait-instance', () => {
  const id = 'ha/moray-wait';
  const listed = (vms: unknown[]): [string, string, { body: string }] => [
    'GET',
    `${VMAPI}/vms?tag.smartdc_role=moray&server_uuid=${T.uuid}&state=active`,
    { body: JSON.stringify(vms) },
  ];
  const vm = {
    uuid: VM,
    alias: 'moray2',
    state: 'running',
    brand: 'joyent-minimal',
    owner_uuid: '930896af-bf8c-48d4-885c-6573a94b1853',
    nics: [],
  };
  it('prepare: never done by itself: health is looked at again, without a call', async () => {
    expect(await prepared(new FakeDc(), id)).toEqual({ done: false });
  });
  it('execute: running in VMAPI and svcs -xz clean: healthy', async () => {
    const dc = new FakeDc().expectHttp(...listed([vm])).expectRun(['svcs', '-xz', VM], { stdout: '' });
    expect(await executed(dc, id)).toBe(`moray2 (${VM}) running, svcs -xz clean`);
  });
  it('execute: running, but a service of the zone in maintenance: not healthy, and the wait runs out', async () => {
    const svcs =
      'svc:/smartdc/application/moray:default (Moray)\n State: maintenance since Mon Jan  1 10:00:00 2026\nReason: Start method exited with $SMF_EXIT_ERR_FATAL.\n';
    const f = await failed(
      new FakeDc().expectHttp(...listed([vm])).expectRun(['svcs', '-xz', VM], { stdout: svcs }),
      id,
      { timing: { provisionTimeoutMs: 0 } },
    );
    expect(f.output).toBe('the new moray on cn0 did not become healthy within 0 s');
  });
  it('execute: not there within the provision time: fails saying so, the instance kept for the rerun', async () => {
    const f = await failed(new FakeDc().expectHttp(...listed([])), id, { timing: { provisionTimeoutMs: 0 } });
    expect([f.host, f.output]).toEqual(['headnode1', 'the new moray on cn0 did not become healthy within 0 s']);
    expect(f.hint).toMatch(/a rerun waits again/);
  });
});
