// Whether compute nodes can still boot: a dhcpd zone serving DHCP on a live
// headnode, now (disaster) or after the loss of any one headnode (readiness).
// Pure: each takes facts already gathered.
import type { HeadnodeFact, Mode } from './headnode-problems.js';
import type { Problem } from './problem.js';
import { sdcadmCreateDhcpd } from './sdcadm-commands.js';

export interface DhcpdFact {
  alias: string;
  hostname: string;
  serverUuid: string | undefined;
  serverAlive: boolean;
  /** Zone running per vmadm; undefined when that could not be asked. */
  running: boolean | undefined;
}

/**
 * Compute nodes boot over DHCP from a dhcpd zone on a headnode (facts F9).
 * Disaster: does one survive now? Readiness: would one survive the loss of any one headnode?
 */
export function dhcpdProblems(
  facts: readonly DhcpdFact[],
  mode: Mode,
  hns: readonly HeadnodeFact[],
  restoring: readonly string[] = [],
): Problem[] {
  const serving = (f: DhcpdFact): boolean => f.serverAlive && f.running !== false;
  const where =
    facts
      .map(
        (f) =>
          `${f.alias} on ${f.hostname}${!f.serverAlive ? ' (down)' : f.running === false ? ' (zone not running)' : ''}`,
      )
      .join(', ') || 'no dhcpd instance known';
  const fix = `the restore re-creates a lost dhcpd zone on this headnode when its restore-data is at hand; otherwise, once SAPI and VMAPI answer: ${sdcadmCreateDhcpd('<headnode uuid>').join(' ')}`;
  if (mode === 'disaster') {
    if (facts.some(serving)) return [];
    // Not an HA cluster (sdcadm lib/procedures/index.js): a lost dhcpd is
    // re-created by the restore; with nothing to re-create, no CN can PXE boot.
    if (restoring.length > 0) {
      return [
        {
          severity: 'warning',
          code: 'NO_DHCPD_SURVIVOR',
          service: 'dhcpd',
          message: `no dhcpd runs on a live server (${where}): compute nodes cannot boot until the restore re-creates ${restoring.join(', ')} here`,
          fix: 'restore it first if compute nodes must boot soon (restore --only dhcpd needs assets, sapi and the APIs before it)',
        },
      ];
    }
    // A stopped dhcpd on a live server is the quickest way back: start it.
    const stopped = facts.filter((f) => f.serverAlive && f.running === false);
    const startIt = stopped.map((f) => `on ${f.hostname}: vmadm start $(vmadm lookup -1 alias=${f.alias})`).join('; ');
    return [
      {
        severity: 'critical',
        code: 'NO_DHCPD_SURVIVOR',
        service: 'dhcpd',
        message: `no dhcpd runs on a live server (${where}) and the restore cannot re-create one: compute nodes cannot boot`,
        fix: startIt ? `${startIt}; or ${fix}` : fix,
      },
    ];
  }
  const exposed = hns.filter((h) => !facts.some((f) => f.serverUuid !== h.uuid && serving(f)));
  if (exposed.length === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'NO_DHCPD_SURVIVOR',
      service: 'dhcpd',
      message: `if ${exposed.map((h) => h.hostname).join(' or ')} died, no dhcpd would survive (${where}): compute nodes could not boot`,
      fix: `run a dhcpd zone on every headnode (RFD 67): ${sdcadmCreateDhcpd('<headnode uuid>').join(' ')}`,
    },
  ];
}

/**
 * Readiness: RFD 67 wants a dhcpd zone on every headnode, so that compute nodes
 * boot whichever headnode is lost. One warning naming each live headnode
 * without a running one (a zone whose state could not be asked counts as
 * running), and whose loss would leave none at all.
 */
export function dhcpdReadinessProblems(facts: readonly DhcpdFact[], hns: readonly HeadnodeFact[]): Problem[] {
  const serving = (f: DhcpdFact): boolean => f.serverAlive && f.running !== false;
  const lacking = hns
    .filter((h) => h.state === 'alive')
    .map((h) => ({ h, mine: facts.filter((f) => f.serverUuid === h.uuid) }))
    .filter(({ mine }) => !mine.some(serving));
  if (lacking.length === 0) return dhcpdProblems(facts, 'readiness', hns);
  const exposed = hns.filter((h) => !facts.some((f) => f.serverUuid !== h.uuid && serving(f)));
  const where = facts.map((f) => `${f.alias} on ${f.hostname}`).join(', ') || 'none';
  const names = lacking.map(({ h }) => h.hostname);
  const details = lacking.map(({ h, mine }) =>
    mine.length > 0 ? `${mine.map((f) => f.alias).join(', ')} on ${h.hostname} not running` : `none on ${h.hostname}`,
  );
  const fixes = lacking.map(({ h, mine }) =>
    mine.length > 0
      ? `on ${h.hostname}: ${mine.map((f) => `vmadm start $(vmadm lookup -1 alias=${f.alias})`).join('; ')}`
      : `on ${h.hostname}: ${sdcadmCreateDhcpd(h.uuid).join(' ')}`,
  );
  const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return [
    {
      severity: 'warning',
      code: 'NO_DHCPD_SURVIVOR',
      service: 'dhcpd',
      message:
        `no dhcpd runs on ${who} (${details.join('; ')}; dhcpd zones: ${where}): ` +
        (exposed.length > 0
          ? `if ${exposed.map((h) => h.hostname).join(' or ')} died, no dhcpd would survive and compute nodes could not boot`
          : 'RFD 67 wants one on every headnode, or losing the headnodes that have one leaves compute nodes unable to boot'),
      fix: fixes.join('; '),
    },
  ];
}
