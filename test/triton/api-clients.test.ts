// The HTTP clients against a fake transport: exact method, URL and body; 404 on
// get-one calls is null; other non-2xx is an ApiError; bad bodies are ParseErrors.
import { describe, expect, it } from 'vitest';
import { HttpError, ParseError } from '../../src/remote/errors.js';
import type { HttpRequest, HttpResponse } from '../../src/remote/http.js';
import { ApiError, buildPath } from '../../src/remote/triton/api.js';
import { createCnapi } from '../../src/remote/triton/cnapi.js';
import { createImgapi } from '../../src/remote/triton/imgapi.js';
import { createNapi, macPathSegment } from '../../src/remote/triton/napi.js';
import { createSapi } from '../../src/remote/triton/sapi.js';
import { createVmapi } from '../../src/remote/triton/vmapi.js';

/** Answers requests in order from a list; records every request. */
function fakeTransport(...answers: (HttpResponse | Error)[]) {
  const requests: HttpRequest[] = [];
  const transport = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const a = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    return a;
  };
  return { transport, requests };
}

const json = (status: number, body: unknown): HttpResponse => ({ status, body: JSON.stringify(body) });

const SERVER = '564d555a-328d-c8c4-4166-fc96982fa89f';
const ADMIN = '930896af-bf8c-48d4-885c-6573a94b1853';
const NET = '1275886f-3fdf-456e-bba6-28e0e2eab58f';
const VM = 'c9742298-6861-42f3-8ebd-56aca525a471';
const SVC = '0e6983da-9a5b-4e7b-84cb-98991bd92334';
const IMG = '01b2c898-945f-11e1-a523-af1afbe22822';

const server = {
  uuid: SERVER,
  hostname: 'headnode',
  headnode: true,
  setup: true,
  status: 'unknown',
  last_heartbeat: '2024-01-01T00:00:00.000Z',
  boot_platform: '20240101T000000Z',
  current_platform: '20231201T000000Z',
  reserved: false,
  transitional_status: '',
  ram: 4095,
};

describe('api helper', () => {
  it('builds query strings with URLSearchParams and leaves undefined out', () => {
    expect(buildPath('/servers', { headnode: true, hostname: undefined, extras: 'sysinfo,vms' })).toBe(
      '/servers?headnode=true&extras=sysinfo%2Cvms',
    );
    expect(buildPath('/vms', { 'tag.smartdc_role': 'a b&c' })).toBe('/vms?tag.smartdc_role=a+b%26c');
    expect(buildPath('/ping', {})).toBe('/ping');
  });

  it('an ApiError carries service, method, URL, status and the restify code/message', async () => {
    const { transport } = fakeTransport(json(500, { code: 'InternalError', message: 'moray is down' }));
    const cnapi = createCnapi({ transport, baseUrl: 'http://10.99.99.22/' });
    const err = await cnapi.listServers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      service: 'CNAPI',
      method: 'GET',
      url: 'http://10.99.99.22/servers',
      status: 500,
      restCode: 'InternalError',
      apiMessage: 'moray is down',
    });
    expect((err as ApiError).message).toBe(
      'CNAPI GET http://10.99.99.22/servers: HTTP 500 InternalError: moray is down',
    );
  });

  it('a non-JSON error body still gives an ApiError with the raw body', async () => {
    const { transport } = fakeTransport({ status: 502, body: '<html>Bad Gateway</html>' });
    const napi = createNapi({ transport, baseUrl: 'http://10.99.99.10' });
    const err = (await napi.ping().catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('NAPI GET http://10.99.99.10/ping: HTTP 502');
    expect(err.body).toBe('<html>Bad Gateway</html>');
  });

  it('transport failures (no answer) pass through as HttpError', async () => {
    const { transport } = fakeTransport(new HttpError('GET', 'http://10.99.99.22/ping', 'timeout', 'timed out'));
    const cnapi = createCnapi({ transport, baseUrl: 'http://10.99.99.22' });
    await expect(cnapi.ping()).rejects.toBeInstanceOf(HttpError);
  });

  it('uses the client default timeout, a per-call timeout, and passes the signal', async () => {
    const { transport, requests } = fakeTransport(json(200, { ready: true }));
    const cnapi = createCnapi({ transport, baseUrl: 'http://10.99.99.22', timeoutMs: 7000 });
    const ac = new AbortController();
    await cnapi.ping();
    await cnapi.ping({ timeoutMs: 1500, signal: ac.signal });
    expect(requests[0]!.timeoutMs).toBe(7000);
    expect(requests[1]).toMatchObject({ timeoutMs: 1500, signal: ac.signal });
    const plain = fakeTransport(json(200, {}));
    await createCnapi({ transport: plain.transport, baseUrl: 'http://x' }).ping();
    expect(plain.requests[0]!.timeoutMs).toBe(30_000);
  });
});

describe('CNAPI', () => {
  const baseUrl = 'http://10.99.99.22';

  it('listServers: filters and extras in the query', async () => {
    const { transport, requests } = fakeTransport(json(200, [server]));
    const cnapi = createCnapi({ transport, baseUrl });
    const list = await cnapi.listServers({ headnode: true, setup: true, extras: ['sysinfo', 'vms'] });
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: `${baseUrl}/servers?headnode=true&setup=true&extras=sysinfo%2Cvms`,
    });
    expect(requests[0]!.body).toBeUndefined();
    expect(list[0]).toMatchObject({ uuid: SERVER, status: 'unknown', headnode: true });
    expect(list[0]!.sysinfo).toBeUndefined();
  });

  it('getServer: 404 is null; bad JSON is a ParseError naming CNAPI and the path', async () => {
    const { transport, requests } = fakeTransport(json(404, { code: 'ResourceNotFound', message: 'no such server' }), {
      status: 200,
      body: '{"uuid": ',
    });
    const cnapi = createCnapi({ transport, baseUrl });
    expect(await cnapi.getServer(SERVER)).toBeNull();
    expect(requests[0]!.url).toBe(`${baseUrl}/servers/${SERVER}`);
    const err = (await cnapi.getServer(SERVER).catch((e: unknown) => e)) as ParseError;
    expect(err).toBeInstanceOf(ParseError);
    expect(err.tool).toBe(`CNAPI GET /servers/${SERVER}`);
    expect(err.message).toMatch(
      /^CNAPI GET \/servers\/564d555a-328d-c8c4-4166-fc96982fa89f: unexpected output at \(top level\): invalid JSON/,
    );
  });

  it('listServers: a 404 is not "nothing", it is an ApiError', async () => {
    const { transport } = fakeTransport(json(404, { code: 'ResourceNotFound', message: 'route' }));
    await expect(createCnapi({ transport, baseUrl }).listServers()).rejects.toBeInstanceOf(ApiError);
  });

  it('a server without status names the field', async () => {
    const { status: _s, ...noStatus } = server;
    const { transport } = fakeTransport(json(200, [server, noStatus]));
    const err = (await createCnapi({ transport, baseUrl })
      .listServers()
      .catch((e: unknown) => e)) as ParseError;
    expect(err.tool).toBe('CNAPI GET /servers');
    expect(err.field).toBe('1.status');
  });

  it('getBootParams default / uuid, deleteServer', async () => {
    const boot = {
      platform: '20160517T105654Z',
      kernel_args: { rabbitmq: 'guest:guest:10.192.0.20:5672' },
      kernel_flags: {},
    };
    const { transport, requests } = fakeTransport(
      json(200, boot),
      json(200, boot),
      { status: 204, body: '' },
      json(404, {}),
    );
    const cnapi = createCnapi({ transport, baseUrl });
    expect((await cnapi.getBootParams('default')).kernel_args.rabbitmq).toBe('guest:guest:10.192.0.20:5672');
    await cnapi.getBootParams(SERVER);
    expect(await cnapi.deleteServer(SERVER)).toBe(true);
    expect(await cnapi.deleteServer(SERVER)).toBe(false);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${baseUrl}/boot/default`,
      `GET ${baseUrl}/boot/${SERVER}`,
      `DELETE ${baseUrl}/servers/${SERVER}`,
      `DELETE ${baseUrl}/servers/${SERVER}`,
    ]);
    await expect(cnapi.getBootParams('../ping')).rejects.toThrow(/refusing server uuid/);
  });
});

describe('NAPI', () => {
  const baseUrl = 'http://10.99.99.10';
  const ip = {
    ip: '10.99.99.7',
    network_uuid: NET,
    reserved: false,
    free: false,
    belongs_to_type: 'server',
    belongs_to_uuid: SERVER,
    owner_uuid: ADMIN,
  };

  it('listNetworks / getNetwork', async () => {
    const net = {
      uuid: NET,
      name: 'admin',
      vlan_id: 0,
      subnet: '10.99.99.0/24',
      netmask: '255.255.255.0',
      provision_start_ip: '10.99.99.37',
      provision_end_ip: '10.99.99.253',
      nic_tag: 'admin',
      resolvers: ['10.99.99.11'],
    };
    const { transport, requests } = fakeTransport(json(200, [net]), json(404, {}));
    const napi = createNapi({ transport, baseUrl });
    expect((await napi.listNetworks({ name: 'admin' }))[0]!.uuid).toBe(NET);
    expect(await napi.getNetwork(NET)).toBeNull();
    expect(requests.map((r) => r.url)).toEqual([`${baseUrl}/networks?name=admin`, `${baseUrl}/networks/${NET}`]);
  });

  it('listIps / getIp / updateIp (unassign)', async () => {
    const { transport, requests } = fakeTransport(
      json(200, [ip]),
      json(200, ip),
      json(200, { ip: '10.99.99.7', reserved: false, free: false }),
    );
    const napi = createNapi({ transport, baseUrl });
    expect(await napi.listIps(NET, { belongs_to_uuid: SERVER })).toHaveLength(1);
    expect((await napi.getIp(NET, '10.99.99.7'))?.belongs_to_type).toBe('server');
    const updated = await napi.updateIp(NET, '10.99.99.7', { unassign: true });
    expect(updated.belongs_to_uuid).toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${baseUrl}/networks/${NET}/ips?belongs_to_uuid=${SERVER}`,
      `GET ${baseUrl}/networks/${NET}/ips/10.99.99.7`,
      `PUT ${baseUrl}/networks/${NET}/ips/10.99.99.7`,
    ]);
    expect(requests[2]!.body).toEqual({ unassign: true });
  });

  it('updateIp refuses free+unassign; reserve sends reserved=true', async () => {
    const { transport, requests } = fakeTransport(json(200, { ip: '10.99.99.77', reserved: true, free: false }));
    const napi = createNapi({ transport, baseUrl });
    await expect(napi.updateIp(NET, '10.99.99.77', { free: true, unassign: true })).rejects.toThrow(
      /free and unassign/,
    );
    expect(requests).toHaveLength(0);
    expect((await napi.updateIp(NET, '10.99.99.77', { reserved: true })).reserved).toBe(true);
    expect(requests[0]!.body).toEqual({ reserved: true });
  });

  it('listNics / deleteNic (MAC without colons)', async () => {
    const nic = {
      mac: '00:25:90:fd:e4:88',
      ip: '10.11.11.1',
      belongs_to_uuid: SERVER,
      belongs_to_type: 'server',
      owner_uuid: ADMIN,
      primary: false,
      state: 'provisioning',
    };
    const { transport, requests } = fakeTransport(
      json(200, [nic]),
      { status: 204, body: '' },
      json(500, { message: 'boom' }),
    );
    const napi = createNapi({ transport, baseUrl });
    expect((await napi.listNics({ belongs_to_uuid: SERVER, belongs_to_type: 'server' }))[0]!.mac).toBe(
      '00:25:90:fd:e4:88',
    );
    expect(await napi.deleteNic('00:25:90:FD:E4:88')).toBe(true);
    await expect(napi.deleteNic('00:25:90:fd:e4:88')).rejects.toMatchObject({ status: 500, apiMessage: 'boom' });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${baseUrl}/nics?belongs_to_uuid=${SERVER}&belongs_to_type=server`,
      `DELETE ${baseUrl}/nics/002590fde488`,
      `DELETE ${baseUrl}/nics/002590fde488`,
    ]);
    expect(macPathSegment('0:c:29:e9:7b:8f')).toBe('0c29e97b8f');
    expect(() => macPathSegment('../ping')).toThrow(/refusing MAC/);
  });

  it('a NIC with a mistyped belongs_to_uuid names the field', async () => {
    const { transport } = fakeTransport(
      json(200, [{ mac: '00:25:90:fd:e4:88', belongs_to_uuid: 42, belongs_to_type: 'server', owner_uuid: ADMIN }]),
    );
    const err = (await createNapi({ transport, baseUrl })
      .listNics({})
      .catch((e: unknown) => e)) as ParseError;
    expect(err.tool).toBe('NAPI GET /nics');
    expect(err.field).toBe('0.belongs_to_uuid');
  });
});

describe('SAPI', () => {
  const baseUrl = 'http://10.99.99.26';
  const inst = {
    uuid: VM,
    service_uuid: SVC,
    params: { alias: 'sapi0', server_uuid: SERVER },
    metadata: { ADMIN_IP: '10.99.99.26' },
    type: 'vm',
  };

  it('ping: mode; 500 when moray is unreachable is an ApiError', async () => {
    const { transport } = fakeTransport(
      json(200, { mode: 'full', storType: 'MorayStore' }),
      json(500, { message: 'moray unavailable' }),
    );
    const sapi = createSapi({ transport, baseUrl });
    expect(await sapi.ping()).toMatchObject({ mode: 'full', storType: 'MorayStore' });
    await expect(sapi.ping()).rejects.toMatchObject({ status: 500, apiMessage: 'moray unavailable' });
  });

  it('ping: an unknown mode is a ParseError at mode', async () => {
    const { transport } = fakeTransport(json(200, { mode: 'weird' }));
    const err = (await createSapi({ transport, baseUrl })
      .ping()
      .catch((e: unknown) => e)) as ParseError;
    expect(err.field).toBe('mode');
    expect(err.tool).toBe('SAPI GET /ping');
  });

  it('lists and gets', async () => {
    const { transport, requests } = fakeTransport(
      json(200, [{ uuid: '14160e92-5533-11e2-86a2-9f78cf99260d', name: 'sdc', owner_uuid: ADMIN }]),
      json(200, [{ uuid: SVC, name: 'sapi', application_uuid: '14160e92-5533-11e2-86a2-9f78cf99260d', type: 'vm' }]),
      json(200, [inst]),
      json(404, { code: 'ResourceNotFound' }),
      json(200, { metadata: { SERVICE_NAME: 'sapi' }, manifests: [] }),
      json(200, { uuid: VM, alias: 'sapi0', image_uuid: IMG, brand: 'joyent-minimal' }),
    );
    const sapi = createSapi({ transport, baseUrl });
    expect((await sapi.listApplications({ name: 'sdc' }))[0]!.name).toBe('sdc');
    expect(
      (await sapi.listServices({ name: 'sapi', application_uuid: '14160e92-5533-11e2-86a2-9f78cf99260d' }))[0]!.uuid,
    ).toBe(SVC);
    expect((await sapi.listInstances({ service_uuid: SVC }))[0]!.params?.alias).toBe('sapi0');
    expect(await sapi.getInstance(VM)).toBeNull();
    expect((await sapi.getConfig(VM)).metadata.SERVICE_NAME).toBe('sapi');
    expect((await sapi.getInstancePayload(VM)).image_uuid).toBe(IMG);
    expect(requests.map((r) => r.url)).toEqual([
      `${baseUrl}/applications?name=sdc`,
      `${baseUrl}/services?name=sapi&application_uuid=14160e92-5533-11e2-86a2-9f78cf99260d`,
      `${baseUrl}/instances?service_uuid=${SVC}`,
      `${baseUrl}/instances/${VM}`,
      `${baseUrl}/configs/${VM}`,
      `${baseUrl}/instances/${VM}/payload`,
    ]);
  });

  it('createInstance posts the body with a long timeout; deleteInstance', async () => {
    const { transport, requests } = fakeTransport(json(200, inst), { status: 204, body: '' });
    const sapi = createSapi({ transport, baseUrl });
    const body = {
      service_uuid: SVC,
      uuid: VM,
      params: { alias: 'sapi0', server_uuid: SERVER },
      metadata: {},
      exists: true,
    };
    expect((await sapi.createInstance(body)).uuid).toBe(VM);
    expect(requests[0]).toMatchObject({ method: 'POST', url: `${baseUrl}/instances`, body, timeoutMs: 15 * 60_000 });
    expect(await sapi.deleteInstance(VM, { timeoutMs: 1000 })).toBe(true);
    expect(requests[1]).toMatchObject({ method: 'DELETE', url: `${baseUrl}/instances/${VM}`, timeoutMs: 1000 });
    await expect(sapi.createInstance({ ...body, service_uuid: 'sapi' })).rejects.toThrow(/refusing service uuid/);
  });
});

describe('VMAPI', () => {
  const baseUrl = 'http://10.99.99.28';
  const vm = {
    uuid: VM,
    alias: 'sapi0',
    state: 'running',
    zone_state: 'running',
    brand: 'joyent-minimal',
    server_uuid: SERVER,
    owner_uuid: ADMIN,
    nics: [{ interface: 'net0', mac: '90:b8:d0:d6:26:6e', nic_tag: 'admin', ip: '10.99.99.26', primary: true }],
    tags: { smartdc_role: 'sapi', smartdc_type: 'core' },
  };

  it('ping, listVms filters, getVm with sync, 404 -> null', async () => {
    const { transport, requests } = fakeTransport(
      json(200, { healthy: true, status: 'OK', services: { moray: 'online', wfapi: 'online' } }),
      json(200, [vm]),
      json(200, vm),
      json(404, { code: 'ResourceNotFound' }),
    );
    const vmapi = createVmapi({ transport, baseUrl });
    expect((await vmapi.ping()).healthy).toBe(true);
    expect(await vmapi.listVms({ 'tag.smartdc_role': 'sapi', state: 'active', owner_uuid: ADMIN })).toHaveLength(1);
    expect((await vmapi.getVm(VM, { sync: true }))?.tags?.smartdc_role).toBe('sapi');
    expect(await vmapi.getVm(VM)).toBeNull();
    expect(requests.map((r) => r.url)).toEqual([
      `${baseUrl}/ping`,
      `${baseUrl}/vms?tag.smartdc_role=sapi&state=active&owner_uuid=${ADMIN}`,
      `${baseUrl}/vms/${VM}?sync=true`,
      `${baseUrl}/vms/${VM}`,
    ]);
  });

  it('a VM still provisioning: VMAPI gives null for what vm-agent has not reported yet (sdc-vmapi translateVm)', async () => {
    const provisioning = {
      ...vm,
      state: 'provisioning',
      zone_state: null,
      autoboot: null,
      zfs_filesystem: null,
      zpool: null,
      zonepath: null,
      last_modified: null,
      platform_buildstamp: null,
      resolvers: null,
      destroyed: null,
      nics: [],
      create_timestamp: '2026-01-01T00:00:00.000Z',
    };
    const { transport } = fakeTransport(
      json(200, [provisioning]),
      json(200, { ...provisioning, alias: null, server_uuid: null }),
    );
    const vmapi = createVmapi({ transport, baseUrl });
    const [listed] = await vmapi.listVms({ state: 'active' });
    expect(listed).toMatchObject({ state: 'provisioning', zone_state: null, nics: [] });
    expect(await vmapi.getVm(VM)).toMatchObject({ alias: null, server_uuid: null, zone_state: null });
  });

  it('a ping without healthy names the field', async () => {
    const { transport } = fakeTransport(json(200, { status: 'OK' }));
    const err = (await createVmapi({ transport, baseUrl })
      .ping()
      .catch((e: unknown) => e)) as ParseError;
    expect(err.tool).toBe('VMAPI GET /ping');
    expect(err.field).toBe('healthy');
  });
});

describe('IMGAPI', () => {
  const baseUrl = 'http://10.99.99.21';

  it('getImage: manifest, 404 -> null, 503 -> ApiError', async () => {
    const { transport, requests } = fakeTransport(
      json(200, {
        uuid: IMG,
        name: 'smartos',
        version: '1.6.3',
        state: 'active',
        files: [{ sha1: 'a', size: 1, compression: 'bzip2' }],
      }),
      json(404, { code: 'ResourceNotFound' }),
      json(503, { code: 'ServiceUnavailable', message: 'storage' }),
    );
    const imgapi = createImgapi({ transport, baseUrl });
    expect((await imgapi.getImage(IMG))?.name).toBe('smartos');
    expect(await imgapi.getImage(IMG)).toBeNull();
    await expect(imgapi.getImage(IMG)).rejects.toMatchObject({
      service: 'IMGAPI',
      status: 503,
      restCode: 'ServiceUnavailable',
    });
    expect(requests[0]).toMatchObject({ method: 'GET', url: `${baseUrl}/images/${IMG}` });
  });

  it('ping', async () => {
    const { transport, requests } = fakeTransport(json(200, { ping: 'pong' }));
    expect((await createImgapi({ transport, baseUrl }).ping()).ping).toBe('pong');
    expect(requests[0]!.url).toBe(`${baseUrl}/ping`);
  });
});
