// What a simulated reboot keeps of a server's GZ files. SmartOS docs, "Persistent
// Configuration for the Global Zone": the GZ root filesystem is a ramdisk rebuilt at
// every boot; only /usbkey, /opt, /var and /zones (datasets on the zones pool) persist.
// So /root (keys, known_hosts, root's crontab) is empty after a reboot. /mnt/usbkey is
// the physical USB key itself, which a reboot does not touch either.
const PERSISTENT = ['/usbkey', '/opt', '/var', '/zones', '/mnt/usbkey'];

/** The file root_authorized_keys_file names in a stock headnode's config.inc/generic. */
export const USBKEY_ROOT_AUTHORIZED_KEYS = '/usbkey/config.inc/root.authorized_keys';
export const ROOT_AUTHORIZED_KEYS = '/root/.ssh/authorized_keys';
/** What the simulator keeps of sdc-headnode config/config.inc/generic: the line the boot reads. */
export const CONFIG_INC_GENERIC = [
  "# Set this to the name of a file in config.inc: the boot copies it to root's .ssh/authorized_keys in GZs",
  'root_authorized_keys_file=root.authorized_keys',
  '',
].join('\n');

export function persists(path: string): boolean {
  return PERSISTENT.some((p) => path === p || path === `${p}/` || path.startsWith(`${p}/`));
}

/**
 * Where the boot takes the config from, as smartos-live src/lib/sdc/config.sh
 * load_sdc_config_filename does (commit 059ec27): /usbkey/config, else the
 * key's /mnt/usbkey/config, each with config.inc beside it; else a compute
 * node's /opt/smartdc/config/node.config (or /var/tmp/node.config/node.config),
 * whose directory is its config_inc_dir.
 */
function bootConfig(files: Record<string, string>): { config: string; incDir: string } | undefined {
  for (const c of ['/usbkey/config', '/mnt/usbkey/config'])
    if (files[c] !== undefined) return { config: c, incDir: `${c.slice(0, -'/config'.length)}/config.inc` };
  for (const c of ['/opt/smartdc/config/node.config', '/var/tmp/node.config/node.config']) {
    if (files[c] !== undefined) return { config: c, incDir: c.slice(0, c.lastIndexOf('/')) };
  }
  return undefined;
}

/**
 * A key's value as load_sdc_config sees it: `cat config.inc/generic config`,
 * leading blanks dropped, `#` lines and lines not starting with a letter
 * skipped, then eval'ed, so the last assignment wins.
 */
function configValue(texts: string[], key: string): string | undefined {
  let value: string | undefined;
  for (const line of texts
    .join('\n')
    .split('\n')
    .map((l) => l.replace(/^ */, ''))) {
    if (!/^[a-zA-Z]/.test(line)) continue;
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq) !== key) continue;
    value = line.slice(eq + 1).replace(/^(['"])(.*)\1$/, '$2');
  }
  return value;
}

/** The file the boot copies to root's authorized_keys, if it would copy one. */
export function bootAuthorizedKeysSource(files: Record<string, string>): string | undefined {
  const c = bootConfig(files);
  if (!c) return undefined;
  const name = configValue([files[`${c.incDir}/generic`] ?? '', files[c.config]!], 'root_authorized_keys_file');
  // smartdc-config tests -n name, -n config_inc_dir, -d config_inc_dir, -f the file.
  if (!name) return undefined;
  const path = `${c.incDir}/${name}`;
  return files[path] !== undefined ? path : undefined;
}

/**
 * The files after a boot: the ramdisk's are gone; then smartos-live
 * overlay/generic/lib/svc/method/smartdc-config (start, commit c25ea88) sets
 * root's authorized_keys: when the config names root_authorized_keys_file and
 * that file is in config_inc_dir, it is copied over /root/.ssh/authorized_keys
 * (a copy, not an append: nothing else of the old file survives). The stock
 * name is root.authorized_keys (sdc-headnode config/config.inc/generic).
 */
export function filesAfterBoot(files: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) if (persists(k)) kept[k] = v;
  const source = bootAuthorizedKeysSource(kept);
  if (source !== undefined) {
    kept['/root/'] = '';
    kept['/root/.ssh/'] = '';
    kept[ROOT_AUTHORIZED_KEYS] = kept[source]!;
  }
  return kept;
}
