// Gathering what the conversion checks need, in parallel, each with a deadline:
// the server from CNAPI, the source headnode's gz-tools build, the dhcpd
// and vmapi images, SAPI's mode, the manatee shard.
import type { Dc } from '../remote/dc.js';
import { createCnapi, type CnapiServer } from '../remote/triton/cnapi.js';
import { createImgapi } from '../remote/triton/imgapi.js';
import { manateePgStatus } from '../remote/triton/manatee.js';
import { createSapi } from '../remote/triton/sapi.js';
import { createVmapi } from '../remote/triton/vmapi.js';
import { Uuid } from '../values/schemas.js';
import type { ConvertFacts } from '../state/convert-checks.js';
import type { Inventory } from '../state/inventory.js';

const ipOf = (inv: Inventory, service: string): string | undefined =>
  inv.instances.find((i) => i.service === service && i.adminIp)?.adminIp;

export async function gatherConvertFacts(
  dc: Dc,
  inv: Inventory,
  query: string,
  timeoutMs = 5_000,
): Promise<{ facts: ConvertFacts; servers: CnapiServer[] }> {
  const t = { timeoutMs };
  const api = (svc: string): string => `http://${ipOf(inv, svc) ?? 'UNKNOWN'}`;
  const cnapi = createCnapi({ transport: dc.http, baseUrl: api('cnapi'), timeoutMs });
  let cnapiError: string | undefined;
  const servers = await cnapi.listServers({ extras: ['sysinfo'] }, t).catch((err: unknown) => {
    cnapiError = (err as Error).message;
    return undefined;
  });
  const byQuery = (s: { uuid: string; hostname: string }): boolean =>
    Uuid.safeParse(query).success ? s.uuid === query : s.hostname === query;
  const srv = servers?.find(byQuery);
  const headnodes = (servers ?? []).filter((s) => s.headnode).map((s) => s.hostname);
  const facts: ConvertFacts = {
    query,
    ...(cnapiError ? { cnapiError } : {}),
    ...(srv
      ? {
          target: {
            uuid: srv.uuid,
            hostname: srv.hostname,
            headnode: srv.headnode,
            setup: srv.setup,
            alive: srv.status === 'running',
            ...(srv.sysinfo?.['Live Image'] ? { platform: srv.sysinfo['Live Image'] } : {}),
          },
        }
      : {}),
    gzTools: {},
    sapiMode: {},
    headnodes,
  };
  if (!srv) return { facts, servers: servers ?? [] };
  const manatee = inv.instances.find((i) => i.service === 'manatee' && i.serverUuid === srv.uuid);
  const survivor = inv.instances.find((i) => i.service === 'manatee' && i.serverUuid !== srv.uuid);
  const survivorSrv = inv.servers.find((s) => s.uuid === survivor?.serverUuid);
  // The gz-tools that matter are on the new key (HEAD-2343's headnode.sh): the
  // source headnode's, whose key is packed. sdcadm update-gz-tools records its
  // image there (sdcadm lib/cli/do_update_gz_tools.js), not on compute nodes.
  const assets = inv.instances.find((i) => i.service === 'assets' && i.serverUuid);
  // Without restore-data's zones: this headnode, where the console runs.
  const source = inv.servers.find((s) => s.uuid === assets?.serverUuid) ?? {
    hostname: dc.local.name,
    adminIp: undefined,
  };
  const sourceHost = source.hostname === dc.local.name ? dc.local : dc.peer(source.hostname, source.adminIp ?? '');
  await Promise.all([
    (async () => {
      facts.gzTools = { host: source.hostname };
      try {
        const r = await sourceHost.run(['cat', '/opt/smartdc/etc/gz-tools.image'], t);
        const image = r.stdout.trim();
        if (r.code !== 0 || !Uuid.safeParse(image).success)
          return void (facts.gzTools = {
            host: source.hostname,
            why: `/opt/smartdc/etc/gz-tools.image: ${r.stderr.trim() || 'not a UUID'}`,
          });
        const m = await createImgapi({ transport: dc.http, baseUrl: api('imgapi'), timeoutMs }).getImage(image, t);
        facts.gzTools = m
          ? { host: source.hostname, version: String(m.version) }
          : { host: source.hostname, why: `IMGAPI does not know image ${image}` };
      } catch (err) {
        facts.gzTools = { host: source.hostname, why: (err as Error).message };
      }
    })(),
    (async () => {
      // Image versions: hn-netfile needs NET-371/NET-376 in every dhcpd, provisioning
      // ZAPI-800 in vmapi (sdcadm rfd67 lib/headnode.js, RFD 67 "Code").
      const imgapi = createImgapi({ transport: dc.http, baseUrl: api('imgapi'), timeoutMs });
      const versions = (svc: string): Promise<{ alias: string; version?: string }[]> =>
        Promise.all(
          inv.instances
            .filter((i) => i.service === svc && i.image)
            .map(async (d) => {
              const m = await imgapi.getImage(d.image!, t).catch(() => undefined);
              return m ? { alias: d.alias, version: String(m.version) } : { alias: d.alias };
            }),
        );
      [facts.dhcpd, facts.vmapi] = await Promise.all([versions('dhcpd'), versions('vmapi')]);
    })(),
    (async () => {
      try {
        facts.sapiMode = {
          mode: (await createSapi({ transport: dc.http, baseUrl: api('sapi'), timeoutMs }).ping(t)).mode,
        };
      } catch (err) {
        facts.sapiMode = { why: (err as Error).message };
      }
    })(),
    (async () => {
      if (!manatee) return;
      if (!survivor || !survivorSrv?.adminIp)
        return void (facts.manatee = { alias: manatee.alias, why: 'no other manatee peer to ask' });
      const via =
        survivorSrv.hostname === dc.local.name ? dc.local : dc.peer(survivorSrv.hostname, survivorSrv.adminIp);
      try {
        const pg = await manateePgStatus(via, survivor.uuid, t);
        facts.manatee = { alias: manatee.alias, peersOk: pg.peers.filter((p) => p.pg === 'ok').length };
      } catch (err) {
        facts.manatee = { alias: manatee.alias, why: (err as Error).message };
      }
    })(),
    (async () => {
      try {
        const vms = await createVmapi({ transport: dc.http, baseUrl: api('vmapi'), timeoutMs }).listVms(
          { server_uuid: srv.uuid, state: 'active' },
          t,
        );
        // Core zones carry smartdc_type=core; anything else is a customer's.
        facts.customerVms = vms.filter(
          (v) => (v.tags as Record<string, unknown> | undefined)?.['smartdc_type'] !== 'core',
        ).length;
      } catch {
        /* unknown: no warning either way */
      }
    })(),
  ]);
  return { facts, servers: servers ?? [] };
}
