// The DC as the core APIs describe it now: SAPI (the sdc application, its
// services and instances), CNAPI (servers with sysinfo), NAPI (the admin
// network and its IP records), VMAPI (where each core zone runs). SAPI is
// found first: from --sapi-url, the SAPI IPs recorded by the last sync, or the
// sapi-url in the metadata of a core zone on this headnode. The other APIs
// from where their instances run now (api-addresses.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Dc } from '../../remote/dc.js';
import { createCnapi, type CnapiServer } from '../../remote/triton/cnapi.js';
import { createNapi, type NapiIp, type NapiNetwork } from '../../remote/triton/napi.js';
import { parseJson } from '../../remote/triton/parse.js';
import { SapiApplication, createSapi, type SapiInstance, type SapiService } from '../../remote/triton/sapi.js';
import { vmadmLookup } from '../../remote/triton/vmadm.js';
import { createVmapi } from '../../remote/triton/vmapi.js';
import { Uuid } from '../../values/schemas.js';
import { paths } from '../../state/restore-data-layout.js';
import { adminIpsByZone, answeredAt, apiAddresses, apiUrls, type ApiAddresses } from './api-addresses.js';
import { SyncStepError, asStepError } from './errors.js';
import type { SyncTiming } from './timing.js';

/** http://<IPv4 or DNS name>[:port], nothing else: it becomes every API call's base. */
export const ApiUrl = z
  .string()
  .regex(/^https?:\/\/([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(:\d{1,5})?\/?$/, 'not an http://host[:port] URL')
  .transform((u) => u.replace(/\/+$/, ''));

export interface DcFacts {
  sapiUrl: string;
  application: SapiApplication;
  services: SapiService[];
  instances: SapiInstance[];
  servers: CnapiServer[];
  /** Instance uuid -> server uuid, from VMAPI (empty when VMAPI did not answer). */
  vmServers: Map<string, string>;
  network?: NapiNetwork;
  ips?: NapiIp[];
  napiUrl?: string;
  imgapiUrls: string[];
  /** The DC-wide part is incomplete (NAPI did not answer ...): said in dc/synced.json. */
  errors: string[];
  warnings: string[];
}

/** Where SAPI might answer, best first. */
export async function sapiCandidates(
  dc: Dc,
  root: string,
  explicit: string | undefined,
  timing: SyncTiming,
): Promise<{ urls: string[]; tried: string[] }> {
  const urls: string[] = [];
  const tried: string[] = [];
  const add = (u: string | undefined): void => {
    const r = ApiUrl.safeParse(u);
    if (r.success && !urls.includes(r.data)) urls.push(r.data);
  };
  if (explicit !== undefined) {
    const r = ApiUrl.safeParse(explicit);
    if (!r.success)
      throw new SyncStepError(
        dc.local.name,
        `--sapi-url ${explicit}`,
        r.error.issues[0]?.message ?? 'invalid',
        'give it as http://<SAPI admin IP>',
      );
    add(r.data);
  }
  try {
    const app = parseJson(
      'restore-data dc/sdc-application.json',
      SapiApplication,
      await readFile(join(root, paths.sdcApplication), 'utf8'),
    );
    for (const u of apiUrls(app, 'sapi')) add(u);
    tried.push("the last sync's dc/sdc-application.json");
  } catch {
    tried.push('no readable dc/sdc-application.json from an earlier sync');
  }
  try {
    // Every core zone is told where SAPI is (customer_metadata sapi-url); headnodes run some.
    const zones = await vmadmLookup(dc.local, { 'tags.smartdc_type': 'core' }, { timeoutMs: timing.commandTimeoutMs });
    for (const z of zones)
      add(typeof z.customer_metadata?.['sapi-url'] === 'string' ? z.customer_metadata['sapi-url'] : undefined);
    tried.push(`sapi-url of ${zones.length} core zone(s) on ${dc.local.name}`);
  } catch (e) {
    tried.push(`vmadm lookup on ${dc.local.name} failed: ${(e as Error).message}`);
  }
  return { urls, tried };
}

/** The first base URL whose call succeeds, or the last failure. */
async function firstAnswer<T>(
  urls: readonly string[],
  call: (base: string) => Promise<T>,
  here: string,
  what: string,
): Promise<{ base: string; value: T }> {
  let last: SyncStepError | undefined;
  for (const base of urls) {
    try {
      return { base, value: await call(base) };
    } catch (e) {
      last = asStepError(e, here, `${what} at ${base}`);
    }
  }
  throw last ?? new SyncStepError(here, what, 'no address known for it', 'check the sdc application metadata in SAPI');
}

/**
 * SAPI and CNAPI must answer (no services or servers, nothing to sync: the
 * caller refuses); VMAPI, NAPI and IMGAPI failures are recorded and the rest
 * goes on.
 */
export async function gatherDcFacts(dc: Dc, sapiUrls: readonly string[], timing: SyncTiming): Promise<DcFacts> {
  const here = dc.local.name;
  const opts = { timeoutMs: timing.httpTimeoutMs };
  const transport = dc.http;
  const sapi = await firstAnswer(
    sapiUrls,
    async (base) => {
      const s = createSapi({ transport, baseUrl: base });
      const apps = await s.listApplications({ name: 'sdc' }, opts);
      const app = apps.find((a) => a.name === 'sdc');
      if (!app) throw new Error('SAPI has no "sdc" application');
      return { s, app };
    },
    here,
    'GET /applications?name=sdc',
  );
  const application = sapi.value.app;
  const services = (
    await sapi.value.s.listServices({ application_uuid: application.uuid }, opts).catch((e: unknown) => {
      throw asStepError(e, here, `GET ${sapi.base}/services`);
    })
  ).filter((s) => s.application_uuid === application.uuid);
  const instances = await sapi.value.s.listInstances({}, opts).catch((e: unknown) => {
    throw asStepError(e, here, `GET ${sapi.base}/instances`);
  });
  const errors: string[] = [];
  const warnings: string[] = [];
  // Admin NICs of the core zones on this headnode first: VMAPI's own address too.
  const adminIps = adminIpsByZone(
    await vmadmLookup(dc.local, { 'tags.smartdc_type': 'core' }, { timeoutMs: timing.commandTimeoutMs }).catch(
      () => [],
    ),
  );
  const found = new Map<string, ApiAddresses>();
  const where = (svc: string): string[] => {
    const a = apiAddresses(svc, services, instances, adminIps, application);
    if (a.fallback) warnings.push(a.fallback);
    found.set(svc, a);
    return a.urls;
  };
  const saidAt = (svc: string, base: string): void => {
    const a = found.get(svc);
    const w = a && answeredAt(svc, a, base);
    if (w) warnings.push(w);
  };
  const vmServers = new Map<string, string>();
  const admin = application.metadata?.['ufds_admin_uuid'];
  try {
    const vms = await firstAnswer(
      where('vmapi'),
      (base) =>
        createVmapi({ transport, baseUrl: base }).listVms(
          {
            state: 'active',
            ...(typeof admin === 'string' && Uuid.safeParse(admin).success ? { owner_uuid: admin } : {}),
          },
          opts,
        ),
      here,
      'GET /vms?state=active',
    );
    saidAt('vmapi', vms.base);
    for (const v of vms.value) if (v.server_uuid) vmServers.set(v.uuid, v.server_uuid);
    adminIpsByZone(vms.value, adminIps);
  } catch (e) {
    warnings.push(
      `VMAPI did not answer (${asStepError(e, here, 'GET /vms').message}): where each zone runs is taken from SAPI's params.server_uuid`,
    );
  }
  const cnapi = await firstAnswer(
    where('cnapi'),
    (base) => createCnapi({ transport, baseUrl: base }).listServers({ extras: ['sysinfo'] }, opts),
    here,
    'GET /servers?extras=sysinfo',
  );
  saidAt('cnapi', cnapi.base);
  const servers = cnapi.value;

  const facts: DcFacts = {
    sapiUrl: sapi.base,
    application,
    services,
    instances,
    servers,
    vmServers,
    imgapiUrls: where('imgapi'),
    errors,
    warnings,
  };
  try {
    const napi = await firstAnswer(
      where('napi'),
      async (base) => {
        const n = createNapi({ transport, baseUrl: base });
        const nets = await n.listNetworks({ name: 'admin' }, opts);
        const network = nets.find((x) => x.name === 'admin');
        if (!network) throw new Error('NAPI has no "admin" network');
        return { network, ips: await n.listIps(network.uuid, {}, opts) };
      },
      here,
      'GET /networks?name=admin',
    );
    facts.network = napi.value.network;
    facts.ips = napi.value.ips;
    facts.napiUrl = napi.base;
    saidAt('napi', napi.base);
  } catch (e) {
    const se = asStepError(e, here, 'GET /networks?name=admin');
    errors.push(
      `NAPI: ${se.message}: dc/admin-network.json, dc/admin-ips.json and dc/recovery-ips.json keep their last good copy (next: ${se.next})`,
    );
  }
  return facts;
}
