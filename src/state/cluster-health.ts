// The HA clusters a restore stands on (manatee, binder, moray: they are checked,
// never restored). Pure judgments over what the probes saw (facts C11, C12, C13).
import type { ManateeRole, ManateeShow } from '../remote/triton/manatee.js';
import type { Problem } from './problem.js';

/**
 * Whether the shard can take writes now. Facts C11 (manatee-state-machine):
 * postgres on the primary only accepts writes once a sync is attached and
 * caught up (synchronous replication), except in singleton (one-node-write)
 * mode where the primary writes alone. So: a primary with PG ok, and either
 * singleton mode or a sync with PG ok that the primary replicates to as "sync"
 * (its REPL column). Any `error:` line also means no writes: manatee prints as
 * errors only the problems that stop the service (primary or sync postgres down,
 * the primary's downstream not connected or not replicating as sync; manatee
 * lib/adm.js loadErrors), the rest are warnings. pg-status prints its issues on
 * stderr, so its callers pass no errors and the REPL column decides.
 */
export function manateeCanWrite(
  show: Pick<ManateeShow, 'mode' | 'peers'> & Partial<Pick<ManateeShow, 'errors'>>,
): boolean {
  const primary = show.peers.find((p) => p.role === 'primary');
  if (primary?.pg !== 'ok' || (show.errors ?? []).length > 0) return false;
  if (show.mode === 'singleton') return true;
  return primary.repl === 'sync' && show.peers.some((p) => p.role === 'sync' && p.pg === 'ok');
}

/**
 * Primary and sync postgres both answer, but the primary does not replicate to
 * the sync as "sync" (not connected, or connected as async): commits wait.
 */
export function manateeReplicationBlocked(show: Pick<ManateeShow, 'mode' | 'peers'>): boolean {
  const ok = (role: ManateeRole): boolean => show.peers.some((p) => p.role === role && p.pg === 'ok');
  const primary = show.peers.find((p) => p.role === 'primary');
  return show.mode === 'normal' && ok('primary') && ok('sync') && primary?.repl !== 'sync';
}

export interface ClusterMember {
  alias: string;
  uuid: string;
  hostname: string;
  /** Its server is alive (not a dead headnode). */
  alive: boolean;
}

// ---- manatee ------------------------------------------------------------------

export interface ManateeProbe {
  /** The survivor that answered `manatee-adm show`; undefined when none did. */
  answer: { alias: string; hostname: string; show: ManateeShow } | undefined;
  /** Why each survivor asked could not answer ("manatee1 on headnode1: ..."). */
  failures: string[];
  /** The shard's members as the inventory knows them. */
  members: ClusterMember[];
}

const MANATEE_SHOW_BY_HAND = (m: { uuid: string; hostname: string }): string =>
  `on ${m.hostname}: zlogin ${m.uuid} 'source ~/.bashrc; manatee-adm show'`;

export function manateeProblems(p: ManateeProbe): Problem[] {
  const survivors = p.members.filter((m) => m.alive);
  if (!p.answer) {
    const tried =
      p.failures.length > 0 ? p.failures.join('; ') : 'the inventory knows no manatee peer on a live server';
    return [
      {
        severity: 'critical',
        code: 'MANATEE_NO_WRITES',
        service: 'manatee',
        message: `no surviving manatee peer answered \`manatee-adm show\` (${tried}): without manatee, moray and every API that stores data are down`,
        fix:
          survivors.length > 0
            ? `check the manatee zones (${survivors.map((m) => `${m.alias} on ${m.hostname}`).join(', ')}): vmadm list, svcs -xz <uuid>, then run by hand ${MANATEE_SHOW_BY_HAND(survivors[0]!)}`
            : 'there is no manatee peer left on a live server: the shard has to be rebuilt from a backup by an operator who knows manatee',
      },
    ];
  }
  const { show, alias, hostname } = p.answer;
  const name = (peer: string): string => {
    const m = p.members.find((x) => x.uuid.startsWith(peer));
    return m ? `${peer} (${m.alias})` : peer;
  };
  const table = show.peers.map((x) => `${x.role} ${name(x.peer)} pg ${x.pg}`).join(', ') || 'no peers';
  const seen = `as seen from ${alias} on ${hostname}`;
  const asker = p.members.find((m) => m.alias === alias) ?? { uuid: alias, hostname };
  if (!manateeCanWrite(show)) {
    const primary = show.peers.find((x) => x.role === 'primary');
    const primaryMember = primary ? p.members.find((m) => m.uuid.startsWith(primary.peer)) : undefined;
    const lostPrimary = primaryMember !== undefined && !primaryMember.alive;
    const twoPeers = p.members.length <= 2;
    const errors = show.errors.length > 0 ? `; manatee-adm says: ${show.errors.join('; ')}` : '';
    // Both zones up is not enough: commits wait until the sync streams as "sync".
    const notSyncing = manateeReplicationBlocked(show);
    const sync = show.peers.find((x) => x.role === 'sync');
    const syncMember = sync ? p.members.find((m) => m.uuid.startsWith(sync.peer)) : undefined;
    return [
      {
        severity: 'critical',
        code: 'MANATEE_NO_WRITES',
        service: 'manatee',
        message: `the manatee shard ${show.cluster} cannot take writes (${seen}: ${table}${
          notSyncing ? `; the primary replicates to the sync as ${primary?.repl ?? 'nothing'}` : ''
        })${errors}${
          lostPrimary && twoPeers
            ? `: with only ${p.members.length} peers, losing the primary ${primaryMember.alias} leaves no takeover`
            : ''
        }`,
        fix:
          lostPrimary && twoPeers
            ? `a 2-peer shard does not take over by itself (the sync only takes over when an async can become the new sync). An operator who knows manatee must decide: promote the surviving peer (manatee-adm promote) or rebuild the shard from it; nothing can be restored until it takes writes. Inspect it first ${MANATEE_SHOW_BY_HAND(asker)}`
            : notSyncing
              ? `both zones run, but the sync${syncMember ? ` ${syncMember.alias} on ${syncMember.hostname}` : ''} does not replicate synchronously from the primary, so every write waits: check its manatee-sitter (svcs -xz ${syncMember?.uuid ?? '<sync uuid>'}, the sitter log) and wait until manatee-adm show prints no error; inspect ${MANATEE_SHOW_BY_HAND(asker)}`
              : `start the manatee zones that are down and wait for a primary with a caught-up sync; inspect ${MANATEE_SHOW_BY_HAND(asker)}`,
      },
    ];
  }
  const ok = show.peers.filter((x) => x.pg === 'ok').length;
  const deposed = show.peers.filter((x) => x.role === 'deposed');
  const asyncOk = show.peers.some((x) => x.role === 'async' && x.pg === 'ok');
  const why: string[] = [];
  if (ok < 3) why.push(`only ${ok} peer${ok === 1 ? '' : 's'} with postgres ok (3 wanted)`);
  if (deposed.length > 0) why.push(`deposed: ${deposed.map((d) => name(d.peer)).join(', ')}`);
  if (!asyncOk)
    why.push(show.mode === 'singleton' ? 'singleton mode, no replica' : 'no async: losing one more peer stops writes');
  if (why.length === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'MANATEE_DEGRADED',
      service: 'manatee',
      message: `the manatee shard ${show.cluster} takes writes but is degraded (${seen}: ${table}): ${why.join('; ')}`,
      fix: `after the restore, add a manatee peer on another server (SAPI CreateInstance of the manatee service; it joins as an async)${
        deposed.length > 0 ? ', then `manatee-adm reap` the deposed peer once its headnode is fenced' : ''
      }`,
    },
  ];
}

// ---- binder (ZooKeeper) --------------------------------------------------------------

export type ZkMemberState =
  | { kind: 'answered'; mode: 'leader' | 'follower' | 'standalone' | 'not-serving' | 'four-letter-words-disabled' }
  | { kind: 'no-answer'; why: string }
  | { kind: 'server-down' };

export interface ZkMember extends ClusterMember {
  ip: string | undefined;
  state: ZkMemberState;
}

function zkText(m: ZkMember): string {
  const at = `${m.alias}${m.ip ? ` ${m.ip}` : ''}`;
  switch (m.state.kind) {
    case 'answered':
      if (m.state.mode === 'four-letter-words-disabled')
        return `${at}: answers, but four-letter words are disabled (stat not in 4lw.commands.whitelist)`;
      return `${at}: ${m.state.mode === 'not-serving' ? 'up but not serving (no quorum)' : m.state.mode}`;
    case 'no-answer':
      return `${at}: ${m.state.why}`;
    case 'server-down':
      return `${at}: its server ${m.hostname} is down`;
  }
}

/** A majority of the ensemble must answer as leader or follower (standalone only counts alone). */
export function binderProblems(members: ZkMember[]): Problem[] {
  const n = members.length;
  if (n === 0) {
    return [
      {
        severity: 'critical',
        code: 'BINDER_NO_QUORUM',
        service: 'binder',
        message:
          'restore-data knows no binder instance: ZooKeeper cannot be checked, and manatee, moray and every API need it',
        fix: 'check svc-binder in restore-data (run the sync again), or list the binder zones by hand: vmadm lookup tags.smartdc_role=binder on each headnode',
      },
    ];
  }
  const serving = members.filter(
    (m) =>
      m.state.kind === 'answered' &&
      (m.state.mode === 'leader' || m.state.mode === 'follower' || (m.state.mode === 'standalone' && n === 1)),
  );
  const need = Math.floor(n / 2) + 1;
  const detail = members.map(zkText).join('; ');
  const mute = members.filter((m) => m.state.kind === 'answered' && m.state.mode === 'four-letter-words-disabled');
  // Members that answer but will not tell their mode: the quorum is unknown, not missing.
  if (mute.length > 0 && serving.length < need && serving.length + mute.length >= need) {
    return [
      {
        severity: 'critical',
        code: 'BINDER_4LW_DISABLED',
        service: 'binder',
        message: `binder answers but four-letter words are disabled, so its quorum cannot be checked: ${serving.length} of ${n} members confirm they serve, ${need} needed (${detail})`,
        fix: `add "4lw.commands.whitelist=ruok,stat,srvr" to zoo.cfg of ${mute.map((m) => m.alias).join(', ')} and restart them (ZooKeeper 3.5 and later; Triton's binder runs 3.4, which answers them all)`,
      },
    ];
  }
  if (serving.length < need) {
    const startable = members.filter((m) => m.alive && !serving.includes(m));
    return [
      {
        severity: 'critical',
        code: 'BINDER_NO_QUORUM',
        service: 'binder',
        message: `binder (ZooKeeper) has no quorum: ${serving.length} of ${n} members serve, ${need} needed (${detail})`,
        fix:
          startable.length > 0
            ? `start the binder zones on live servers (${startable.map((m) => `vmadm start ${m.uuid} on ${m.hostname}`).join('; ')}) and check svcs -xz <uuid>; ZooKeeper needs ${need} members before manatee, moray and the APIs work`
            : `fewer than ${need} binder members are on live servers: adding members needs an operator (sdcadm post-setup ha-binder); nothing can be restored before`,
      },
    ];
  }
  if (serving.length < n) {
    const down = members.filter((m) => !serving.includes(m));
    return [
      {
        severity: 'warning',
        code: 'BINDER_DEGRADED',
        service: 'binder',
        message: `binder (ZooKeeper) has quorum with ${serving.length} of ${n} members${serving.length - 1 < need ? ': one more loss stops it' : ''} (${down.map(zkText).join('; ')})`,
        fix: 'after the restore, replace the lost binder member so the ensemble is whole again (sdcadm post-setup ha-binder with the new server)',
      },
    ];
  }
  return [];
}

// ---- moray ------------------------------------------------------------------------

export interface MorayMember extends ClusterMember {
  /** Zone running and `svcs -xz` clean; otherwise why not. */
  health: { ok: true } | { ok: false; why: string };
}

export function morayProblems(members: MorayMember[]): Problem[] {
  if (members.some((m) => m.alive && m.health.ok)) return [];
  const detail =
    members.length > 0
      ? members.map((m) => `${m.alias} on ${m.hostname}: ${m.health.ok ? 'ok' : m.health.why}`).join('; ')
      : 'restore-data knows no moray instance';
  const live = members.filter((m) => m.alive);
  return [
    {
      severity: 'critical',
      code: 'MORAY_DOWN',
      service: 'moray',
      message: `no moray instance is healthy on a live server (${detail}): SAPI, NAPI, CNAPI, VMAPI and IMGAPI cannot work without moray`,
      fix:
        live.length > 0
          ? `bring a moray zone back: ${live.map((m) => `on ${m.hostname}: vmadm start ${m.uuid}, then svcs -xz ${m.uuid} (svcadm -z ${m.uuid} clear <fmri> for a service in maintenance)`).join('; ')}; moray also needs manatee to take writes`
          : 'no moray zone is on a live server: a new moray instance has to be created by an operator (sdcadm create moray --server <uuid>) once manatee takes writes',
    },
  ];
}
