// What a simulated reboot keeps of a server's GZ files. SmartOS docs, "Persistent
// Configuration for the Global Zone": the GZ root filesystem is a ramdisk rebuilt at
// every boot; only /usbkey, /opt, /var and /zones (datasets on the zones pool) persist.
// So /root (keys, known_hosts, root's crontab) is empty after a reboot. /mnt/usbkey is
// the physical USB key itself, which a reboot does not touch either.
const PERSISTENT = ['/usbkey', '/opt', '/var', '/zones', '/mnt/usbkey'];

/** The key file named by root_authorized_keys_file in /usbkey/config (sdc-headnode config/config.inc/generic). */
export const USBKEY_ROOT_AUTHORIZED_KEYS = '/usbkey/config.inc/root.authorized_keys';
export const ROOT_AUTHORIZED_KEYS = '/root/.ssh/authorized_keys';

export function persists(path: string): boolean {
  return PERSISTENT.some((p) => path === p || path === `${p}/` || path.startsWith(`${p}/`));
}

/**
 * The files after a boot: the ramdisk's are gone; root's authorized_keys comes back
 * from the USB key's config.inc, as Triton's boot does ("Set this to the name of a
 * file in config.inc and it will be copied in as root's .ssh/authorized_keys in GZs":
 * sdc-headnode config/config.inc/generic, root_authorized_keys_file).
 */
export function filesAfterBoot(files: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) if (persists(k)) kept[k] = v;
  const keys = kept[USBKEY_ROOT_AUTHORIZED_KEYS];
  if (keys !== undefined) {
    kept['/root/'] = '';
    kept['/root/.ssh/'] = '';
    kept[ROOT_AUTHORIZED_KEYS] = keys;
  }
  return kept;
}
