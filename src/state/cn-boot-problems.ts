// CN_WOULD_NOT_BOOT: compute nodes that would not PXE boot again (verdicts in
// cn-boot.ts). Disaster mode: with what survives now. Readiness mode: now, and
// after the loss of each headnode in turn (its dhcpd zones and its /usbkey
// gone with it). One problem per reason (and lost headnode), naming the nodes.
// Pure.
import { cnBootVerdicts, type BooterFact, type BootFailure, type CnBootVerdict, type CnTarget } from './cn-boot.js';
import type { Mode } from './headnode-problems.js';
import type { Problem } from './problem.js';
import { sdcadmCreateDhcpd } from './sdcadm-commands.js';
import type { UsbkeyFact } from './usbkey-problems.js';

export interface CnBootInput {
  cns: readonly CnTarget[];
  booters: readonly BooterFact[];
  keys: readonly UsbkeyFact[];
  mode: Mode;
  /** Live headnodes (readiness: each one's loss is judged). */
  headnodes: readonly { uuid: string; hostname: string }[];
  /** Services the restore re-creates here (disaster mode). */
  restoring: readonly string[];
}

const NAMED = 8;
function names(vs: readonly CnBootVerdict[]): string {
  const shown = vs.slice(0, NAMED).map((v) => v.hostname);
  const list = vs.length > NAMED ? `${shown.join(', ')} and ${vs.length - NAMED} more` : shown.join(', ');
  return `${vs.length === 1 ? 'compute node' : `${vs.length} compute nodes`} ${list}`;
}

const REFRESH =
  'booter writes the cache of every server every 5 minutes while CNAPI and NAPI answer (sdc-booter lib/cache.js)';

function fixFor(
  failure: BootFailure,
  vs: readonly CnBootVerdict[],
  booters: readonly BooterFact[],
  mode: Mode,
  restoring: readonly string[],
): string {
  const live = booters.filter((b) => b.serving);
  switch (failure) {
    case 'no-dhcpd': {
      const down = booters.filter((b) => b.serverAlive).map((b) => `on ${b.hostname}: vmadm start ${b.uuid}`);
      const create = restoring.includes('dhcpd')
        ? 'restore dhcpd here first (restore --only dhcpd)'
        : `${sdcadmCreateDhcpd('<headnode uuid>').join(' ')} (needs SAPI and VMAPI)`;
      return [...down, create].join('; or ');
    }
    case 'no-cache': {
      const wait =
        mode === 'disaster' && restoring.includes('cnapi')
          ? 'do not reboot them until the restore brings back CNAPI and NAPI: then '
          : 'once CNAPI and NAPI answer, ';
      const logs = live
        .map(
          (b) => `on ${b.hostname}: tail -50 /zones/${b.uuid}/root/var/svc/log/smartdc-application-dhcpd:default.log`,
        )
        .join('; ');
      return `${wait}${REFRESH}; if entries still lack, read why the refresh fails: ${logs}`;
    }
    case 'platform': {
      const platforms = [...new Set(vs.map((v) => v.platform).filter((p): p is string => p !== undefined))];
      const hosts = [
        ...new Set(live.filter((b) => vs.some((v) => v.answeredBy.includes(b.alias))).map((b) => b.hostname)),
      ];
      return (
        hosts
          .map(
            (h) =>
              `on ${h}: sdcadm platform install <platform-${platforms.join('|')}.tgz or its image UUID> (needs SAPI), or /usbkey/scripts/install-platform.sh <URL or path of the .tgz>`,
          )
          .join('; ') +
        `; or assign them a platform every dhcpd's headnode holds: sdcadm platform assign <platform> ${vs.length > NAMED ? '<servers>' : vs.map((v) => v.hostname).join(' ')} (needs CNAPI)`
      );
    }
  }
}

const FAILURES: readonly BootFailure[] = ['no-dhcpd', 'no-cache', 'platform'];

function grouped(vs: readonly CnBootVerdict[]): [BootFailure, CnBootVerdict[]][] {
  return FAILURES.map((f): [BootFailure, CnBootVerdict[]] => [
    f,
    vs.filter((v) => v.boots === false && v.failure === f),
  ]).filter(([, g]) => g.length > 0);
}

/** The verdicts with what survives now, and CN_WOULD_NOT_BOOT problems. */
export function cnBootProblems(i: CnBootInput): { verdicts: CnBootVerdict[]; problems: Problem[] } {
  const now = cnBootVerdicts(i.cns, i.booters, i.keys);
  const out: Problem[] = [];
  for (const [failure, vs] of grouped(now)) {
    const recreated =
      i.mode === 'disaster' &&
      ((failure === 'no-dhcpd' && i.restoring.includes('dhcpd')) ||
        (failure === 'no-cache' && i.restoring.includes('cnapi')));
    out.push({
      severity: i.mode === 'disaster' && !recreated ? 'critical' : 'warning',
      code: 'CN_WOULD_NOT_BOOT',
      message: `${names(vs)} would not boot again${recreated ? ' until the restore is done' : ''} after a reboot or power loss: ${vs[0]!.why}${vs.length > 1 && vs.some((v) => v.why !== vs[0]!.why) ? ' (and likewise for the others)' : ''}`,
      fix: fixFor(failure, vs, i.booters, i.mode, i.restoring),
    });
  }
  if (i.mode !== 'readiness') return { verdicts: now, problems: out };
  const bootsNow = new Set(now.filter((v) => v.boots === true).map((v) => v.uuid));
  for (const h of i.headnodes) {
    const left = i.booters.map((b) =>
      b.serverUuid === h.uuid || b.hostname === h.hostname ? { ...b, serverAlive: false, serving: false } : b,
    );
    const keys = i.keys.filter((k) => k.uuid !== h.uuid && k.hostname !== h.hostname);
    const after = cnBootVerdicts(
      i.cns.filter((c) => bootsNow.has(c.uuid)),
      left,
      keys,
    );
    for (const [failure, vs] of grouped(after)) {
      out.push({
        severity: 'warning',
        code: 'CN_WOULD_NOT_BOOT',
        message: `if ${h.hostname} died, ${names(vs)} could not boot again: ${vs[0]!.why}`,
        fix:
          failure === 'no-dhcpd'
            ? `run a dhcpd zone on every headnode (RFD 67): ${sdcadmCreateDhcpd('<headnode uuid>').join(' ')}`
            : fixFor(failure, vs, left, 'readiness', []),
      });
    }
  }
  return { verdicts: now, problems: out };
}
