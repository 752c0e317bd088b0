// Where the console's own SSH identity and known_hosts live. Not ~/.ssh: on SmartOS
// the GZ root filesystem is a ramdisk and /root is empty after every reboot (SmartOS
// docs, "Persistent Configuration for the Global Zone"); /var persists. So the
// defaults live under /var/sdcadm/triton-recover, and an unattended sync (SMF, cron:
// no SSH_AUTH_SOCK, maybe no HOME) finds them with no option at all.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from './dir-options.js';

import { DEFAULT_CONFIG_PATH, DEFAULT_IDENTITY, DEFAULT_KNOWN_HOSTS } from './ssh-paths.js';

export { DEFAULT_CONFIG_PATH, DEFAULT_SSH_DIR, DEFAULT_IDENTITY, DEFAULT_KNOWN_HOSTS } from './ssh-paths.js';

/** config.json: unknown keys are refused, so a typo does not silently fall back to a default. */
export const ConfigFileSchema = z.strictObject({
  identity: z.string().min(1).optional(),
  knownHosts: z.string().min(1).optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface SshSettings {
  identity: string;
  knownHosts: string;
  /** Named by an option or the config file: then a missing file is an error, not "use the agent". */
  identityExplicit: boolean;
}

export interface SshOptionInput {
  identity?: string;
  knownHosts?: string;
  config?: string;
}

/** The config file, if any: an explicit --config must exist; the default may be absent. */
export function readConfigFile(path: string | undefined): ConfigFile {
  const p = path ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(p, 'utf8');
  } catch (e) {
    if (!path && (e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read the config file ${p}: ${(e as Error).message}; fix the path given to --config`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `the config file ${p} is not JSON: ${(e as Error).message}; fix it (keys: identity, knownHosts)`,
    );
  }
  const r = ConfigFileSchema.safeParse(json);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new UsageError(`the config file ${p} is not valid: ${why}; allowed keys: identity, knownHosts (file paths)`);
  }
  return r.data;
}

/** Option, else config file, else the persistent default. */
export function resolveSshSettings(o: SshOptionInput): SshSettings {
  const cfg = readConfigFile(o.config);
  const identity = o.identity ?? cfg.identity;
  const knownHosts = o.knownHosts ?? cfg.knownHosts;
  return {
    identity: identity ? resolve(identity) : DEFAULT_IDENTITY,
    knownHosts: knownHosts ? resolve(knownHosts) : DEFAULT_KNOWN_HOSTS,
    identityExplicit: identity !== undefined,
  };
}
