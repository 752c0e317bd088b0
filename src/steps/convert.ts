// `convert SERVER`: the pre-checks, and the plan of what would run, built from
// what the DC shows now (CNAPI servers, VMAPI core zones, SAPI services).
import type { Dc } from '../remote/dc.js';
import type { BinderMember } from '../remote/coordination.js';
import { bindersOf } from './recovery-lock.js';
import { createSapi } from '../remote/triton/sapi.js';
import { createVmapi } from '../remote/triton/vmapi.js';
import { convertProblems, type ConvertFacts, type ConvertProblem } from '../state/convert-checks.js';
import { buildConvertPlan, type ConvertPlan } from '../state/convert-plan.js';
import type { LiveInstance } from '../state/convert-ha-step.js';
import { adminNicOf, type Inventory } from '../state/inventory.js';
import { gatherConvertFacts } from './convert-facts.js';
import { describeConvertAction } from '../state/convert-describe.js';
import { inventoryFromRestoreData, readRestoreData } from './restore-data.js';
import { displayLines } from '../state/display-text.js';
import { problemLines } from '../state/problem.js';

export interface ConvertCheck {
  facts: ConvertFacts;
  problems: ConvertProblem[];
  plan: ConvertPlan | undefined;
  /** Why no plan could be made, when there is none for a server that is not a headnode. */
  planError?: string;
  /** Admin IPs of the servers by hostname (to reach them over SSH), and where VMAPI is. */
  serverIps: Map<string, string>;
  /** binder's members (restore-data): where the DC-wide lock is. */
  binders: BinderMember[];
  cnapiUrl: string;
  vmapiUrl: string;
  sapiUrl: string;
}

const apiUrl = (inv: Inventory, svc: string): string =>
  `http://${inv.instances.find((i) => i.service === svc && i.adminIp)?.adminIp ?? 'UNKNOWN'}`;

/** Core services a conversion talks to, by API. */
const APIS = ['cnapi', 'sapi', 'vmapi', 'imgapi', 'napi'];

/**
 * API addresses from restore-data; on a headnode without it (sync not set up
 * yet), from this headnode's /usbkey/config, which lists <svc>_admin_ips.
 */
async function withConfigIps(dc: Dc, inv: Inventory, timeoutMs: number): Promise<Inventory> {
  const missing = APIS.filter((svc) => !inv.instances.some((i) => i.service === svc && i.adminIp));
  if (missing.length === 0) return inv;
  const r = await dc.local.run(['cat', '/usbkey/config'], { timeoutMs }).catch(() => undefined);
  if (!r || r.code !== 0) return inv;
  const extra = missing.flatMap((svc) => {
    const ip = new RegExp(`^${svc}_admin_ips?=([\\d.]+)`, 'm').exec(r.stdout)?.[1];
    return ip
      ? [
          {
            service: svc,
            uuid: '',
            alias: `${svc}0`,
            serverUuid: undefined,
            adminIp: ip,
            image: undefined,
            delegatedDataset: false,
          },
        ]
      : [];
  });
  return { ...inv, instances: [...inv.instances, ...extra] };
}

export async function checkConvert(dc: Dc, query: string, timeoutMs = 5_000): Promise<ConvertCheck> {
  const inv = await withConfigIps(dc, inventoryFromRestoreData(await readRestoreData(dc.restoreDataDir)), timeoutMs);
  const gathered = await gatherConvertFacts(dc, inv, query, timeoutMs);
  const { facts, servers } = gathered;
  const problems = convertProblems(facts);
  const t = facts.target;
  const serverIps = new Map(
    servers.flatMap((s) =>
      typeof s.sysinfo?.['Admin IP'] === 'string' ? [[s.hostname, s.sysinfo['Admin IP']] as const] : [],
    ),
  );
  const base = {
    facts,
    problems,
    serverIps,
    binders: bindersOf(inv),
    cnapiUrl: apiUrl(inv, 'cnapi'),
    vmapiUrl: apiUrl(inv, 'vmapi'),
    sapiUrl: apiUrl(inv, 'sapi'),
  };
  if (!t || t.headnode) return { ...base, plan: undefined };
  try {
    const plan = await planFor(dc, inv, servers, t, timeoutMs);
    // Zones the steps need: without them a step would fail half-way.
    const need: [string, string][] = [
      ['UNKNOWN-ASSETS', 'assets'],
      ['UNKNOWN-DHCPD', 'dhcpd'],
      ['UNKNOWN-SDC', 'sdc'],
    ];
    for (const [marker, svc] of need) {
      const a = plan.steps.flatMap((x) => x.actions).find((x) => JSON.stringify(x).includes(marker));
      if (a)
        problems.push({
          severity: 'critical',
          code: 'CORE_ZONE_MISSING',
          message: `no running ${svc} zone: the step "${a.summary}" needs one`,
          fix: `check ${svc} (sdcadm check-health, or vmadm list on its headnode)`,
        });
    }
    return { ...base, plan };
  } catch (err) {
    return { ...base, plan: undefined, planError: (err as Error).message };
  }
}

async function planFor(
  dc: Dc,
  inv: Inventory,
  servers: Awaited<ReturnType<typeof gatherConvertFacts>>['servers'],
  t: NonNullable<ConvertFacts['target']>,
  timeoutMs: number,
): Promise<ConvertPlan> {
  const opts = { timeoutMs };
  const sapiUrl = apiUrl(inv, 'sapi');
  const [vms, services] = await Promise.all([
    createVmapi({ transport: dc.http, baseUrl: apiUrl(inv, 'vmapi'), timeoutMs }).listVms({ state: 'active' }, opts),
    createSapi({ transport: dc.http, baseUrl: sapiUrl, timeoutMs }).listServices({ name: 'manatee' }, opts),
  ]);
  const hostOf = new Map(servers.map((s) => [s.uuid, s.hostname]));
  const live: LiveInstance[] = vms
    .filter(
      (v) =>
        v.tags?.['smartdc_type'] === 'core' &&
        typeof v.tags['smartdc_role'] === 'string' &&
        v.server_uuid &&
        hostOf.has(v.server_uuid),
    )
    .map((v) => ({
      service: String(v.tags!['smartdc_role']),
      alias: v.alias ?? '',
      uuid: v.uuid,
      serverUuid: v.server_uuid!,
      serverHostname: hostOf.get(v.server_uuid!)!,
    }));
  const running = new Set(vms.filter((v) => v.state === 'running').map((v) => v.uuid));
  const first = (svc: string): LiveInstance | undefined => live.find((x) => x.service === svc && running.has(x.uuid));
  const assets = first('assets');
  const assetsNics = assets ? vms.find((v) => v.uuid === assets.uuid)?.nics : undefined;
  const assetsIp = assetsNics ? (adminNicOf(assetsNics)?.ip ?? undefined) : undefined;
  const dhcpd = first('dhcpd');
  const adminIp = servers.find((s) => s.uuid === t.uuid)?.sysinfo?.['Admin IP'];
  const usbkeyMounted = assets ? await keyMounted(dc, servers, assets.serverHostname, timeoutMs) : false;
  return buildConvertPlan({
    usbkeyMounted,
    local: dc.local.name,
    target: { hostname: t.hostname, uuid: t.uuid, adminIp: typeof adminIp === 'string' ? adminIp : '' },
    assets: assets && assetsIp ? { hostname: assets.serverHostname, ip: assetsIp } : undefined,
    dhcpd: dhcpd ? { hostname: dhcpd.serverHostname, zone: dhcpd.uuid } : undefined,
    sdcHost: first('sdc')?.serverHostname,
    headnodes: servers.filter((s) => s.headnode).map((s) => ({ hostname: s.hostname, uuid: s.uuid })),
    instances: live,
    sapiUrl,
    cnapiUrl: apiUrl(inv, 'cnapi'),
    vmapiUrl: apiUrl(inv, 'vmapi'),
    manateeServiceUuid: services.find((s) => s.name === 'manatee')?.uuid,
  });
}

/**
 * `sdc-usbkey status` on the headnode whose key is packed: "mounted" (default
 * options) means someone wants it mounted, so it is mounted again afterwards
 * (as the prototype does).
 */
async function keyMounted(
  dc: Dc,
  servers: { hostname: string; sysinfo?: Record<string, unknown> | undefined }[],
  hostname: string,
  timeoutMs: number,
): Promise<boolean> {
  const ip = servers.find((s) => s.hostname === hostname)?.sysinfo?.['Admin IP'];
  const host = hostname === dc.local.name ? dc.local : dc.peer(hostname, typeof ip === 'string' ? ip : '');
  const r = await host.run(['sdc-usbkey', 'status'], { timeoutMs }).catch(() => undefined);
  return r?.code === 0 && r.stdout.trim() === 'mounted';
}

export function formatConvertText(c: ConvertCheck): string {
  const out: string[] = [];
  const t = c.facts.target;
  out.push(`Convert ${t ? `${t.hostname} (${t.uuid})` : c.facts.query} into a secondary headnode`);
  out.push('');
  if (c.problems.length === 0) out.push('Pre-checks: all passed');
  else {
    out.push('Pre-checks:');
    for (const p of c.problems) {
      const { line, fix } = problemLines(p);
      out.push(`  ${line}`, ...(fix ? [`       ${fix}`] : []));
    }
  }
  if (c.planError) out.push('', `No plan: ${c.planError}`);
  if (c.plan) {
    out.push('', 'Steps (each asks first; the server reboots twice):');
    c.plan.steps.forEach((s, i) => {
      out.push(`  ${i + 1}. ${s.title}  [on ${s.where}]`);
      for (const n of s.notes) out.push(`       note: ${n}`);
      for (const a of s.actions) out.push(`       - ${a.summary}`, `         ${describeConvertAction(a)}`);
    });
  }
  return displayLines(out) + '\n';
}
