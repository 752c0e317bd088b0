// Where a headnode keeps root's authorized_keys across reboots. Its /root is a
// ramdisk; at every boot smartos-live overlay/generic/lib/svc/method/smartdc-config
// copies config_inc_dir/<root_authorized_keys_file> over /root/.ssh/authorized_keys,
// the name read by src/lib/sdc/config.sh load_sdc_config from
// `cat /usbkey/config.inc/generic /usbkey/config` (the last assignment wins).
// Stock value: root.authorized_keys (sdc-headnode config/config.inc/generic).
import { z } from 'zod';
import type { Host } from '../host.js';
import { type CallOptions, QUICK_TIMEOUT_MS, runOptions } from './command.js';

export const USBKEY_CONFIG = '/usbkey/config';
export const USBKEY_CONFIG_INC = '/usbkey/config.inc';

/** A plain file name inside config.inc: no path, no "..". */
const FileName = z.string().regex(/^(?!\.\.?$)[A-Za-z0-9._-]{1,200}$/);

/** The value of `key` as load_sdc_config evals these texts, in order; quotes dropped. */
export function sdcConfigValue(texts: string[], key: string): string | undefined {
  let value: string | undefined;
  for (const raw of texts.join('\n').split('\n')) {
    const line = raw.replace(/^ */, '');
    if (!/^[a-zA-Z]/.test(line)) continue;
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq) === key)
      value = line
        .slice(eq + 1)
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2');
  }
  return value;
}

export type PersistentKeys = { path: string } | { path?: undefined; why: string };

/** The file a boot copies to root's authorized_keys, from the two config texts. */
export function persistentKeysPath(generic: string | undefined, config: string | undefined): PersistentKeys {
  if (config === undefined) return { why: `${USBKEY_CONFIG} is not there, so the boot reads no config.inc` };
  const name = sdcConfigValue([generic ?? '', config], 'root_authorized_keys_file');
  if (!name) return { why: `neither ${USBKEY_CONFIG_INC}/generic nor ${USBKEY_CONFIG} sets root_authorized_keys_file` };
  if (!FileName.safeParse(name).success)
    return { why: `root_authorized_keys_file is "${name.slice(0, 80)}", not a file name in ${USBKEY_CONFIG_INC}` };
  return { path: `${USBKEY_CONFIG_INC}/${name}` };
}

/** Reads a headnode's generic and config and says where its keys survive a reboot. */
export async function readPersistentKeysPath(host: Host, opts: CallOptions = {}): Promise<PersistentKeys> {
  const cat = async (path: string): Promise<string | undefined> => {
    const r = await host.run(['cat', path], runOptions(opts, QUICK_TIMEOUT_MS));
    return r.code === 0 ? r.stdout.slice(0, 256 * 1024) : undefined;
  };
  const [generic, config] = await Promise.all([cat(`${USBKEY_CONFIG_INC}/generic`), cat(USBKEY_CONFIG)]);
  return persistentKeysPath(generic, config);
}
