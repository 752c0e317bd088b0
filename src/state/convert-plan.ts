// What a conversion does, step by step (RFD 67 M0, the headnode-setup
// prototype and its headnode-prepare.sh; reference A3, A4): exact commands and
// HTTP calls, for the operator to read before anything runs, journaled and run
// as they are. Pure. The HA step is convert-ha-step.ts; an action's shape by
// kind is convert-action.ts.
import type { ConvertAction } from './convert-action.js';
import { haActions, type HaStepInput } from './convert-ha-step.js';

export const PREPARE_DIR = '/usbkey/extra/headnode-prepare';
/** Where `sdc-usbkey mount` puts the physical key (sdc-headnode tools/lib/usbkey.js DEFAULT_MOUNTPOINT). */
export const USBKEY_MOUNT = '/mnt/usbkey';
/**
 * The headnode USB key without config (each headnode gets its own): the
 * prototype's list (sdcadm rfd67 tools/create-headnode-prepare-data.sh), taken
 * from the physical key. `os` too: /usbkey/os was copied from a case-folding
 * pcfs mount and has the wrong case for the loader.
 */
export const USBKEY_BASE_NAMES = [
  '.joyliveusb',
  'boot',
  'config.inc',
  'license',
  'scripts',
  'tools.tar.gz',
  'cn_tools.tar.gz',
  'banner',
  'boot_archive.manifest',
  'firmware',
  'private',
  'services',
  'ur-scripts',
  'usb_key.manifest',
  'version',
  'os',
];
/**
 * Where the prototype takes the sdcadm installer it packs as sdcadm-install.sh
 * (sdcadm rfd67 tools/create-headnode-prepare-data.sh, "per newish sdcadm
 * self-update", TOOLS-1954). sdcadm master never writes it: self-update
 * downloads to /var/tmp/sdcadm-<uuid> and runs it (lib/sdcadm.js selfUpdate,
 * 7fb53d9), so on most DCs it is filled once from the updates server: the
 * running build (its buildstamp), else the latest, the prototype's fallback.
 */
export const SDCADM_INSTALLER_DIR = '/usbkey/extra/sdcadm';
/** The running sdcadm's build, "$branch-$buildtime-g$sha" (sdcadm tools/mk-shar, lib/sdcadm.js). */
export const SDCADM_BUILDSTAMP = '/opt/smartdc/sdcadm/etc/buildstamp';

export type ConvertStepId = 'usbkey-data' | 'prepare' | 'reboot' | 'ha';

export interface ConvertStepPlan {
  id: ConvertStepId;
  title: string;
  where: string;
  actions: ConvertAction[];
  notes: string[];
}

export interface ConvertPlan {
  target: { hostname: string; uuid: string; adminIp: string };
  steps: ConvertStepPlan[];
}

export interface ConvertPlanInput extends HaStepInput {
  target: { hostname: string; uuid: string; adminIp: string };
  /** The headnode whose GZ holds the /usbkey/extra that assets serves, and the assets zone's IP. */
  assets: { hostname: string; ip: string } | undefined;
  /** `sdc-usbkey status` there said "mounted" (default options): mount it again after packing. */
  usbkeyMounted?: boolean;
  /** A dhcpd zone (booter) to generate the new headnode's networking.json with hn-netfile. */
  dhcpd: { hostname: string; zone: string } | undefined;
  cnapiUrl: string;
}

export function buildConvertPlan(i: ConvertPlanInput): ConvertPlan {
  const t = i.target;
  const a = i.assets?.hostname ?? 'UNKNOWN-ASSETS-HEADNODE';
  const file = (name: string): string => `${PREPARE_DIR}/${name}`;
  const steps: ConvertStepPlan[] = [];
  const usbNotes: string[] = [];
  if (!i.assets) usbNotes.push('no running assets zone was found: the server fetches these files from assets');
  if (!i.dhcpd) usbNotes.push('no running dhcpd zone was found: hn-netfile runs in one');
  steps.push({
    id: 'usbkey-data',
    title: 'Prepare the headnode USB key data',
    where: a,
    notes: usbNotes,
    actions: [
      {
        id: 'usbkey-data/mkdir',
        kind: 'mkdir',
        host: a,
        summary: `create ${PREPARE_DIR}`,
        argv: ['mkdir', '-p', PREPARE_DIR],
        path: PREPARE_DIR,
      },
      {
        id: 'usbkey-data/sdcadm',
        kind: 'fetch-sdcadm',
        host: a,
        summary: `download the installer of the sdcadm this headnode runs (else the latest build) to ${SDCADM_INSTALLER_DIR}/sdcadm.sh unless it is there (the new headnode's headnode.sh installs sdcadm from it)`,
        // The deployed build first: its buildstamp is the image's tags.buildstamp
        // (sdcadm tools/mk-shar); then the latest, as the prototype does.
        stamp: {
          path: SDCADM_BUILDSTAMP,
          argv: ['updates-imgadm', 'list', 'name=sdcadm', 'tag.buildstamp=BUILDSTAMP', '-H', '-o', 'uuid'],
        },
        source: { host: a, argv: ['updates-imgadm', 'list', 'name=sdcadm', '--latest', '-H', '-o', 'uuid'] },
        argv: ['updates-imgadm', 'get-file', '-o', `${SDCADM_INSTALLER_DIR}/sdcadm.sh.tmp`],
        path: `${SDCADM_INSTALLER_DIR}/sdcadm.sh`,
      },
      {
        id: 'usbkey-data/mount',
        kind: 'usbkey-mount',
        host: a,
        summary: `mount the physical USB key at ${USBKEY_MOUNT} without case folding (pcfs folds names by default)`,
        argv: ['sdc-usbkey', 'mount', '--nofoldcase'],
        path: USBKEY_MOUNT,
      },
      {
        id: 'usbkey-data/base',
        kind: 'write-base',
        host: a,
        summary: `pack the minimal headnode key (usbkey-base.tgz) from ${USBKEY_MOUNT}, with the deployed sdcadm as sdcadm-install.sh`,
        // gtar: illumos /usr/bin/tar refuses -C before its key (the prototype, sdcadm rfd67 tools/create-headnode-prepare-data.sh, packs with gtar too).
        argv: [
          'gtar',
          '-czf',
          file('usbkey-base.tgz.tmp'),
          '-C',
          USBKEY_MOUNT,
          ...USBKEY_BASE_NAMES,
          '-C',
          SDCADM_INSTALLER_DIR,
          '--transform=s,^sdcadm.sh$,sdcadm-install.sh,',
          'sdcadm.sh',
        ],
        path: file('usbkey-base.tgz'),
      },
      {
        id: 'usbkey-data/unmount',
        kind: 'usbkey-unmount',
        host: a,
        summary: 'unmount the USB key: others do not want the nofoldcase mount',
        argv: ['sdc-usbkey', 'unmount'],
      },
      ...(i.usbkeyMounted
        ? [
            {
              id: 'usbkey-data/remount',
              kind: 'usbkey-mount' as const,
              host: a,
              summary: 'mount the USB key again as it was (default options)',
              argv: ['sdc-usbkey', 'mount'],
              path: USBKEY_MOUNT,
            },
          ]
        : []),
      {
        id: 'usbkey-data/networking',
        kind: 'write-netfile',
        host: a,
        summary: `write ${t.uuid}.networking.json (hn-netfile)`,
        source: {
          host: i.dhcpd?.hostname ?? 'UNKNOWN-DHCPD-HEADNODE',
          argv: ['zlogin', i.dhcpd?.zone ?? 'UNKNOWN-DHCPD-ZONE', '/opt/smartdc/booter/bin/hn-netfile', t.uuid],
        },
        argv: ['tee', file(`${t.uuid}.networking.json.tmp`)],
        path: file(`${t.uuid}.networking.json`),
      },
      {
        id: 'usbkey-data/config',
        kind: 'write-config',
        host: a,
        summary: `write ${t.uuid}.config (this headnode's config with ${t.hostname}'s hostname, admin NIC and IP; no external IP)`,
        source: { host: a, argv: ['cat', '/usbkey/config'] },
        argv: ['tee', file(`${t.uuid}.config.tmp`)],
        path: file(`${t.uuid}.config`),
      },
    ],
  });
  steps.push({
    id: 'prepare',
    title: `Prepare ${t.hostname}'s USB key`,
    where: t.hostname,
    notes: [
      'the script (share/headnode-prepare.sh) checks it runs in the GZ of this server, not booted as a headnode, set up; then rewrites the USB key, keeping .joyliveusb; log: /var/log/headnode-prepare.log',
    ],
    actions: [
      {
        id: 'prepare/script',
        kind: 'prepare-server',
        host: t.hostname,
        summary: `run headnode-prepare.sh on ${t.hostname}`,
        argv: ['bash', '-s', '--', i.assets?.ip ?? 'UNKNOWN-ASSETS-IP', t.uuid],
      },
      {
        id: 'prepare/cleanup',
        kind: 'remove-file',
        host: a,
        summary: `remove ${t.uuid}.config from ${PREPARE_DIR} (assets serves it over plain HTTP; it holds password hashes)`,
        argv: ['rm', '-f', file(`${t.uuid}.config`)],
        path: file(`${t.uuid}.config`),
      },
    ],
  });
  steps.push({
    id: 'reboot',
    title: `Two reboots of ${t.hostname}`,
    where: t.hostname,
    notes: [
      `${t.hostname} must boot from its USB key, not PXE: set the boot order (BIOS setup or IPMI) to the USB key before this step; a server that PXE boots comes back as a compute node`,
      'boot 1 from the new key as a headnode: headnode.sh creates zones/usbkey and reboots (boot 2)',
      'headnode.sh then skips creating core zones: setup_complete is already recorded',
      `everything on ${t.hostname} is down until it is back`,
    ],
    actions: [
      { id: 'reboot/reboot', kind: 'reboot', host: t.hostname, summary: `reboot ${t.hostname}`, argv: ['reboot'] },
      {
        id: 'reboot/wait',
        kind: 'wait-headnode',
        host: i.local,
        summary: `wait until CNAPI shows ${t.hostname} running with setup=true and headnode=true (a boot without headnode=true in its bootparams is a PXE boot: a failure)`,
        http: { method: 'GET', url: `${i.cnapiUrl}/servers/${t.uuid}` },
      },
    ],
  });
  steps.push({ id: 'ha', title: 'HA layout', ...haActions(i) });
  return { target: t, steps };
}
