// What `manatee-adm show`, ZooKeeper's `stat` and `svcs -xz` print.
import type { Scenario, ScenarioInstance } from '../scenario.js';
import type { SimWorld } from '../world.js';
import { binderIps } from './common.js';

export function manateeShow(world: SimWorld): string {
  const m = world.state.manatee;
  if (!m) return 'error: no manatee cluster state found\n';
  const inst = (alias: string): ScenarioInstance | undefined =>
    world.state.instances.find((i) => i.alias === alias && i.service === 'manatee');
  const short = (alias: string): string => (inst(alias)?.uuid ?? alias).slice(0, 8);
  const up = (alias: string): boolean => {
    const i = inst(alias);
    return !!i && world.isUp(i);
  };
  const rows: string[][] = [];
  const lsn = '0/5A3C1F28';
  const primaryUp = up(m.primary);
  const syncUp = !!m.sync && up(m.sync);
  // What the primary's downstream replicates as (REPL = its sync_state), null when none is connected.
  const primaryRepl =
    primaryUp && syncUp ? (m.syncReplication === 'none' ? null : (m.syncReplication ?? 'sync')) : null;
  const syncRepl = syncUp && m.async[0] !== undefined && up(m.async[0]) ? 'async' : null;
  const replCells = (r: string | null): string[] => (r ? [r, lsn, lsn, lsn, lsn] : ['-', '-', '-', '-', '-']);
  rows.push(['primary', short(m.primary), primaryUp ? 'ok' : 'fail', ...replCells(primaryRepl), '-']);
  if (m.sync) rows.push(['sync', short(m.sync), syncUp ? 'ok' : 'fail', ...replCells(syncRepl), '-']);
  for (const a of m.async)
    rows.push(['async', short(a), up(a) ? 'ok' : 'fail', '-', '-', '-', '-', '-', up(a) ? '0m00s' : '-']);
  for (const d of m.deposed ?? [])
    rows.push(['deposed', short(d), up(d) ? 'ok' : 'fail', '-', '-', '-', '-', '-', '-']);
  const header = ['ROLE', 'PEER', 'PG', 'REPL', 'SENT', 'WRITE', 'FLUSH', 'REPLAY', 'LAG'];
  const widths = [8, 8, 4, 5, 10, 10, 10, 10, 5];
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join(' ') + ' ';
  const notes = manateeIssues(m, { primaryUp, syncUp, primaryRepl, syncRepl, short });
  const zk = binderIps(world).filter((ip) => world.liveInstances().some((i) => i.adminIp === ip && world.isUp(i)));
  return [
    `zookeeper:   ${zk[0] ?? binderIps(world)[0] ?? 'UNUSED'}`,
    `cluster:     sdc`,
    `generation:  ${(m.deposed ?? []).length + 1} (${lsn})`,
    `mode:        ${m.mode === 'singleton' ? 'singleton (one-node-write)' : 'normal'}`,
    `freeze:      not frozen`,
    '',
    fmt(header),
    ...rows.map(fmt),
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n');
}

/**
 * The error:/warning: lines under the table, in manatee's order and wording
 * (TritonDataCenter/manatee lib/adm.js loadErrors/loadReplErrors, printed by
 * bin/manatee-adm printClusterIssues: all errors, then all warnings).
 */
function manateeIssues(
  m: NonNullable<Scenario['manatee']>,
  o: {
    primaryUp: boolean;
    syncUp: boolean;
    primaryRepl: string | null;
    syncRepl: string | null;
    short: (alias: string) => string;
  },
): string[] {
  const errors: string[] = [];
  const warnings: string[] = [];
  const out = (): string[] => [...errors.map((e) => `error: ${e}`), ...warnings.map((w) => `warning: ${w}`)];
  const notConnected = (alias: string): string => `peer "${o.short(alias)}": downstream replication peer not connected`;
  if (!o.primaryUp) errors.push('cannot query postgres on primary');
  if (m.mode === 'singleton') return out();
  if (m.sync && !o.syncUp) errors.push('cannot query postgres on sync');
  if ((m.deposed ?? []).length > 0) warnings.push('cluster has a deposed peer');
  if (m.async.length === 0) warnings.push('cluster has no async peers');
  // With the sync's postgres down, manatee checks no replication.
  if (m.sync && !o.syncUp) return out();
  // The primary must replicate to the sync as "sync"; a problem here is an error (writes block).
  if (o.primaryRepl === null) errors.push(notConnected(m.primary));
  else if (o.primaryRepl !== 'sync')
    errors.push(
      `peer "${o.short(m.primary)}": expected downstream replication to be "sync", but found "${o.primaryRepl}"`,
    );
  // The sync feeds the first async; a problem there is only a warning.
  if (m.sync && m.async.length > 0 && o.syncRepl === null) warnings.push(notConnected(m.sync));
  return out();
}

export function zkStat(world: SimWorld, ip: string): string {
  if (!world.zkQuorum()) return 'This ZooKeeper instance is not currently serving requests\n';
  const members = world.zkMembers().filter((m) => m.up);
  const leader = members[0]?.inst.adminIp;
  const mode =
    members.length === 1 && world.zkMembers().length === 1 ? 'standalone' : ip === leader ? 'leader' : 'follower';
  return [
    'Zookeeper version: 3.4.14-4c25d480e66aadd371de8bd2fd8da255ac140bcf, built on 03/06/2019 16:18 GMT',
    'Clients:',
    ` /${world.server(world.state.localServer)!.adminIp}:51432[0](queued=0,recved=1,sent=0)`,
    '',
    'Latency min/avg/max: 0/1/47',
    'Received: 48213',
    'Sent: 48212',
    'Connections: 12',
    'Outstanding: 0',
    'Zxid: 0x30000a2c1',
    `Mode: ${mode}`,
    'Node count: 611',
    '',
  ].join('\n');
}

/** `svcs -xz <zone>`: nothing when healthy, one block per broken service. */
export function svcsX(world: SimWorld, inst: ScenarioInstance): string {
  const since = new Date(inst.bootStartedAt ?? world.now()).toUTCString().slice(0, 25);
  if (inst.state === 'setup_failed') {
    return [
      'svc:/smartdc/mdata:execute (Smart Data Center metadata user-script)',
      ` Zone: ${inst.uuid}`,
      ` State: maintenance since ${since}`,
      'Reason: Start method exited with $SMF_EXIT_ERR_FATAL.',
      '   See: http://illumos.org/msg/SMF-8000-KS',
      `   See: /zones/${inst.uuid}/root/var/svc/log/smartdc-mdata:execute.log`,
      'Impact: This service is not running.',
      '',
    ].join('\n');
  }
  if (inst.bootStartedAt !== undefined && inst.setupDoneAt === undefined) {
    // Early in a first boot the user-script has not started and setup.sh has not
    // imported the zone's own services yet: svcs -x has nothing to report, though
    // nothing is set up (sdc-headnode scripts/headnode.sh create_zone waits for
    // setup_complete first for this reason).
    if (world.now() < inst.bootStartedAt + world.latency('zone first boot') / 2) return '';
    return [
      'svc:/smartdc/mdata:execute (Smart Data Center metadata user-script)',
      ` Zone: ${inst.uuid}`,
      ` State: offline* transitioning to online since ${since}`,
      'Reason: Start method is running.',
      '   See: http://illumos.org/msg/SMF-8000-C4',
      'Impact: 1 dependent service is not running. (Use -v for list.)',
      '',
    ].join('\n');
  }
  return '';
}
