// Every JSON/text sample from the reference set against the schema or parser it
// belongs to. Valid samples must parse; the malformed ones (SOURCES.md: invalid
// JSON, JS object literal, json -a streams, placeholders) must give a
// ParseError naming the tool, never a raw SyntaxError/ZodError.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParseError } from '../../src/remote/errors.js';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/remote/http.js';
import { createCnapi, CnapiBootParams, CnapiServer } from '../../src/remote/triton/cnapi.js';
import { ImageManifest } from '../../src/remote/triton/image-manifest.js';
import { createImgapi } from '../../src/remote/triton/imgapi.js';
import { createNapi, NapiIp, NapiNetwork, NapiNic, NapiPing } from '../../src/remote/triton/napi.js';
import { parseJson } from '../../src/remote/triton/parse.js';
import { createSapi, SapiApplication, SapiInstance } from '../../src/remote/triton/sapi.js';
import { adminIpOf, isHeadnode, isSetUp, parseSysinfo } from '../../src/remote/triton/sysinfo.js';
import { parseSvcsX } from '../../src/remote/triton/svcs.js';
import { parseVmadmGet } from '../../src/remote/triton/vmadm.js';
import { createVmapi, VmapiVm } from '../../src/remote/triton/vmapi.js';
import { parseZfsList } from '../../src/remote/triton/zfs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const samplesDir = path.resolve(repoRoot, 'test', 'fixtures', 'samples');
const sample = (name: string): string => readFileSync(path.join(samplesDir, name), 'utf8');

/** Drop the `$ sdc-imgapi ...` / `# sdc-cnapi ...` line and the HTTP headers. */
function httpBody(text: string): string {
  const lines = text.split('\n');
  const status = lines.findIndex((l) => l.startsWith('HTTP/1.1 '));
  const blank = lines.findIndex((l, i) => i > status && l.trim() === '');
  return lines.slice(blank + 1).join('\n');
}

/** Split a `json -a` / `json -Ha` stream of pretty-printed objects into documents. */
function jsonStream(text: string): string[] {
  return text
    .trim()
    .split(/\n(?=\{)/)
    .map((s) => s.trim())
    .filter((s) => s.startsWith('{'));
}

function dropFirstLine(text: string): string {
  return text.slice(text.indexOf('\n') + 1);
}

/** A transport answering every request with one canned body. */
function serve(body: string, status = 200): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const t = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    return { status, body };
  };
  return Object.assign(t, { requests });
}

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return err as ParseError;
  }
  throw new Error('expected a ParseError, nothing was thrown');
}

async function parseErrorOfAsync(p: Promise<unknown>): Promise<ParseError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return err as ParseError;
  }
  throw new Error('expected a ParseError, nothing was thrown');
}

const base = { baseUrl: 'http://10.99.99.18' };

describe('CNAPI samples', () => {
  it('cnapi-server.json: a 2014 COAL headnode with sysinfo', async () => {
    const cnapi = createCnapi({ ...base, transport: serve(sample('cnapi-server.json')) });
    const s = await cnapi.getServer('564d555a-328d-c8c4-4166-fc96982fa89f');
    expect(s).not.toBeNull();
    expect(s!.headnode).toBe(true);
    expect(s!.setup).toBe(true);
    expect(s!.status).toBe('running');
    expect(s!.boot_platform).toBe('20140429T175502Z');
    expect(s!.last_heartbeat).toBe('2014-05-06T10:13:47.579Z');
    expect(s!.sysinfo && isHeadnode(s!.sysinfo)).toBe(true);
    expect(s!.sysinfo && adminIpOf(s!.sysinfo)).toBe('10.99.99.7');
    // Fields we do not model pass through.
    expect((s as Record<string, unknown>).datacenter).toBe('lc-coal-1');
  });

  it('cnapi-server-doc.txt: the placeholder body is a ParseError naming CNAPI and the path', async () => {
    const body = httpBody(sample('cnapi-server-doc.txt'));
    expect(body.startsWith('{')).toBe(true);
    const cnapi = createCnapi({ ...base, transport: serve(body) });
    const err = await parseErrorOfAsync(cnapi.getServer('564d4374-d703-b97b-ca9f-7375f05f337c'));
    expect(err.tool).toBe('CNAPI GET /servers/564d4374-d703-b97b-ca9f-7375f05f337c');
    expect(err.field).toBe('');
    expect(err.message).toMatch(/invalid JSON/);
  });

  it('cnapi-boot-default.json and the booter cache entry parse as boot params', async () => {
    const cnapi = createCnapi({ ...base, transport: serve(sample('cnapi-boot-default.json')) });
    const bp = await cnapi.getBootParams('default');
    expect(bp.platform).toBe('20160517T105654Z');
    expect(bp.kernel_args.rabbitmq).toBe('guest:guest:10.192.0.20:5672');
    const cache = parseJson('booter cache', CnapiBootParams, sample('booter-cache-entry.json'));
    expect(cache.kernel_args.admin_nic).toBe('00:0c:29:e9:7b:8f');
    expect((cache as Record<string, unknown>).ip).toBe('10.192.0.43');
  });

  it('a mistyped field in a real server record names the dotted field', () => {
    const obj = JSON.parse(sample('cnapi-server.json')) as Record<string, unknown>;
    obj.headnode = 'true';
    let err = parseErrorOf(() => parseJson('CNAPI GET /servers', CnapiServer, JSON.stringify(obj)));
    expect(err.field).toBe('headnode');
    const obj2 = JSON.parse(sample('cnapi-server.json')) as {
      sysinfo: Record<string, Record<string, Record<string, unknown>>>;
    };
    obj2.sysinfo['Network Interfaces']!.e1000g1!.ip4addr = 7;
    err = parseErrorOf(() => parseJson('CNAPI GET /servers', CnapiServer, JSON.stringify(obj2)));
    expect(err.field).toBe('sysinfo.Network Interfaces.e1000g1.ip4addr');
    expect(err.message).toContain(
      'CNAPI GET /servers: unexpected output at sysinfo.Network Interfaces.e1000g1.ip4addr',
    );
  });
});

describe('sysinfo samples', () => {
  it('sysinfo-headnode.json', () => {
    const s = parseSysinfo(sample('sysinfo-headnode.json'));
    expect(s.UUID).toBe('564d555a-328d-c8c4-4166-fc96982fa89f');
    expect(isHeadnode(s)).toBe(true);
    expect(isSetUp(s)).toBe(true);
    expect(adminIpOf(s)).toBe('10.99.99.7');
    expect(s['Virtual Network Interfaces']?.external0?.ip4addr).toBe('10.88.88.200');
  });

  it('a sysinfo from before 2013-01-18 has no "Setup": it parses, and isSetUp does not guess', () => {
    const old = JSON.parse(sample('sysinfo-headnode.json')) as Record<string, unknown>;
    delete old['Setup'];
    const s = parseSysinfo(JSON.stringify(old));
    expect(s.Setup).toBeUndefined();
    expect(isSetUp(s)).toBeUndefined();
    expect(isHeadnode(s)).toBe(true);
    // "false" is still a no, not an unknown.
    expect(isSetUp(parseSysinfo(JSON.stringify({ ...old, Setup: 'false' })))).toBe(false);
  });

  it('sysinfo-cn-agent-doc.json (invalid JSON: `...`) is a ParseError; repaired it is a set-up CN', () => {
    const text = sample('sysinfo-cn-agent-doc.json');
    const err = parseErrorOf(() => parseSysinfo(text));
    expect(err.tool).toBe('sysinfo');
    expect(err.field).toBe('');
    const repaired = JSON.parse(text.replace(/,\s*\.\.\.\s*\]/, ']')) as { sysinfo: unknown };
    const s = parseSysinfo(JSON.stringify(repaired.sysinfo));
    expect(isHeadnode(s)).toBe(false);
    expect(isSetUp(s)).toBe(true);
    expect(adminIpOf(s)).toBe('10.0.42.50');
  });
});

describe('NAPI samples', () => {
  it('networks', async () => {
    const napi = createNapi({ ...base, transport: serve(sample('napi-networks-list.json')) });
    const nets = await napi.listNetworks({ name: 'admin' });
    expect(nets.map((n) => n.name)).toEqual(['admin', 'external']);
    expect(nets[0]!.nic_tag).toBeUndefined();
    const admin = parseJson('NAPI GET /networks/x', NapiNetwork, sample('napi-network-admin.json'));
    expect(admin.nic_tag).toBe('admin');
    expect(admin.resolvers).toEqual(['10.99.99.11']);
    expect(admin.provision_start_ip).toBe('10.99.99.37');
  });

  it('IPs: list, doc GetIP, real GetIP with free, reserve reply', async () => {
    const napi = createNapi({ ...base, transport: serve(sample('napi-ips-list.json')) });
    const ips = await napi.listIps('1275886f-3fdf-456e-bba6-28e0e2eab58f');
    expect(ips.map((i) => i.ip)).toEqual(['10.99.99.9', '10.99.99.10']);
    expect(ips[0]!.free).toBeUndefined();
    const doc = parseJson('NAPI', NapiIp, sample('napi-ip-doc.json'));
    expect(doc.belongs_to_type).toBe('zone');
    const real = parseJson('NAPI', NapiIp, sample('napi-ip.json'));
    expect(real).toMatchObject({
      free: false,
      belongs_to_type: 'server',
      belongs_to_uuid: 'ff4cac1a-fe98-11e0-acf9-5cf3fce3e7b0',
    });
    const reserved = parseJson('NAPI', NapiIp, sample('napi-ip-reserve-response.json'));
    expect(reserved).toEqual({ ip: '10.99.99.77', reserved: true, free: false });
  });

  it('NICs: GetNic, ProvisionNic, unsetup CN list', async () => {
    expect(parseJson('NAPI', NapiNic, sample('napi-nic.json')).mac).toBe('90:b8:d0:57:53:70');
    expect(parseJson('NAPI', NapiNic, sample('napi-nic-provision-response.json')).state).toBe('running');
    const napi = createNapi({ ...base, transport: serve(sample('napi-nics-unsetup-cn.json')) });
    const nics = await napi.listNics({ belongs_to_type: 'other' });
    expect(nics).toHaveLength(1);
    expect(nics[0]).toMatchObject({ belongs_to_type: 'other', ip: '10.192.0.43', nic_tag: 'admin' });
  });

  it('napi-nics-old-headnode.jsonstream.txt: not one JSON document, but each object is a NIC', async () => {
    const text = sample('napi-nics-old-headnode.jsonstream.txt');
    const napi = createNapi({ ...base, transport: serve(text) });
    const err = await parseErrorOfAsync(napi.listNics({ belongs_to_uuid: '00000000-0000-0000-0000-002590fde488' }));
    expect(err.tool).toBe('NAPI GET /nics');
    const nics = jsonStream(text).map((doc) => parseJson('NAPI', NapiNic, doc));
    expect(nics.map((n) => n.mac)).toEqual(['00:25:90:fd:e4:8a', '00:25:90:fd:e4:8b', '00:25:90:fd:e4:88']);
    expect(nics[2]!.ip).toBe('10.11.11.1');
    expect(nics.every((n) => n.belongs_to_type === 'server' && n.state === 'provisioning')).toBe(true);
  });

  it('napi-ping.json', () => {
    expect(parseJson('NAPI GET /ping', NapiPing, sample('napi-ping.json'))).toMatchObject({
      healthy: true,
      status: 'OK',
    });
  });
});

describe('SAPI samples', () => {
  it('applications list and a real instance', async () => {
    const sapi = createSapi({ ...base, transport: serve(sample('sapi-applications-list.json')) });
    const apps = await sapi.listApplications({ name: 'sdc' });
    expect(apps[0]!.name).toBe('sdc');
    const inst = parseJson('SAPI', SapiInstance, sample('sapi-instance.json'));
    expect(inst.params?.alias).toBe('sapi0');
    expect(inst.params?.server_uuid).toBe('fb6e5c86-4247-11e1-a93a-5cf3fcba325c');
    expect(inst.metadata?.ADMIN_IP).toBe('10.65.65.26');
    expect(parseJson('SAPI', SapiApplication, JSON.stringify(apps[0])).uuid).toBe(
      '14160e92-5533-11e2-86a2-9f78cf99260d',
    );
  });

  it('sapi-instances-stream.txt: a command line and two objects, each an instance', () => {
    const docs = jsonStream(dropFirstLine(sample('sapi-instances-stream.txt')));
    const insts = docs.map((d) => parseJson('SAPI', SapiInstance, d));
    expect(insts.map((i) => i.params?.alias)).toEqual(['sapi0', 'sapi0tmp']);
    const err = parseErrorOf(() =>
      parseJson('SAPI GET /instances', z.array(SapiInstance), sample('sapi-instances-stream.txt')),
    );
    expect(err.tool).toBe('SAPI GET /instances');
  });

  it('invalid JSON doc samples are ParseErrors naming SAPI and the path', async () => {
    const cases: [string, (s: ReturnType<typeof createSapi>) => Promise<unknown>, string][] = [
      ['sapi-services-list.json', (s) => s.listServices({ name: 'storage' }), 'SAPI GET /services'],
      [
        'sapi-instance-doc.json',
        (s) => s.getInstance('b63c3b56-6bd1-11e2-af0a-836066bbb42e'),
        'SAPI GET /instances/b63c3b56-6bd1-11e2-af0a-836066bbb42e',
      ],
      [
        'sapi-instance-payload-doc.json',
        (s) => s.getInstancePayload('18e7dbc9-0f2b-421b-ba39-d1701c55a1f5'),
        'SAPI GET /instances/18e7dbc9-0f2b-421b-ba39-d1701c55a1f5/payload',
      ],
    ];
    for (const [file, call, tool] of cases) {
      const sapi = createSapi({ ...base, transport: serve(sample(file)) });
      const err = await parseErrorOfAsync(call(sapi));
      expect(err.tool).toBe(tool);
      expect(err.message).toMatch(/invalid JSON/);
    }
  });
});

describe('VMAPI samples', () => {
  it('vmapi-vm-kvm-doc.json parses (alias null, no zonepath)', async () => {
    const vmapi = createVmapi({ ...base, transport: serve(sample('vmapi-vm-kvm-doc.json')) });
    const vm = await vmapi.getVm('03750e6a-fcf6-4755-85b5-22b8ddf0f1fb');
    expect(vm?.brand).toBe('kvm');
    expect(vm?.alias).toBeNull();
    expect(vm?.nics[0]?.ip).toBe('10.99.99.32');
  });

  it('vmapi-vm.json (trailing comma) and vmapi-ping-doc.json are ParseErrors', async () => {
    const vmapi = createVmapi({ ...base, transport: serve(sample('vmapi-vm.json')) });
    const err = await parseErrorOfAsync(vmapi.getVm('ef375f03-57ca-44a9-bc8d-63aec09fbc37'));
    expect(err.tool).toBe('VMAPI GET /vms/ef375f03-57ca-44a9-bc8d-63aec09fbc37');
    const ping = createVmapi({ ...base, transport: serve(sample('vmapi-ping-doc.json')) });
    expect((await parseErrorOfAsync(ping.ping())).tool).toBe('VMAPI GET /ping');
  });

  it('the assets1 sample without its trailing comma is a valid VMAPI VM', () => {
    const fixed = sample('vmapi-vm.json').replace(/,(\s*)\}\s*$/, '$1}');
    const vm = parseJson('VMAPI', VmapiVm, fixed);
    expect(vm.tags?.smartdc_role).toBe('assets');
    expect(vm.destroyed).toBe('');
  });
});

describe('vmadm samples', () => {
  it('vmadm-get.json: the 2011 format still has what the schema needs (nics lack interface)', () => {
    const vm = parseVmadmGet(sample('vmadm-get.json'));
    expect(vm.uuid).toBe('54f1cc77-68f1-42ab-acac-5c4f64f5d6e0');
    expect(vm.nics[0]!.interface).toBeUndefined();
    expect(vm.nics[0]!.ip).toBe('10.2.121.70');
    expect(vm.server_uuid).toBeUndefined();
    expect(vm.zone_state).toBeUndefined();
  });

  it('vmadm-get-core-like.js-object.txt: a JS object literal is a ParseError, not a SyntaxError', () => {
    const err = parseErrorOf(() => parseVmadmGet(sample('vmadm-get-core-like.js-object.txt')));
    expect(err.tool).toBe('vmadm get');
    expect(err.field).toBe('');
    expect(err.message).toMatch(/^vmadm get: unexpected output at \(top level\): invalid JSON/);
  });
});

describe('IMGAPI samples', () => {
  it('imgapi-manifest.json and the GetImage body from sdc-imgapi', async () => {
    const m = parseJson('IMGAPI', ImageManifest, sample('imgapi-manifest.json'));
    expect(m).toMatchObject({ name: 'smartos', version: '1.6.3', type: 'zone-dataset' });
    const imgapi = createImgapi({ ...base, transport: serve(httpBody(sample('imgapi-getimage-sdc-imgapi.txt'))) });
    const img = await imgapi.getImage('01b2c898-945f-11e1-a523-af1afbe22822');
    expect(img?.files?.[0]?.sha1).toBe('97f20b32c2016782257176fb58a35e5044f05840');
    expect((img as Record<string, unknown>).urn).toBe('sdc:sdc:smartos:1.6.3');
  });
});

describe('text samples', () => {
  it('svcs-x-illumos-man.txt (prompt line removed)', () => {
    const problems = parseSvcsX(dropFirstLine(sample('svcs-x-illumos-man.txt')));
    expect(problems).toEqual([
      {
        fmri: 'svc:/application/print/server:default',
        description: 'LP print server',
        state: 'disabled',
        since: 'Mon Feb 13 17:56:21 2006',
        reason: 'Disabled by an administrator.',
        see: ['http://sun.com/msg/SMF-8000-05', 'lpsched(1M)'],
        impact: '2 dependent services are not running. (Use -v for list.)',
      },
    ]);
  });

  it('zfs-list-manatee-zone.txt is the human format (no -Hp): refused, not misread', () => {
    const err = parseErrorOf(() => parseZfsList(dropFirstLine(sample('zfs-list-manatee-zone.txt'))));
    expect(err.tool).toBe('zfs list');
    expect(err.field).toBe('0');
  });
});
