// One-time SSH setup on a headnode, so sync (SMF/cron, no agent, no HOME) and a
// restore reach the other headnodes: our key, their host keys, our key in their
// root's authorized_keys, all where a SmartOS reboot keeps them.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Dc } from '../remote/dc.js';
import type { Host } from '../remote/host.js';
import { checkHostKey, fingerprintOf, hostLookupName, keyTypeOfBlob, loadKnownHosts } from '../remote/known-hosts.js';
import { ensureIdentity } from '../remote/ssh-identity.js';
import { readPersistentKeysPath } from '../remote/triton/root-authorized-keys.js';
import { getSysinfo } from '../remote/triton/sysinfo.js';
import { inventoryFromRestoreData, readRestoreData } from './restore-data.js';

/**
 * The stock place a headnode's boot copies root's authorized_keys from
 * (smartos-live smartdc-config; name from root_authorized_keys_file, sdc-headnode
 * config/config.inc/generic). Each peer's own config is read: see
 * remote/triton/root-authorized-keys.ts.
 */
export const PERSISTENT_AUTHORIZED_KEYS = '/usbkey/config.inc/root.authorized_keys';
export const LIVE_AUTHORIZED_KEYS = '/root/.ssh/authorized_keys';

export interface SshSetupOptions {
  dc: Dc;
  identity: string;
  knownHosts: string;
  /** Asked per host before its key is trusted; absent = --yes. */
  ask?: (question: string) => Promise<boolean>;
  log: (line: string) => void;
  timeoutMs: number;
}

export interface PeerOutcome {
  hostname: string;
  adminIp: string;
  fingerprint?: string;
  /** live-only: in /root/.ssh/authorized_keys only, which the peer's next reboot empties. */
  status: 'installed' | 'already' | 'live-only' | 'declined' | 'failed';
  detail?: string;
  /** The peer's file its boot copies to root's authorized_keys, when it has one. */
  persistent?: string;
}

export async function runSshSetup(o: SshSetupOptions): Promise<{ publicLine: string; peers: PeerOutcome[] }> {
  const id = await ensureIdentity(o.identity);
  o.log(`${id.created ? 'created' : 'using'} key ${id.path}: ${id.publicLine}`);
  const me = (await getSysinfo(o.dc.local, { timeoutMs: o.timeoutMs })).Hostname;
  const rd = await readRestoreData(o.dc.restoreDataDir);
  const peers = inventoryFromRestoreData(rd).servers.filter((s) => s.headnode && s.hostname !== me);
  if (peers.length === 0) {
    throw new Error(
      `no other headnode in ${o.dc.restoreDataDir}/dc/servers.json; run \`triton-recover sync\` once first (it writes the CNAPI server list even when peers refuse SSH)`,
    );
  }
  const outcomes: PeerOutcome[] = [];
  for (const p of peers) {
    if (!p.adminIp) {
      outcomes.push({ hostname: p.hostname, adminIp: '', status: 'failed', detail: 'CNAPI lists no admin IP for it' });
      continue;
    }
    outcomes.push(await setUpPeer(o, p.hostname, p.adminIp, id.publicLine));
  }
  return { publicLine: id.publicLine, peers: outcomes };
}

async function setUpPeer(
  o: SshSetupOptions,
  hostname: string,
  adminIp: string,
  publicLine: string,
): Promise<PeerOutcome> {
  const base = { hostname, adminIp };
  if (!o.dc.hostKey) return { ...base, status: 'failed', detail: 'this DC cannot fetch host keys' };
  let scanned;
  try {
    scanned = await o.dc.hostKey(hostname, adminIp);
  } catch (e) {
    return { ...base, status: 'failed', detail: (e as Error).message };
  }
  const keyType = keyTypeOfBlob(scanned.key);
  const fingerprint = fingerprintOf(scanned.key);
  const kh = await loadKnownHosts(o.knownHosts);
  const known = checkHostKey(kh, { host: scanned.address, port: scanned.port, keyType, key: scanned.key });
  if (known.status === 'changed' || known.status === 'revoked') {
    return {
      ...base,
      fingerprint,
      status: 'failed',
      detail: `its host key ${fingerprint} is ${known.status} in ${o.knownHosts}; if the peer was reinstalled, remove its line there (after checking on its console), then run ssh-setup again`,
    };
  }
  if (known.status === 'unknown') {
    o.log(`${hostname} (${adminIp}): host key ${keyType} ${fingerprint}`);
    o.log(`  compare on ${hostname}'s console: for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf $f; done`);
    if (o.ask && !(await o.ask(`  trust this key for ${hostname}? [y/N] `)))
      return { ...base, fingerprint, status: 'declined' };
    const names = [
      ...new Set([hostLookupName(hostname, scanned.port), hostLookupName(scanned.address, scanned.port)]),
    ].join(',');
    await mkdir(dirname(o.knownHosts), { recursive: true, mode: 0o700 });
    await appendFile(o.knownHosts, `${names} ${keyType} ${scanned.key.toString('base64')}\n`, { mode: 0o644 });
    o.log(`  recorded in ${o.knownHosts}`);
  }
  const host = o.dc.peer(hostname, adminIp);
  try {
    const where = await readPersistentKeysPath(host, { timeoutMs: o.timeoutMs });
    const live = await addLine(host, LIVE_AUTHORIZED_KEYS, publicLine, o.timeoutMs);
    if (where.path === undefined) {
      o.log(`  ${hostname}: key in ${LIVE_AUTHORIZED_KEYS} only (until its next reboot: /root is a ramdisk)`);
      return {
        ...base,
        fingerprint,
        status: 'live-only',
        detail: `${where.why}: its next reboot drops the key. On ${hostname}, add root_authorized_keys_file=root.authorized_keys to ${'/usbkey/config'}, then run ssh-setup again`,
      };
    }
    const kept = await addLine(host, where.path, publicLine, o.timeoutMs);
    o.log(
      `  ${hostname}: key in ${where.path} (its boot copies that file to ${LIVE_AUTHORIZED_KEYS}) and in ${LIVE_AUTHORIZED_KEYS} (for now)`,
    );
    return { ...base, fingerprint, persistent: where.path, status: kept || live ? 'installed' : 'already' };
  } catch (e) {
    return {
      ...base,
      fingerprint,
      status: 'failed',
      detail:
        `${(e as Error).message}. Install the key by hand on ${hostname}'s console: ` +
        `mkdir -p /usbkey/config.inc /root/.ssh; echo '${publicLine}' | tee -a ${PERSISTENT_AUTHORIZED_KEYS} >> ${LIVE_AUTHORIZED_KEYS}` +
        ' (the file root_authorized_keys_file names in /usbkey/config or /usbkey/config.inc/generic; or run ssh-setup again with an ssh-agent that can log in there: ssh -A)',
    };
  }
}

/** Appends `line` to `file` on the host unless the key is already there; true when it wrote. */
async function addLine(host: Host, file: string, line: string, timeoutMs: number): Promise<boolean> {
  const keyPart = line.split(/\s+/).slice(0, 2).join(' ');
  const cur = await host.run(['cat', file], { timeoutMs });
  const text = cur.code === 0 ? cur.stdout : '';
  if (text.split('\n').some((l) => l.split(/\s+/).slice(0, 2).join(' ') === keyPart)) return false;
  const mk = await host.run(['mkdir', '-p', dirname(file)], { timeoutMs });
  if (mk.code !== 0) throw new Error(`mkdir -p ${dirname(file)} on ${host.name} failed: ${mk.stderr.trim()}`);
  const next = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`;
  const w = await host.run(['tee', file], { timeoutMs, stdin: next });
  if (w.code !== 0) throw new Error(`writing ${file} on ${host.name} failed: ${w.stderr.trim()}`);
  return true;
}
