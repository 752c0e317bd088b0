// The conversion actions test/steps/convert-actions*.test.ts run alone: the
// plan's own actions (buildConvertPlan on a DC with two of each HA service), a
// context whose every GZ is the expecting fake, and prepare/execute wrappers
// that fail a test on a call the fake did not expect or one it expected but
// never saw.
import { expect } from 'vitest';
import type { ConvertAction } from '../../src/state/convert-action.js';
import type { LiveInstance } from '../../src/state/convert-ha-step.js';
import { buildConvertPlan, type ConvertPlanInput } from '../../src/state/convert-plan.js';
import {
  ActionFailed,
  DEFAULT_CONVERT_TIMING,
  executeConvert,
  prepareConvert,
  type ConvertContext,
  type ConvertTiming,
} from '../../src/steps/convert/index.js';
import type { Prepared } from '../../src/steps/procedure/run-action.js';
import type { FakeDc } from '../support/fake-dc.js';

export const T = { hostname: 'cn0', uuid: '91cd462d-c036-5f49-97cb-9a2cdce4e2b7', adminIp: '10.99.99.43' };
export const CNAPI = 'http://10.99.99.22';
export const VMAPI = 'http://10.99.99.28';
export const SAPI = 'http://10.99.99.30';
export const MANATEE_SVC = 'c3b5b4a2-0000-4000-8000-000000000001';
export const SDCADM_IMAGE = '0f3b4a2c-6d1e-4b7a-9c8d-1e2f3a4b5c6d';
export const VM = '67be4635-bfdb-527a-8b91-44daa9249090';
export const PREP = '/usbkey/extra/headnode-prepare';
export const hn = (n: number): { hostname: string; uuid: string } => ({
  hostname: `headnode${n}`,
  uuid: `00000000-0000-4000-8000-00000000000${n}`,
});
export const inst = (service: string, alias: string, on: number): LiveInstance => ({
  service,
  alias,
  uuid: `${alias}-uuid`,
  serverUuid: hn(on).uuid,
  serverHostname: hn(on).hostname,
});

export const INPUT: ConvertPlanInput = {
  local: 'headnode1',
  target: T,
  assets: { hostname: 'headnode0', ip: '10.99.99.8' },
  usbkeyMounted: true,
  dhcpd: { hostname: 'headnode0', zone: 'dhcpd0-uuid' },
  sdcHost: 'headnode0',
  headnodes: [hn(0), hn(1)],
  instances: ['binder', 'manatee', 'moray'].flatMap((s) => [inst(s, `${s}0`, 0), inst(s, `${s}1`, 1)]),
  sapiUrl: SAPI,
  cnapiUrl: CNAPI,
  vmapiUrl: VMAPI,
  manateeServiceUuid: MANATEE_SVC,
};
export const ACTIONS = buildConvertPlan(INPUT).steps.flatMap((s) => s.actions);
export function action(id: string): ConvertAction {
  const a = ACTIONS.find((x) => x.id === id);
  if (!a) throw new Error(`no action ${id} in the plan`);
  return a;
}

export interface Ctx {
  journaled?: { started?: string[]; endedOk?: string[] };
  timing?: Partial<ConvertTiming>;
}

/** Every GZ is the fake's: a test pins the argv, the fake does not tell hosts apart. */
export function ctx(dc: FakeDc, o: Ctx = {}, output: string[] = []): ConvertContext {
  return {
    dc,
    timing: {
      ...DEFAULT_CONVERT_TIMING,
      pollMs: 1,
      commandTimeoutMs: 5_000,
      shutdownGraceMs: 0,
      settleMs: 60_000,
      ...o.timing,
    },
    target: { hostname: T.hostname, uuid: T.uuid },
    cnapiUrl: CNAPI,
    vmapiUrl: VMAPI,
    sapiUrl: SAPI,
    prepareScript: '#!/bin/bash\necho prepared\n',
    host: () => dc.local,
    onOutput: (_a, text) => output.push(text),
    journaled: { started: new Set(o.journaled?.started ?? []), endedOk: new Set(o.journaled?.endedOk ?? []) },
  };
}

export async function prepared(dc: FakeDc, id: string, o: Ctx = {}): Promise<Prepared> {
  const r = await prepareConvert(ctx(dc, o), action(id));
  dc.verify();
  return r;
}

export async function executed(dc: FakeDc, id: string, o: Ctx = {}, output: string[] = []): Promise<string> {
  const r = await executeConvert(ctx(dc, o, output), action(id));
  dc.verify();
  return r;
}

/** The ActionFailed execute rejects with, after every expected call was made. */
export async function failed(dc: FakeDc, id: string, o: Ctx = {}): Promise<ActionFailed> {
  const err = await executeConvert(ctx(dc, o), action(id)).then(
    () => undefined,
    (e: unknown) => e,
  );
  dc.verify();
  expect(err).toBeInstanceOf(ActionFailed);
  return err as ActionFailed;
}

export const sysinfo = (o: { headnode: boolean; bootMs: number; admin?: boolean }): Record<string, unknown> => ({
  UUID: T.uuid,
  Hostname: T.hostname,
  'Boot Parameters': o.headnode ? { headnode: 'true' } : { rabbitmq: 'guest:guest:10.99.99.20:5672' },
  'Live Image': '20250101T000000Z',
  'Network Interfaces': {
    e1000g0: {
      'MAC Address': '00:0c:29:aa:bb:cc',
      ip4addr: o.admin === false ? '' : T.adminIp,
      'NIC Names': o.admin === false ? [] : ['admin'],
    },
    e1000g1: { 'MAC Address': '00:0c:29:dd:ee:ff', ip4addr: '', 'NIC Names': ['external'] },
  },
  'Boot Time': String(Math.floor(o.bootMs / 1000)),
});
export const cnapiServer = (headnode: boolean, si?: Record<string, unknown>): string =>
  JSON.stringify({
    uuid: T.uuid,
    hostname: T.hostname,
    headnode,
    setup: true,
    status: 'running',
    ...(si ? { sysinfo: si } : {}),
  });
export const PREPARED_AT = Date.parse('2026-01-01T10:00:00Z');
export const PREPARE_LOG = {
  stdout: `2026-01-01T09:00:00Z started ${T.uuid}\n2026-01-01T10:00:00Z prepared ${T.uuid}\n`,
};
export const NO_FILE = { code: 1 };
